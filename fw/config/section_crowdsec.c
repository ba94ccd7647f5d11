// SPDX-License-Identifier: GPL-2.0
/*
 * Config parsing: the crowdsec section (DESIGN §1b), which makes the daemon
 * a CrowdSec bouncer: where the Local API is, the file holding the bouncer's
 * key, and how often to poll. The key file is not opened here: it is the
 * daemon's secret, and check may run as a user who cannot read it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>
#include "duration.h"
#include "section.h"

enum cfg_crowdsec_key { CK_URL, CK_API_KEY_FILE, CK_POLL, CK_COUNT };

static const char *const cfg_crowdsec_keys[CK_COUNT] = { "url", "api_key_file", "poll" };

#define CFG_POLL_DEFAULT (10 * FW_NS_PER_SEC)
#define CFG_POLL_MIN (100 * FW_NS_PER_MS)
#define CFG_POLL_MAX (3600 * FW_NS_PER_SEC)

static const struct cfg_ctx cfg_crowdsec_ctx = { .section = "crowdsec" };

/* Whether text is an http:// or https:// URL with a host, as libcurl reads it; false once reported. */
static bool cfg_url_ok(struct cfg_parser *p, const struct cfg_node *n)
{
	CURLU *url = curl_url();
	char *scheme = NULL, *host = NULL;
	CURLUcode rc;
	bool ok = false;

	if (!url) {
		p->diags.err = -ENOMEM;
		return false;
	}
	rc = curl_url_set(url, CURLUPART_URL, n->text, 0);
	if (rc == CURLUE_OUT_OF_MEMORY)
		p->diags.err = -ENOMEM;
	else if (rc)
		cfg_ctx_error(&p->diags, &cfg_crowdsec_ctx, n->line, n->col,
			      "url \"%s\" is not a URL (%s); write the Local API's address, e.g. http://127.0.0.1:8080/",
			      n->text, curl_url_strerror(rc));
	else if (curl_url_get(url, CURLUPART_SCHEME, &scheme, 0) ||
		 curl_url_get(url, CURLUPART_HOST, &host, 0) || !host || !*host)
		cfg_ctx_error(&p->diags, &cfg_crowdsec_ctx, n->line, n->col,
			      "url \"%s\" names no host; write the Local API's address, e.g. http://127.0.0.1:8080/",
			      n->text);
	else if (strcmp(scheme, "http") && strcmp(scheme, "https"))
		cfg_ctx_error(&p->diags, &cfg_crowdsec_ctx, n->line, n->col,
			      "url \"%s\" is not http:// or https://; the Local API speaks HTTP, e.g. http://127.0.0.1:8080/",
			      n->text);
	else
		ok = true;
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(url);
	return ok;
}

static bool cfg_crowdsec_url(struct cfg_parser *p, struct fw_crowdsec *cs, int line,
			     const struct cfg_node *n)
{
	if (!n) {
		cfg_error(&p->diags, line, 1,
			  "crowdsec has no url; add url: with the Local API's address, e.g. http://127.0.0.1:8080/ (api.server.listen_uri in /etc/crowdsec/config.yaml)");
		return false;
	}
	if (!cfg_text(&p->diags, n, &cfg_crowdsec_ctx, "url") || !cfg_url_ok(p, n))
		return false;
	cs->url = strdup(n->text);
	if (!cs->url)
		p->diags.err = -ENOMEM;
	return cs->url != NULL;
}

static bool cfg_crowdsec_key_file(struct cfg_parser *p, struct fw_crowdsec *cs, int line,
				  const struct cfg_node *n)
{
	if (!n) {
		cfg_error(&p->diags, line, 1,
			  "crowdsec has no api_key_file; add api_key_file: PATH, a file holding the key \"cscli bouncers add xdpfw\" prints (relative to the config's folder)");
		return false;
	}
	if (!cfg_text(&p->diags, n, &cfg_crowdsec_ctx, "api_key_file"))
		return false;
	if (!n->len) {
		cfg_ctx_error(&p->diags, &cfg_crowdsec_ctx, n->line, n->col,
			      "api_key_file is empty; give the path of the file holding the bouncer's key");
		return false;
	}
	cs->api_key_file = cfg_path_in(p, p->name, n->text);
	if (!cs->api_key_file)
		p->diags.err = -ENOMEM;
	return cs->api_key_file != NULL;
}

void cfg_read_crowdsec(struct cfg_parser *p, int line, const struct cfg_node *map)
{
	struct fw_crowdsec *cs = &p->cfg->crowdsec;
	const struct cfg_node *values[CK_COUNT];
	uint64_t poll = CFG_POLL_DEFAULT;
	bool ok;

	if (map->kind != CFG_MAPPING) {
		cfg_error(&p->diags, map->line, map->col,
			  "crowdsec must be a mapping with url, api_key_file and poll, found %s",
			  cfg_kind_name(map));
		return;
	}
	cfg_fields(&p->diags, map, &cfg_crowdsec_ctx, cfg_crowdsec_keys, CK_COUNT, values);
	ok = cfg_crowdsec_url(p, cs, line, values[CK_URL]);
	ok &= cfg_crowdsec_key_file(p, cs, line, values[CK_API_KEY_FILE]);
	if (values[CK_POLL])
		ok &= cfg_duration(&p->diags, values[CK_POLL], &cfg_crowdsec_ctx, "poll", CFG_POLL_MIN,
				   CFG_POLL_MAX, &poll);
	cs->poll_ms = (uint32_t)(poll / FW_NS_PER_MS);
	cs->line = line;
	if (ok)
		return;
	/* url NULL means no section: a half-read one must not look like one. */
	free(cs->url);
	free(cs->api_key_file);
	*cs = (struct fw_crowdsec){ 0 };
}

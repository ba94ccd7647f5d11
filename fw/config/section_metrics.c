// SPDX-License-Identifier: GPL-2.0
/*
 * Config parsing: settings.metrics, where the daemon serves Prometheus text
 * (DESIGN §1b): an address literal and a port, 127.0.0.1:9740 or
 * [::1]:9740. No host names: what a name resolves to can change between
 * reloads, and the hardened unit lets exactly the configured listener through.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "section.h"

static const struct cfg_ctx cfg_metrics_ctx = { .section = "settings" };

#define CFG_METRICS_HINT "e.g. 127.0.0.1:9740, or [::1]:9740 (quoted in YAML)"

/* The port after the address's colon: 1-65535, digits only; 0 once reported. */
static uint16_t cfg_metrics_port(struct cfg_parser *p, const struct cfg_node *n, const char *port)
{
	unsigned long value = 0;
	size_t i;

	for (i = 0; isdigit((unsigned char)port[i]); i++)
		if (value <= 65535)
			value = value * 10 + (unsigned long)(port[i] - '0');
	if (i && !port[i] && value >= 1 && value <= 65535)
		return (uint16_t)value;
	if (i && !port[i])
		cfg_ctx_error(&p->diags, &cfg_metrics_ctx, n->line, n->col,
			      "metrics \"%s\": port %s is out of range; use 1-65535", n->text, port);
	else
		cfg_ctx_error(&p->diags, &cfg_metrics_ctx, n->line, n->col,
			      "metrics \"%s\" has no port number after the address; write ADDR:PORT, %s",
			      n->text, CFG_METRICS_HINT);
	return 0;
}

/* Whether host, len bytes, is an address literal of family; buf gets it NUL-terminated. */
static bool cfg_is_address(int family, const char *host, size_t len, char buf[INET6_ADDRSTRLEN])
{
	struct in6_addr addr;

	if (!len || len >= INET6_ADDRSTRLEN)
		return false;
	memcpy(buf, host, len);
	buf[len] = '\0';
	return inet_pton(family, buf, &addr) == 1;
}

/* An IPv4 literal has none: a name. */
static bool cfg_has_letter(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (isalpha((unsigned char)s[i]))
			return true;
	return false;
}

/* Says what is wrong with an address that is not the literal it should be. */
static void cfg_metrics_bad_host(struct cfg_parser *p, const struct cfg_node *n, const char *host,
				 size_t len, bool bracketed)
{
	const struct cfg_ctx *ctx = &cfg_metrics_ctx;
	char buf[INET6_ADDRSTRLEN];

	if (!len)
		cfg_ctx_error(&p->diags, ctx, n->line, n->col,
			      "metrics \"%s\" has no address before the port; write 127.0.0.1:PORT for this host only, or 0.0.0.0:PORT for every address",
			      n->text);
	else if (memchr(host, '%', len))
		cfg_ctx_error(&p->diags, ctx, n->line, n->col,
			      "metrics \"%s\": a zone (%%IFACE) is not supported; listen on an address that needs none, %s",
			      n->text, CFG_METRICS_HINT);
	else if (bracketed && cfg_is_address(AF_INET, host, len, buf))
		cfg_ctx_error(&p->diags, ctx, n->line, n->col,
			      "metrics \"%s\": brackets are for IPv6 addresses; write %s:PORT", n->text,
			      buf);
	else if (bracketed)
		cfg_ctx_error(&p->diags, ctx, n->line, n->col,
			      "metrics \"%s\": %.*s is not an IPv6 address; write e.g. \"[::1]:9740\"",
			      n->text, (int)len, host);
	else if (strstr(n->text, "://"))
		cfg_ctx_error(&p->diags, ctx, n->line, n->col,
			      "metrics \"%s\" is a URL; write only the address and port the daemon listens on (it serves /metrics there), %s",
			      n->text, CFG_METRICS_HINT);
	else if (memchr(host, ':', len))
		cfg_ctx_error(&p->diags, ctx, n->line, n->col,
			      "metrics \"%s\": write an IPv6 address in brackets, and the whole value in quotes: \"[::1]:9740\"",
			      n->text);
	else if (cfg_has_letter(host, len))
		cfg_ctx_error(&p->diags, ctx, n->line, n->col,
			      "metrics \"%s\" names a host; xdpfw does not resolve names, so write the address to listen on, %s",
			      n->text, CFG_METRICS_HINT);
	else
		cfg_ctx_error(&p->diags, ctx, n->line, n->col,
			      "metrics \"%s\" is not an IPv4 address with a port; write ADDR:PORT, %s",
			      n->text, CFG_METRICS_HINT);
}

/* Splits ADDR:PORT or [ADDR]:PORT; false once reported. */
static bool cfg_metrics_parse(struct cfg_parser *p, const struct cfg_node *n,
			      struct fw_metrics_listen *m)
{
	const char *text = n->text, *host = text, *colon = strrchr(text, ':');
	bool bracketed = text[0] == '[';
	size_t len;

	if (bracketed) {
		const char *close = strchr(text, ']');

		if (!close || close[1] != ':') {
			cfg_ctx_error(&p->diags, &cfg_metrics_ctx, n->line, n->col,
				      "metrics \"%s\" has no port after the address; write [ADDR]:PORT, e.g. \"[::1]:9740\"",
				      text);
			return false;
		}
		host = text + 1;
		len = (size_t)(close - host);
		colon = close + 1;
	} else if (!colon) {
		cfg_ctx_error(&p->diags, &cfg_metrics_ctx, n->line, n->col,
			      "metrics %s has no %s; write ADDR:PORT, %s", text,
			      text[strspn(text, "0123456789")] ? "port" : "address", CFG_METRICS_HINT);
		return false;
	} else {
		len = (size_t)(colon - text);
	}
	m->family = bracketed ? AF_INET6 : AF_INET;
	if (!cfg_is_address(m->family, host, len, m->host)) {
		cfg_metrics_bad_host(p, n, host, len, bracketed);
		return false;
	}
	m->port = cfg_metrics_port(p, n, colon + 1);
	return m->port != 0;
}

void cfg_read_metrics(struct cfg_parser *p, const struct cfg_node *n)
{
	struct fw_metrics_listen m = { .line = n->line };

	if (n->kind == CFG_SEQUENCE) {
		cfg_ctx_error(&p->diags, &cfg_metrics_ctx, n->line, n->col,
			      "metrics must be one value ADDR:PORT, found a list; quote an IPv6 address with its brackets: \"[::1]:9740\"");
		return;
	}
	if (!cfg_text(&p->diags, n, &cfg_metrics_ctx, "metrics"))
		return;
	if (!n->len) {
		cfg_ctx_error(&p->diags, &cfg_metrics_ctx, n->line, n->col,
			      "metrics is empty; write ADDR:PORT, %s, or remove the key", CFG_METRICS_HINT);
		return;
	}
	if (!cfg_metrics_parse(p, n, &m))
		return;
	m.text = strdup(n->text);
	if (!m.text) {
		p->diags.err = -ENOMEM;
		return;
	}
	p->cfg->metrics = m;
}

// SPDX-License-Identifier: GPL-2.0
/* The YAML config (DESIGN §1): the file read, each layer run in turn, the result handed out. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "checks.h"
#include "log_policy.h"

static void cfg_init(struct cfg_parser *p, const char *name,
		     const struct fw_config_options *opts, struct fw_config *out)
{
	memset(p, 0, sizeof(*p));
	memset(out, 0, sizeof(*out));
	p->name = name ? name : "<config>";
	p->file = p->name;
	p->opts = *opts;
	p->cfg = out;
	p->capacity_ok = true;
	p->nodes.reader = &p->reader;
	out->rules.default_action = FW_ACTION_PASS;
	out->rules.fragments = FW_FRAGMENTS_INSPECT;
	out->capacity = FW_DEFAULT_CAPACITY;
	out->max_bans = FW_DEFAULT_MAX_BANS;
	fw_log_policy_fill(&out->rules.log); /* the defaults, so a config states its policy */
	/* sources.files[0] is the config, so included file N is sources.files[N]. */
	cfg_source_file(p, p->name); /* out of memory: diags.err ends the parse */
}

/* One reading of the text, by the fast lane or by libyaml; the outcome is left in p. */
static void cfg_parse_pass(struct cfg_parser *p, const char *text, size_t len, bool fast)
{
	int err = cfg_reader_start(&p->reader, text, len, fast, &p->diags, 0);

	if (err) {
		p->diags.err = err;
		return;
	}
	cfg_read_stream(p);
	p->stopped = p->reader.stopped;
	p->gave_up = fast && p->reader.lane.gave_up;
	cfg_reader_end(&p->reader);
	/*
	 * After a syntax error the rules are incomplete; checks across them would
	 * mislead. The included and list files are read only now, so a lane that
	 * gives up does not make them read twice.
	 */
	if (!p->stopped && !p->diags.err && p->include_count)
		cfg_read_includes(p, len);
	if (!p->stopped && !p->diags.err)
		cfg_load_sets(p);
	if (!p->stopped && !p->diags.err)
		cfg_check_rules(p);
	if (!p->stopped && !p->diags.err)
		cfg_check_log(p);
	cfg_local_lines(p);
}

static void cfg_parser_free(struct cfg_parser *p)
{
	cfg_diags_free(&p->diags);
	cfg_nodes_destroy(&p->nodes);
	free(p->meta);
	p->meta = NULL;
	free(p->set_meta);
	p->set_meta = NULL;
	free(p->set_refs);
	p->set_refs = NULL;
	free(p->never_ban);
	p->never_ban = NULL;
	for (size_t i = 0; i < p->include_count; i++) {
		free(p->includes[i].text);
		free(p->includes[i].pattern);
	}
	free(p->includes);
	p->includes = NULL;
	p->include_count = 0;
}

int fw_config_parse_opts(const char *name, const char *text, size_t len,
			 const struct fw_config_options *opts, struct fw_config *out, FILE *diag,
			 bool *fast_used)
{
	static const struct fw_config_options defaults = { .reader = FW_READER_AUTO };
	struct cfg_parser p;
	bool fast = false;
	int err;

	if (!opts)
		opts = &defaults;
	if (!text) {
		text = "";
		len = 0;
	}
	cfg_init(&p, name, opts, out);
	if (opts->reader == FW_READER_AUTO && cfg_fast_lane_fits(text, len)) {
		cfg_parse_pass(&p, text, len, true);
		fast = !p.gave_up;
		if (p.gave_up) {
			/* Forget what the lane found; libyaml reads the whole text again. */
			cfg_parser_free(&p);
			fw_config_free(out);
			cfg_init(&p, name, opts, out);
			cfg_parse_pass(&p, text, len, false);
		}
	} else {
		cfg_parse_pass(&p, text, len, false);
	}

	err = p.diags.err ? p.diags.err : p.diags.errors ? -EINVAL : 0;
	if (!err) {
		out->path = strdup(p.name);
		if (!out->path)
			err = -ENOMEM;
	}
	cfg_diags_print(&p.diags, p.name, diag);
	cfg_parser_free(&p);
	if (err)
		fw_config_free(out);
	if (fast_used)
		*fast_used = fast;
	return err;
}

int fw_config_parse_with(const char *name, const char *text, size_t len,
			 enum fw_config_reader reader, struct fw_config *out, FILE *diag,
			 bool *fast_used)
{
	const struct fw_config_options opts = { .reader = reader };

	return fw_config_parse_opts(name, text, len, &opts, out, diag, fast_used);
}

int fw_config_parse(const char *name, const char *text, size_t len, struct fw_config *out,
		    FILE *diag)
{
	return fw_config_parse_opts(name, text, len, NULL, out, diag, NULL);
}

int cfg_read_file(const char *path, char **text, size_t *len)
{
	size_t cap = 65536, used = 0;
	char *buf = NULL;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		if (!buf || used == cap) {
			size_t want = buf ? cap * 2 : cap;
			char *grown = realloc(buf, want);

			if (!grown) {
				err = -ENOMEM;
				break;
			}
			buf = grown;
			cap = want;
		}
		n = read(fd, buf + used, cap - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (!n)
			break;
		used += (size_t)n;
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	*text = buf;
	*len = used;
	return 0;
}

int fw_config_load(const char *path, struct fw_config *out, FILE *diag)
{
	return fw_config_load_opts(path, NULL, out, diag);
}

int fw_config_load_opts(const char *path, const struct fw_config_options *opts,
			struct fw_config *out, FILE *diag)
{
	char *text = NULL;
	size_t len = 0;
	int err;

	memset(out, 0, sizeof(*out));
	err = cfg_read_file(path, &text, &len);
	if (err) {
		char *shown = cfg_escape_dup(path);

		if (diag)
			fprintf(diag, "%s: cannot read the config: %s\n", shown ? shown : "<config>",
				strerror(-err));
		free(shown);
		return err;
	}
	err = fw_config_parse_opts(path, text, len, opts, out, diag, NULL);
	free(text);
	return err;
}

void fw_config_free(struct fw_config *cfg)
{
	free(cfg->path);
	free(cfg->interfaces);
	free(cfg->rules.rules);
	free(cfg->crowdsec.url);
	free(cfg->crowdsec.api_key_file);
	free(cfg->metrics.text);
	fw_ruleset_free_sets(&cfg->rules);
	for (size_t i = 0; i < cfg->sources.file_count; i++)
		free(cfg->sources.files[i]);
	free(cfg->sources.files);
	for (size_t i = 0; i < cfg->sources.pattern_count; i++)
		free(cfg->sources.patterns[i]);
	free(cfg->sources.patterns);
	memset(cfg, 0, sizeof(*cfg));
}

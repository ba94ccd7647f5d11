// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "config_check.h"
#include "duration.h"
#include "prefix.h"

/* A limit's burst * interval: section_limit.c's bound. */
#define CHECK_WINDOW_MAX (1ull << 62)

const struct fw_config_options fuzz_config_options = { .skip_list_files = true };

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("FUZZ INVARIANT BROKEN: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void fuzz_diag_open(struct fuzz_diag *d)
{
	d->text = NULL;
	d->len = 0;
	d->f = open_memstream(&d->text, &d->len);
	if (!d->f)
		fuzz_fail("open_memstream: %s", strerror(errno));
}

void fuzz_diag_close(struct fuzz_diag *d)
{
	if (fclose(d->f))
		fuzz_fail("closing the diagnostics stream: %s", strerror(errno));
	d->f = NULL;
}

void fuzz_diag_free(struct fuzz_diag *d)
{
	free(d->text);
	d->text = NULL;
	d->len = 0;
}

/* Reads a positive decimal at *s, no leading zero; advances past it. */
static bool read_position(const char **s, const char *end, unsigned long *out)
{
	const char *p = *s;
	unsigned long v = 0;

	if (p == end || *p < '1' || *p > '9')
		return false;
	while (p < end && *p >= '0' && *p <= '9' && v < 1000000000ul)
		v = v * 10 + (unsigned long)(*p++ - '0');
	*s = p;
	*out = v;
	return true;
}

static void check_diag_line(const char *name, size_t len, const char *line, const char *end)
{
	size_t name_len = strlen(name);
	const char *p = line;
	unsigned long lineno, col;
	int shown = (int)(end - line);

	if ((size_t)(end - p) <= name_len || memcmp(p, name, name_len) || p[name_len] != ':')
		fuzz_fail("diagnostic does not start with \"%s:\": %.*s", name, shown, line);
	p += name_len + 1;
	if (!read_position(&p, end, &lineno) || p == end || *p++ != ':' ||
	    !read_position(&p, end, &col) || end - p < 3 || memcmp(p, ": ", 2))
		fuzz_fail("diagnostic is not NAME:LINE:COL: message: %.*s", shown, line);
	/* Each line break, and each column, takes at least one byte of the text. */
	if (lineno > len + 1 || col > len + 1)
		fuzz_fail("diagnostic points past the %zu-byte text: %.*s", len, shown, line);
	for (p += 2; p < end; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			fuzz_fail("diagnostic holds control byte 0x%02x: %.*s", (unsigned char)*p, shown,
				  line);
}

/* Whether a diagnostic line (its position checked) is a warning. */
static bool is_warning(const char *line, const char *end)
{
	static const char mark[] = ": warning: ";
	const char *p = memchr(line, ':', (size_t)(end - line));

	/* NAME:LINE:COL: warning: ...: the third colon after the name starts the mark. */
	for (int colons = 1; p && colons < 3; colons++)
		p = memchr(p + 1, ':', (size_t)(end - p - 1));
	return p && (size_t)(end - p) >= sizeof(mark) - 1 && !memcmp(p, mark, sizeof(mark) - 1);
}

static void check_diags(const char *name, size_t len, const struct fuzz_diag *d)
{
	const char *line = d->text, *end = d->text + d->len;

	if (d->len && end[-1] != '\n')
		fuzz_fail("diagnostics do not end with a newline");
	if (memchr(d->text, '\0', d->len))
		fuzz_fail("diagnostics hold a NUL byte");
	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));

		check_diag_line(name, len, line, nl);
		line = nl + 1;
	}
}

static bool interface_name_valid(const char *name)
{
	size_t n = strnlen(name, IF_NAMESIZE);

	if (!n || n >= IF_NAMESIZE || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	return !name[strcspn(name, "/: \t\n\v\f\r")];
}

static bool rule_name_valid(const char *name)
{
	static const char allowed[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				      "0123456789_.:-";
	size_t n = strnlen(name, FW_RULE_NAME_MAX);

	return n > 0 && n < FW_RULE_NAME_MAX && strspn(name, allowed) == n;
}

static void check_interfaces(const struct fw_config *cfg)
{
	if (cfg->interface_count && !cfg->interfaces)
		fuzz_fail("%zu interfaces but no array", cfg->interface_count);
	for (size_t i = 0; i < cfg->interface_count; i++) {
		const struct fw_interface *in = &cfg->interfaces[i];

		if (!interface_name_valid(in->name))
			fuzz_fail("interface #%zu has an invalid name", i + 1);
		if (in->mode != FW_MODE_AUTO && in->mode != FW_MODE_NATIVE &&
		    in->mode != FW_MODE_GENERIC)
			fuzz_fail("interface %s has mode %d", in->name, (int)in->mode);
		if (in->line < 1 || in->col < 1)
			fuzz_fail("interface %s at %d:%d", in->name, in->line, in->col);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(cfg->interfaces[j].name, in->name))
				fuzz_fail("interface %s accepted twice", in->name);
	}
}

static bool prefix_sane(const struct fw_prefix *p)
{
	struct fw_prefix masked = *p;

	fw_prefix_mask(masked.addr, masked.len);
	return p->len >= 1 && p->len <= 128 && !(fw_prefix_is_v4(p) && p->len == 96) &&
	       !memcmp(masked.addr, p->addr, sizeof(p->addr));
}

static void check_sets(const struct fw_ruleset *rs)
{
	if (rs->set_count && !rs->sets)
		fuzz_fail("%zu sets but no array", rs->set_count);
	for (size_t i = 0; i < rs->set_count; i++) {
		const struct fw_set *set = &rs->sets[i];

		if (!rule_name_valid(set->name))
			fuzz_fail("set #%zu has an invalid name", i + 1);
		if (set->count != set->v4 + set->v6 || (set->count && !set->elements))
			fuzz_fail("set %s: %zu elements, %zu IPv4, %zu IPv6", set->name, set->count,
				  set->v4, set->v6);
		if (set->line < 1 || set->col < 1)
			fuzz_fail("set %s at %d:%d", set->name, set->line, set->col);
		for (size_t j = 0; j < set->count; j++)
			if (!prefix_sane(&set->elements[j].prefix) || !set->elements[j].line ||
			    !set->elements[j].col)
				fuzz_fail("set %s: element #%zu is not a valid prefix", set->name, j + 1);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(rs->sets[j].name, set->name))
				fuzz_fail("set name %s accepted twice", set->name);
	}
}

static void check_never_ban(const struct fw_set *set)
{
	if (set->count != set->v4 + set->v6 || (set->count && !set->elements) ||
	    set->v4 > FW_NEVER_BAN_MAX || set->v6 > FW_NEVER_BAN_MAX)
		fuzz_fail("never_ban: %zu elements, %zu IPv4, %zu IPv6", set->count, set->v4,
			  set->v6);
	if (set->elements && (strcmp(set->name, "never_ban") || set->line < 1 || set->col < 1))
		fuzz_fail("never_ban is called %s, at %d:%d", set->name, set->line, set->col);
	for (size_t j = 0; j < set->count; j++)
		if (!prefix_sane(&set->elements[j].prefix) || !set->elements[j].line ||
		    !set->elements[j].col)
			fuzz_fail("never_ban: element #%zu is not a valid prefix", j + 1);
}

static void check_crowdsec(const struct fw_crowdsec *cs)
{
	if (!cs->url) {
		if (cs->api_key_file || cs->poll_ms || cs->line)
			fuzz_fail("no crowdsec url, yet a key file, poll %u ms or line %d", cs->poll_ms,
				  cs->line);
		return;
	}
	if (strncmp(cs->url, "http://", 7) && strncmp(cs->url, "https://", 8))
		fuzz_fail("crowdsec url %s", cs->url);
	if (!cs->api_key_file || !*cs->api_key_file)
		fuzz_fail("crowdsec without an api_key_file");
	if (cs->poll_ms < 100 || cs->poll_ms > 3600000 || cs->line < 1)
		fuzz_fail("crowdsec poll %u ms, at line %d", cs->poll_ms, cs->line);
}

/* The fields of §1b: a prefix, a set, or port ranges, each consistent. */
static void check_rule_v2(const struct fw_ruleset *rs, const struct fw_rule *r)
{
	const struct fw_port_range *ranges;
	struct fw_port_range one;
	size_t n = fw_rule_ports(rs, r, &ranges, &one);

	if (r->set_ref && (!r->has_src || r->set_ref > rs->set_count))
		fuzz_fail("rule %s names set %u of %zu", r->name, r->set_ref, rs->set_count);
	if (r->has_src && !r->set_ref) {
		struct fw_prefix p;

		memcpy(p.addr, r->src, sizeof(p.addr));
		p.len = r->src_len;
		if (!prefix_sane(&p))
			fuzz_fail("rule %s: src is not a valid prefix (len %u)", r->name, r->src_len);
	}
	if (r->ports_count && (size_t)r->ports_at + r->ports_count > rs->port_range_count)
		fuzz_fail("rule %s: ports %u+%u of %zu", r->name, r->ports_at, r->ports_count,
			  rs->port_range_count);
	for (size_t i = 0; i < n; i++)
		if (!ranges[i].first || ranges[i].first > ranges[i].last ||
		    (i && ranges[i].first <= ranges[i - 1].last))
			fuzz_fail("rule %s: port ranges out of order or overlapping", r->name);
	if (r->port && !fw_rule_has_port(rs, r, r->port))
		fuzz_fail("rule %s: port %u is not among its ranges", r->name, r->port);
	if (r->match_tag != fw_rule_match_tag(rs, r))
		fuzz_fail("rule %s: match_tag %u, not %u", r->name, r->match_tag,
			  fw_rule_match_tag(rs, r));
}

/* §1b's tcp_flags, limit and ban_for: only in the combinations the config allows. */
static void check_rule_limit(const struct fw_rule *r)
{
	const struct fw_rule_limit *l = &r->limit;

	if (r->tcp_flags && (r->tcp_flags != FW_TCP_FLAGS_SYN || r->proto != FW_PROTO_TCP))
		fuzz_fail("rule %s: tcp_flags %u with proto %u", r->name, r->tcp_flags, r->proto);
	if (!l->interval) {
		if (l->burst || l->per_source || l->ban_for)
			fuzz_fail("rule %s: no limit, yet burst %u, per_source %d, ban_for %llu",
				  r->name, l->burst, l->per_source, (unsigned long long)l->ban_for);
		return;
	}
	if (r->action != FW_ACTION_DROP)
		fuzz_fail("rule %s: a limit with action %u", r->name, r->action);
	if (!l->burst || l->burst > CHECK_WINDOW_MAX / l->interval ||
	    l->interval > 3600 * FW_NS_PER_SEC)
		fuzz_fail("rule %s: limit interval %llu ns, burst %u", r->name,
			  (unsigned long long)l->interval, l->burst);
	if (l->ban_for && (l->ban_for < FW_NS_PER_SEC || l->ban_for > 365 * 86400 * FW_NS_PER_SEC))
		fuzz_fail("rule %s: ban_for %llu ns", r->name, (unsigned long long)l->ban_for);
}

static void check_rule(const struct fw_rule *r)
{
	if (!rule_name_valid(r->name))
		fuzz_fail("a rule has an invalid name");
	if (r->proto > FW_PROTO_ICMPV6)
		fuzz_fail("rule %s has proto %u", r->name, r->proto);
	if (r->action != FW_ACTION_PASS && r->action != FW_ACTION_DROP)
		fuzz_fail("rule %s has action %u", r->name, r->action);
	if (!r->has_src && !r->port && r->proto == FW_PROTO_ANY)
		fuzz_fail("rule %s matches everything", r->name);
	if (r->port && r->proto != FW_PROTO_ANY && r->proto != FW_PROTO_TCP &&
	    r->proto != FW_PROTO_UDP)
		fuzz_fail("rule %s has a port with proto %u", r->name, r->proto);
	if (r->line < 1 || r->col < 1)
		fuzz_fail("rule %s at %d:%d", r->name, r->line, r->col);
}

static void check_rules(const struct fw_config *cfg)
{
	const struct fw_ruleset *rs = &cfg->rules;

	if (rs->default_action != FW_ACTION_PASS && rs->default_action != FW_ACTION_DROP)
		fuzz_fail("default_action %u", rs->default_action);
	if (rs->fragments != FW_FRAGMENTS_INSPECT && rs->fragments != FW_FRAGMENTS_DROP)
		fuzz_fail("fragments %u", rs->fragments);
	if (cfg->capacity < 1 || cfg->capacity > (1u << 24))
		fuzz_fail("capacity %u", cfg->capacity);
	if (cfg->max_bans < 1 || cfg->max_bans > (1u << 26))
		fuzz_fail("max_bans %u", cfg->max_bans);
	check_crowdsec(&cfg->crowdsec);
	if (rs->count > cfg->capacity)
		fuzz_fail("%zu rules accepted with capacity %u", rs->count, cfg->capacity);
	if (rs->count && !rs->rules)
		fuzz_fail("%zu rules but no array", rs->count);
	check_sets(rs);
	check_never_ban(&rs->never_ban);
	for (size_t i = 0; i < rs->count; i++) {
		check_rule(&rs->rules[i]);
		check_rule_v2(rs, &rs->rules[i]);
		check_rule_limit(&rs->rules[i]);
		for (size_t j = 0; j < i; j++) {
			if (!strcmp(rs->rules[j].name, rs->rules[i].name))
				fuzz_fail("rule name %s accepted twice", rs->rules[i].name);
			if (fw_rule_same_match(&rs->rules[j], &rs->rules[i]))
				fuzz_fail("rules %s and %s accepted with the same match",
					  rs->rules[j].name, rs->rules[i].name);
		}
	}
}

static bool config_empty(const struct fw_config *cfg)
{
	return !cfg->path && !cfg->interfaces && !cfg->interface_count && !cfg->rules.rules &&
	       !cfg->rules.count && !cfg->rules.sets && !cfg->rules.set_count &&
	       !cfg->rules.port_ranges && !cfg->rules.port_range_count &&
	       !cfg->rules.never_ban.elements && !cfg->crowdsec.url && !cfg->crowdsec.api_key_file &&
	       !cfg->sources.files && !cfg->sources.file_count && !cfg->sources.patterns &&
	       !cfg->sources.pattern_count;
}

/* Nothing is opened (skip_list_files): the sources are the config and the list files it names. */
static void check_sources(const char *name, const struct fw_config *cfg)
{
	const struct fw_config_sources *s = &cfg->sources;
	size_t lists = 0;

	for (size_t i = 0; i < cfg->rules.set_count; i++)
		lists += cfg->rules.sets[i].file != NULL;
	if (!s->file_count || strcmp(s->files[0], name) || s->file_count != 1 + lists)
		fuzz_fail("sources: %zu files (the first %s) for %zu list files", s->file_count,
			  s->file_count ? s->files[0] : "(none)", lists);
	for (size_t i = 0; i < s->pattern_count; i++)
		if (!s->patterns[i] || !*s->patterns[i])
			fuzz_fail("include pattern #%zu is empty", i + 1);
}

void fuzz_check_outcome(const char *name, size_t len, int err, const struct fw_config *cfg,
			const struct fuzz_diag *d)
{
	check_diags(name, len, d);
	if (err == -EINVAL || err == -ENOMEM) {
		bool error_shown = false;

		if (!config_empty(cfg))
			fuzz_fail("error %d left a config behind", err);
		for (const char *line = d->text, *end = d->text + d->len; line < end && !error_shown;) {
			const char *nl = memchr(line, '\n', (size_t)(end - line));

			error_shown = !is_warning(line, nl);
			line = nl + 1;
		}
		if (err == -EINVAL && !error_shown)
			fuzz_fail("rejected without an error, only warnings or nothing");
		return;
	}
	if (err)
		fuzz_fail("fw_config_parse_with returned %d", err);
	for (const char *line = d->text, *end = d->text + d->len; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));

		if (!is_warning(line, nl))
			fuzz_fail("accepted, yet printed an error:\n%.*s", (int)(nl - line), line);
		line = nl + 1;
	}
	if (!cfg->path || strcmp(cfg->path, name))
		fuzz_fail("accepted config's path is not \"%s\"", name);
	check_interfaces(cfg);
	check_rules(cfg);
	check_sources(name, cfg);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The fast YAML lane against libyaml: for any text, FW_READER_AUTO and
 * FW_READER_LIBYAML must give the same result, the same config field by
 * field, and byte-identical diagnostics. This harness is the condition on
 * which the fast lane stays. With FUZZ_LANES_EXPECT_FAST=1 every input must
 * also be read by the lane itself, so the smoke test proves the seeds reach it.
 * Each input also generates a text of the lane's shape (generate()), compared too.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config_check.h"

#define NAME "fuzz.yaml"

/* same_config() compares every field: a struct that grows fails here until its new field is. */
#if __SIZEOF_POINTER__ == 8
_Static_assert(sizeof(struct fw_config) == 344, "compare fw_config's new field in same_config()");
_Static_assert(sizeof(struct fw_interface) == 28, "compare the new field in same_interfaces()");
_Static_assert(sizeof(struct fw_ruleset) == 192, "compare fw_ruleset's new field in same_config()");
_Static_assert(sizeof(struct fw_rule) == 144, "compare fw_rule's new field in same_rule()");
_Static_assert(sizeof(struct fw_set) == 120, "compare fw_set's new field in same_sets()");
_Static_assert(sizeof(struct fw_crowdsec) == 24, "compare the new field in same_crowdsec()");
_Static_assert(sizeof(struct fw_metrics_listen) == 64, "compare the new field in same_metrics()");
_Static_assert(sizeof(struct fw_log_policy) == 16, "compare the new field in same_log()");
_Static_assert(sizeof(struct fw_rule_limit) == 24, "compare the new field in same_rule()");
_Static_assert(sizeof(struct fw_set_element) == 28, "compare the new field in same_sets()");
_Static_assert(sizeof(struct fw_port_range) == 4, "compare the new field in same_config()");
#endif

static bool expect_fast;
static unsigned long runs, fast_runs, generated_fast_runs;

static void report(void)
{
	fprintf(stderr, "fuzz_lanes: the fast lane read %lu of %lu inputs, %lu of the texts made from them\n",
		fast_runs, runs, generated_fast_runs);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *env = getenv("FUZZ_LANES_EXPECT_FAST");

	(void)argc;
	(void)argv;
	expect_fast = env && !strcmp(env, "1");
	atexit(report);
	return 0;
}

static void same_interfaces(const struct fw_config *a, const struct fw_config *b)
{
	if (a->interface_count != b->interface_count)
		fuzz_fail("interfaces: %zu vs %zu", a->interface_count, b->interface_count);
	for (size_t i = 0; i < a->interface_count; i++) {
		const struct fw_interface *x = &a->interfaces[i], *y = &b->interfaces[i];

		if (strcmp(x->name, y->name) || x->mode != y->mode || x->line != y->line ||
		    x->col != y->col)
			fuzz_fail("interface #%zu: %s mode %d at %d:%d vs %s mode %d at %d:%d", i + 1,
				  x->name, (int)x->mode, x->line, x->col, y->name, (int)y->mode,
				  y->line, y->col);
	}
}

static void same_rule(size_t i, const struct fw_rule *x, const struct fw_rule *y)
{
	if (strcmp(x->name, y->name))
		fuzz_fail("rule #%zu: name %s vs %s", i + 1, x->name, y->name);
	if (x->has_src != y->has_src || (x->has_src && memcmp(x->src, y->src, sizeof(x->src))) ||
	    x->src_len != y->src_len || x->set_ref != y->set_ref)
		fuzz_fail("rule %s: the sources differ", x->name);
	if (x->ports_at != y->ports_at || x->ports_count != y->ports_count ||
	    x->match_tag != y->match_tag)
		fuzz_fail("rule %s: ports %u+%u tag %u vs ports %u+%u tag %u", x->name, x->ports_at,
			  x->ports_count, x->match_tag, y->ports_at, y->ports_count, y->match_tag);
	if (x->port != y->port || x->proto != y->proto || x->action != y->action)
		fuzz_fail("rule %s: port %u proto %u action %u vs port %u proto %u action %u",
			  x->name, x->port, x->proto, x->action, y->port, y->proto, y->action);
	if (x->tcp_flags != y->tcp_flags || x->limit.interval != y->limit.interval ||
	    x->limit.burst != y->limit.burst || x->limit.per_source != y->limit.per_source ||
	    x->limit.ban_for != y->limit.ban_for || x->log != y->log)
		fuzz_fail("rule %s: tcp_flags %u limit %llu/%u/%d/%llu vs tcp_flags %u limit %llu/%u/%d/%llu",
			  x->name, x->tcp_flags, (unsigned long long)x->limit.interval,
			  x->limit.burst, x->limit.per_source, (unsigned long long)x->limit.ban_for,
			  y->tcp_flags, (unsigned long long)y->limit.interval, y->limit.burst,
			  y->limit.per_source, (unsigned long long)y->limit.ban_for);
	if (x->id != y->id || x->line != y->line || x->col != y->col ||
	    x->defined_in != y->defined_in)
		fuzz_fail("rule %s: id %u at %u:%d:%d vs id %u at %u:%d:%d", x->name, x->id,
			  x->defined_in, x->line, x->col, y->id, y->defined_in, y->line, y->col);
}

static void same_set(const char *what, const struct fw_set *x, const struct fw_set *y)
{
	if (strcmp(x->name, y->name) || !x->file != !y->file ||
	    (x->file && strcmp(x->file, y->file)) || x->line != y->line || x->col != y->col ||
	    x->defined_in != y->defined_in)
		fuzz_fail("%s: %s at %u:%d:%d vs %s at %u:%d:%d", what, x->name, x->defined_in,
			  x->line, x->col, y->name, y->defined_in, y->line, y->col);
	if (x->count != y->count || x->v4 != y->v4 || x->v6 != y->v6)
		fuzz_fail("set %s: %zu elements vs %zu", x->name, x->count, y->count);
	for (size_t j = 0; j < x->count; j++) {
		const struct fw_set_element *e = &x->elements[j], *f = &y->elements[j];

		if (memcmp(e->prefix.addr, f->prefix.addr, sizeof(e->prefix.addr)) ||
		    e->prefix.len != f->prefix.len || e->line != f->line || e->col != f->col)
			fuzz_fail("set %s: element #%zu differs", x->name, j + 1);
	}
}

static void same_sets(const struct fw_ruleset *a, const struct fw_ruleset *b)
{
	char what[32];

	if (a->set_count != b->set_count)
		fuzz_fail("sets: %zu vs %zu", a->set_count, b->set_count);
	for (size_t i = 0; i < a->set_count; i++) {
		snprintf(what, sizeof(what), "set #%zu", i + 1);
		same_set(what, &a->sets[i], &b->sets[i]);
	}
	same_set("never_ban", &a->never_ban, &b->never_ban);
}

static void same_crowdsec(const struct fw_crowdsec *a, const struct fw_crowdsec *b)
{
	if (!a->url != !b->url || (a->url && strcmp(a->url, b->url)))
		fuzz_fail("crowdsec url: %s vs %s", a->url ? a->url : "(none)",
			  b->url ? b->url : "(none)");
	if (!a->api_key_file != !b->api_key_file ||
	    (a->api_key_file && strcmp(a->api_key_file, b->api_key_file)))
		fuzz_fail("crowdsec api_key_file: %s vs %s",
			  a->api_key_file ? a->api_key_file : "(none)",
			  b->api_key_file ? b->api_key_file : "(none)");
	if (a->poll_ms != b->poll_ms || a->line != b->line)
		fuzz_fail("crowdsec: poll %u ms at line %d vs poll %u ms at line %d", a->poll_ms,
			  a->line, b->poll_ms, b->line);
}

static void same_metrics(const struct fw_metrics_listen *a, const struct fw_metrics_listen *b)
{
	if (!a->text != !b->text || (a->text && strcmp(a->text, b->text)) ||
	    strcmp(a->host, b->host) || a->port != b->port || a->family != b->family ||
	    a->line != b->line)
		fuzz_fail("metrics: %s at line %d vs %s at line %d", a->text ? a->text : "(none)",
			  a->line, b->text ? b->text : "(none)", b->line);
}

static void same_log(const struct fw_log_policy *a, const struct fw_log_policy *b)
{
	if (a->interval != b->interval || a->burst != b->burst || a->bans != b->bans ||
	    a->limits != b->limits)
		fuzz_fail("log: %llu ns burst %u bans %d limits %d vs %llu ns burst %u bans %d "
			  "limits %d", (unsigned long long)a->interval, a->burst, a->bans,
			  a->limits, (unsigned long long)b->interval, b->burst, b->bans, b->limits);
}

static void same_port_ranges(const struct fw_ruleset *a, const struct fw_ruleset *b)
{
	if (a->port_range_count != b->port_range_count)
		fuzz_fail("port ranges: %zu vs %zu", a->port_range_count, b->port_range_count);
	for (size_t i = 0; i < a->port_range_count; i++)
		if (a->port_ranges[i].first != b->port_ranges[i].first ||
		    a->port_ranges[i].last != b->port_ranges[i].last)
			fuzz_fail("port range #%zu differs", i + 1);
}

static void same_paths(const char *what, char *const *a, size_t na, char *const *b, size_t nb)
{
	if (na != nb)
		fuzz_fail("sources: %zu %s vs %zu", na, what, nb);
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]))
			fuzz_fail("sources: %s #%zu: %s vs %s", what, i + 1, a[i], b[i]);
}

/* Field by field: padding and bytes past a name's NUL may differ and do not matter. */
static void same_config(const struct fw_config *a, const struct fw_config *b)
{
	if (!a->path != !b->path || (a->path && strcmp(a->path, b->path)))
		fuzz_fail("path: %s vs %s", a->path ? a->path : "(none)", b->path ? b->path : "(none)");
	same_interfaces(a, b);
	if (a->capacity != b->capacity || a->max_bans != b->max_bans)
		fuzz_fail("capacity %u, max_bans %u vs capacity %u, max_bans %u", a->capacity,
			  a->max_bans, b->capacity, b->max_bans);
	same_crowdsec(&a->crowdsec, &b->crowdsec);
	same_metrics(&a->metrics, &b->metrics);
	same_log(&a->rules.log, &b->rules.log);
	if (a->rules.default_action != b->rules.default_action ||
	    a->rules.fragments != b->rules.fragments)
		fuzz_fail("settings: default %u fragments %u vs default %u fragments %u",
			  a->rules.default_action, a->rules.fragments, b->rules.default_action,
			  b->rules.fragments);
	if (a->rules.count != b->rules.count)
		fuzz_fail("rules: %zu vs %zu", a->rules.count, b->rules.count);
	for (size_t i = 0; i < a->rules.count; i++)
		same_rule(i, &a->rules.rules[i], &b->rules.rules[i]);
	same_sets(&a->rules, &b->rules);
	same_port_ranges(&a->rules, &b->rules);
	same_paths("files", a->sources.files, a->sources.file_count, b->sources.files,
		   b->sources.file_count);
	same_paths("patterns", a->sources.patterns, a->sources.pattern_count, b->sources.patterns,
		   b->sources.pattern_count);
}

/* Both readers on one text; returns whether the fast lane produced the result. */
static bool compare_readers(const char *text, size_t size)
{
	struct fw_config_options opts = fuzz_config_options;
	struct fw_config fast, slow;
	struct fuzz_diag dfast, dslow;
	bool fast_used = false;
	int efast, eslow;

	fuzz_diag_open(&dfast);
	opts.reader = FW_READER_AUTO;
	efast = fw_config_parse_opts(NAME, text, size, &opts, &fast, dfast.f, &fast_used);
	fuzz_diag_close(&dfast);
	fuzz_diag_open(&dslow);
	opts.reader = FW_READER_LIBYAML;
	eslow = fw_config_parse_opts(NAME, text, size, &opts, &slow, dslow.f, NULL);
	fuzz_diag_close(&dslow);

	if (efast != eslow)
		fuzz_fail("fast lane %s: %d, libyaml: %d", fast_used ? "used" : "not used", efast,
			  eslow);
	if (dfast.len != dslow.len || memcmp(dfast.text, dslow.text, dfast.len))
		fuzz_fail("the diagnostics differ (fast lane %s):\n--- auto\n%s--- libyaml\n%s",
			  fast_used ? "used" : "not used", dfast.text, dslow.text);
	same_config(&fast, &slow);
	/* Equal, so checking one is checking both. */
	fuzz_check_outcome(NAME, size, efast, &fast, &dfast);

	fw_config_free(&fast);
	fw_config_free(&slow);
	fuzz_diag_free(&dfast);
	fuzz_diag_free(&dslow);
	return fast_used;
}

/* Words a config is made of, and words YAML might read as something else. */
static const char *const keys[] = {
	"interfaces", "settings", "rules", "name", "mode", "src", "port", "proto", "action",
	"default_action", "fragments", "max_rules", "sets", "file", "elements", "tcp_flags",
	"limit", "rate", "burst", "per", "ban_for", "max_bans", "never_ban", "crowdsec", "url",
	"api_key_file", "poll", "include",
};
static const char *const values[] = {
	"tcp", "udp", "icmp", "icmpv6", "any", "drop", "pass", "inspect", "native", "generic",
	"auto", "eth0", "22", "0", "65535", "65536", "0x16", "022", "1e3", "+1", "1_000", "null",
	"true", "~", "198.18.0.1", "2001:2::1", "::1", "1.2.3", "a:b", "a/b", "x.y-z",
	"8000-8099", "90-80", "0-1", "198.18.0.0/15", "198.18.0.1/15", "2001:2::/48", "::/0",
	"lists/drop.txt", "/etc/drop.txt", "\"@drop\"", "'@drop'", "\"a b # c: d\"", "\"\"", "''",
	"\"a\\\\b\"", "'it''s'", "\"22\"", "\"x\"y", "syn", "ack", "20/s", "30/m", "1/h", "0/s",
	"20", "1000000001/s", "source", "rule", "10m", "1h30m", "100ms", "30m1h", "600",
	"http://127.0.0.1:8080/", "https://[::1]:8443/", "ftp://x/", "crowdsec.key",
	"conf.d/*.yaml", "/etc/xdpfw/conf.d/[0-9]*.yaml",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define GEN_LINE_MAX 96
#define GEN_LINES 128 /* enough for every shape; longer texts only slow the fuzzer */
#define GEN_ROOM (GEN_LINES * GEN_LINE_MAX + GEN_LINE_MAX)

/* A word from the table, or a few input bytes projected into a plain scalar's characters. */
static const char *gen_word(const uint8_t **in, const uint8_t *end, const char *const *table,
			    size_t n, char *own)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789_.:/+-";
	size_t len;
	uint8_t b;

	if (*in == end)
		return table[0];
	b = *(*in)++;
	if (b % 4)
		return table[b % n];
	len = 1 + b / 4 % 8;
	for (size_t i = 0; i < len; i++)
		own[i] = *in < end ? chars[*(*in)++ % (sizeof(chars) - 1)] : 'x';
	own[len] = '\0';
	return own;
}

/*
 * SUB_OPEN and SUB_FIELD: a mapping in a top-level mapping, as a set is in
 * sets:; ITEM_OPEN and ITEM_FIELD: a mapping in a list item, as a rule's limit:.
 */
enum gen_line {
	TOP_OPEN, TOP_VALUE, ITEM, FIELD, SETTING, SUB_OPEN, SUB_FIELD, ITEM_OPEN, ITEM_FIELD, NOISE
};

/* Where the lines so far leave the next one: the kinds the lane would read. */
enum gen_state { AT_TOP, OPENED, IN_LIST, IN_MAP, SUB_OPENED, IN_SUB, ITEM_OPENED, IN_ITEM_SUB };

/* A setting, or with bit 0x20 a key opening a mapping of its own; under one, its field. */
static enum gen_line gen_nested(enum gen_line line, uint8_t shape, enum gen_state state)
{
	if (state == SUB_OPENED)
		return SUB_FIELD;
	if (state == IN_SUB && line != TOP_OPEN && line != TOP_VALUE)
		return shape & 0x20 ? SUB_FIELD : SUB_OPEN;
	if (line == SETTING && shape & 0x20)
		return SUB_OPEN;
	return line;
}

/* The line the input asks for, made to fit what came before unless it is noise. */
static enum gen_line gen_fit(uint8_t shape, enum gen_state state)
{
	static const enum gen_line wanted[8] = { TOP_OPEN, TOP_VALUE, ITEM, ITEM, FIELD, FIELD,
						 SETTING, NOISE };
	enum gen_line line = wanted[shape & 7];

	if (line == NOISE)
		return NOISE;
	if (state == ITEM_OPENED)
		return ITEM_FIELD;
	if (state == IN_ITEM_SUB && (line == FIELD || line == SETTING))
		return shape & 0x20 ? ITEM_FIELD : FIELD;
	if (state == SUB_OPENED || state == IN_SUB)
		return gen_nested(line, shape, state);
	if (state == AT_TOP)
		return line == TOP_OPEN ? TOP_OPEN : TOP_VALUE;
	if (state == OPENED)
		return gen_nested(line == SETTING || (line != ITEM && line != FIELD && shape & 8)
					  ? SETTING : ITEM, shape, state);
	if (state == IN_MAP && line != TOP_OPEN && line != TOP_VALUE)
		return gen_nested(SETTING, shape, state);
	if (state == IN_LIST && line == SETTING)
		return shape & 0x20 ? ITEM_OPEN : FIELD;
	return line;
}

static const char *const gen_lead[] = {
	[TOP_OPEN] = "", [TOP_VALUE] = "", [ITEM] = "  - ", [FIELD] = "    ", [SETTING] = "  ",
	[SUB_OPEN] = "  ", [SUB_FIELD] = "    ", [ITEM_OPEN] = "    ", [ITEM_FIELD] = "      ",
};

static const enum gen_state gen_after[] = {
	[TOP_OPEN] = OPENED, [TOP_VALUE] = AT_TOP, [ITEM] = IN_LIST, [FIELD] = IN_LIST,
	[SETTING] = IN_MAP, [SUB_OPEN] = SUB_OPENED, [SUB_FIELD] = IN_SUB,
	[ITEM_OPEN] = ITEM_OPENED, [ITEM_FIELD] = IN_ITEM_SUB,
};

/*
 * Turns the input into lines of the lane's shape: top-level keys, list items
 * and their fields, mappings in them (as limit: is) and their fields,
 * settings, mappings in a section (as sets are) and their fields, comments,
 * and now and then a line indented or
 * dashed at random. Raw bytes rarely stay inside the lane's subset for a
 * whole file (the lane reads under 1% of them); these mostly do.
 */
static size_t generate(const uint8_t *in, size_t size, char *out, size_t room)
{
	const uint8_t *end = in + size;
	enum gen_state state = AT_TOP;
	size_t used = 0;

	while (in < end && room - used > GEN_LINE_MAX) {
		uint8_t shape = *in++;
		char own_key[16], own_value[16];
		const char *key = gen_word(&in, end, keys, COUNT(keys), own_key);
		const char *value = gen_word(&in, end, values, COUNT(values), own_value);
		const char *note = shape & 0x80 ? "  # note" : "";
		enum gen_line line = gen_fit(shape, state);
		int n;

		if (line == NOISE) /* any indent, maybe a dash, maybe no value */
			n = snprintf(out + used, room - used, "%*s%s%s:%s%s\n", shape >> 3 & 7, "",
				     shape & 0x40 ? "- " : "", key, shape & 0x80 ? "" : " ",
				     shape & 0x80 ? "" : value);
		else {
			bool opens = line == TOP_OPEN || line == SUB_OPEN || line == ITEM_OPEN;

			n = snprintf(out + used, room - used, "%s%s:%s%s%s\n", gen_lead[line], key,
				     opens ? "" : " ", opens ? "" : value, note);
			state = gen_after[line];
		}
		used += (size_t)n;
	}
	/* A last key without a value is libyaml's to read. */
	if (state == OPENED)
		used += (size_t)snprintf(out + used, room - used, "  - name: last\n");
	else if (state == SUB_OPENED)
		used += (size_t)snprintf(out + used, room - used, "    file: last\n");
	else if (state == ITEM_OPENED)
		used += (size_t)snprintf(out + used, room - used, "      rate: last\n");
	return used;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char generated[GEN_ROOM];
	bool fast = compare_readers((const char *)data, size);

	if (expect_fast && !fast)
		fuzz_fail("FUZZ_LANES_EXPECT_FAST: the fast lane gave this input up");
	runs++;
	fast_runs += fast;
	generated_fast_runs += compare_readers(generated, generate(data, size, generated, GEN_ROOM));
	return 0;
}

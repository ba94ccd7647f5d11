// SPDX-License-Identifier: GPL-2.0
/* The Local API's decision stream (JSON, json-c) reduced to bans and unbans. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <json-c/json.h>
#include "crowdsec.h"
#include "prefix.h"
#include "text.h"

#define FW_NS_PER_S 1000000000LL

struct fw_go_unit {
	const char *name;
	int64_t ns;
};

/* Longest names first, so "ms" is not read as "m". */
static const struct fw_go_unit fw_go_units[] = {
	{ "ns", 1 },
	{ "us", 1000 },
	{ "\xc2\xb5s", 1000 }, /* U+00B5 micro sign */
	{ "\xce\xbcs", 1000 }, /* U+03BC Greek mu */
	{ "ms", 1000000 },
	{ "s", FW_NS_PER_S },
	{ "m", 60 * FW_NS_PER_S },
	{ "h", 3600 * FW_NS_PER_S },
};

static const struct fw_go_unit *fw_go_unit(const char **p)
{
	for (size_t i = 0; i < sizeof(fw_go_units) / sizeof(fw_go_units[0]); i++) {
		size_t n = strlen(fw_go_units[i].name);

		if (!strncmp(*p, fw_go_units[i].name, n)) {
			*p += n;
			return &fw_go_units[i];
		}
	}
	return NULL;
}

/* What Go's time.ParseDuration accepts: [-+]? (number unit)+, or "0". */
int fw_go_duration_parse(const char *text, int64_t *ns)
{
	const char *p = text;
	unsigned __int128 total = 0;
	bool negative = *p == '-';

	if (*p == '-' || *p == '+')
		p++;
	if (!strcmp(p, "0")) {
		*ns = 0;
		return 0;
	}
	if (!*p)
		return -EINVAL;
	while (*p) {
		unsigned __int128 whole = 0, frac = 0, scale = 1;
		const struct fw_go_unit *unit;
		bool digits = false;

		for (; *p >= '0' && *p <= '9'; p++, digits = true) {
			whole = whole * 10 + (unsigned)(*p - '0');
			if (whole > (unsigned __int128)INT64_MAX + 1)
				return -ERANGE;
		}
		if (*p == '.')
			for (p++; *p >= '0' && *p <= '9'; p++, digits = true)
				if (scale < FW_NS_PER_S * (unsigned __int128)FW_NS_PER_S) {
					frac = frac * 10 + (unsigned)(*p - '0');
					scale *= 10;
				} /* digits past 1e-18 of a unit cannot change the ns */
		if (!digits || !(unit = fw_go_unit(&p)))
			return -EINVAL;
		total += whole * (unsigned __int128)unit->ns + frac * unit->ns / scale;
		if (total > (unsigned __int128)INT64_MAX + 1)
			return -ERANGE;
	}
	if (!negative && total > INT64_MAX)
		return -ERANGE;
	*ns = negative ? (int64_t)-(total - 1) - 1 : (int64_t)total;
	return 0;
}

static const char *fw_json_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ?
		       json_object_get_string(v) : NULL;
}

/* How many bytes the UTF-8 sequence led by c has (1 for ASCII or a stray byte). */
static size_t fw_utf8_len(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

/* "crowdsec:SCENARIO" cut to fit, never inside a UTF-8 sequence, with no control characters. */
static void fw_cs_origin(char out[FW_RULE_NAME_MAX], const char *scenario)
{
	int full = snprintf(out, FW_RULE_NAME_MAX, "crowdsec:%s", scenario);
	size_t n = strlen(out), tail = 0;

	if (full >= FW_RULE_NAME_MAX) {
		while (tail < n && tail < 3 && ((unsigned char)out[n - 1 - tail] & 0xc0) == 0x80)
			tail++;
		if (tail < n && fw_utf8_len((unsigned char)out[n - 1 - tail]) > tail + 1)
			out[n - 1 - tail] = '\0';
	}
	for (char *c = out; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
}

/* Up to max bytes of network text, made safe to log. */
static const char *fw_cs_safe(char *out, size_t size, const char *text, size_t max)
{
	size_t n = text ? strnlen(text, max) : 0;

	return text ? fw_escape(out, size, text, n) : "?";
}

enum fw_cs_kind { FW_CS_BAN, FW_CS_OTHER, FW_CS_INVALID };

/* An Ip or Range ban's prefix; FW_CS_OTHER for any other type or scope. */
static enum fw_cs_kind fw_cs_decision_prefix(struct json_object *d, struct fw_cs_stream *s,
					     struct fw_prefix *prefix)
{
	const char *type = fw_json_str(d, "type"), *scope = fw_json_str(d, "scope");
	const char *value = fw_json_str(d, "value");
	enum fw_prefix_error perr;

	char a[FW_ESCAPED_SIZE(20)], b[FW_ESCAPED_SIZE(60)];

	if (!type || !scope || strcasecmp(type, "ban") ||
	    (strcasecmp(scope, "ip") && strcasecmp(scope, "range"))) {
		if (!s->ignored_example[0])
			snprintf(s->ignored_example, sizeof(s->ignored_example), "type %s, scope %s",
				 fw_cs_safe(a, sizeof(a), type, 20),
				 fw_cs_safe(b, sizeof(b), scope, 20));
		return FW_CS_OTHER;
	}
	perr = value ? fw_prefix_parse(value, strlen(value), prefix) : FW_PREFIX_SYNTAX;
	if (perr == FW_PREFIX_HOST_BITS) /* the LAPI normalises ranges; tolerate one that is not */
		perr = FW_PREFIX_OK;
	if (perr == FW_PREFIX_OK)
		return FW_CS_BAN;
	if (!s->invalid_example[0])
		snprintf(s->invalid_example, sizeof(s->invalid_example), "%s '%s'%s",
			 fw_cs_safe(a, sizeof(a), scope, 20),
			 value ? fw_cs_safe(b, sizeof(b), value, 60) : "(no value)",
			 perr == FW_PREFIX_ZERO_LEN ? " would ban every address" : "");
	return FW_CS_INVALID;
}

static void fw_cs_count(struct fw_cs_stream *s, enum fw_cs_kind kind)
{
	if (kind == FW_CS_OTHER)
		s->ignored++;
	else if (kind == FW_CS_INVALID)
		s->invalid++;
}

/*
 * Rounded up to a step of a power of two seconds, at most 1/16 of it
 * (whole seconds up to 32 s): fw_bans_add() takes one duration per call,
 * and a whole set's durations spread over hours would be one call each.
 * With 16 steps per doubling, a startup set spread over 4 hours takes ~170
 * calls. A ban may so outlast its decision by up to 1/16, but only while
 * the bouncer is not polling: the decision's expiry comes as a deletion.
 */
uint64_t fw_cs_duration_step(int64_t ns)
{
	uint64_t s = ((uint64_t)ns + FW_NS_PER_S - 1) / FW_NS_PER_S, step = 1;

	while (step * 2 * 16 <= s)
		step *= 2;
	return (s + step - 1) / step * step * FW_NS_PER_S;
}

static void fw_cs_read_new(struct json_object *d, struct fw_cs_stream *s)
{
	struct fw_cs_ban *ban = &s->bans[s->ban_count];
	const char *duration = fw_json_str(d, "duration"), *scenario = fw_json_str(d, "scenario");
	enum fw_cs_kind kind = fw_cs_decision_prefix(d, s, &ban->prefix);
	int64_t ns = 0;

	if (kind == FW_CS_BAN && (!duration || fw_go_duration_parse(duration, &ns))) {
		char esc[FW_ESCAPED_SIZE(40)];

		if (!s->invalid_example[0])
			snprintf(s->invalid_example, sizeof(s->invalid_example), "duration '%s'",
				 duration ? fw_cs_safe(esc, sizeof(esc), duration, 40) : "(none)");
		kind = FW_CS_INVALID;
	}
	if (kind != FW_CS_BAN) {
		fw_cs_count(s, kind);
		return;
	}
	if (ns <= 0) { /* expired on the way: the stream lists it as deleted next */
		s->ignored++;
		return;
	}
	ban->duration = fw_cs_duration_step(ns);
	if (!scenario || !*scenario)
		scenario = fw_json_str(d, "origin");
	fw_cs_origin(ban->origin, scenario && *scenario ? scenario : "unknown");
	s->ban_count++;
}

static int fw_prefix_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct fw_prefix));
}

/* By prefix, the longest ban first. */
static int fw_cs_ban_cmp(const void *a, const void *b)
{
	const struct fw_cs_ban *x = a, *y = b;
	int c = fw_prefix_cmp(&x->prefix, &y->prefix);

	return c ? c : (x->duration < y->duration) - (x->duration > y->duration);
}

/* One ban per prefix (the longest), and no unban of a prefix banned again. */
static void fw_cs_stream_tidy(struct fw_cs_stream *s)
{
	size_t kept = 0;

	qsort(s->bans, s->ban_count, sizeof(*s->bans), fw_cs_ban_cmp);
	for (size_t i = 0; i < s->ban_count; i++)
		if (!kept || fw_prefix_cmp(&s->bans[kept - 1].prefix, &s->bans[i].prefix))
			s->bans[kept++] = s->bans[i];
	s->ban_count = kept;
	kept = 0;
	for (size_t i = 0; i < s->unban_count; i++)
		if (!bsearch(&s->unbans[i], s->bans, s->ban_count, sizeof(*s->bans), fw_prefix_cmp))
			s->unbans[kept++] = s->unbans[i];
	s->unban_count = kept;
}

/* The array at key: NULL when absent or null (the stream says "new": null when nothing is). */
static int fw_cs_array(struct json_object *root, const char *key, struct json_object **out,
		       char *err, size_t err_size)
{
	struct json_object *v = NULL;

	*out = NULL;
	if (!json_object_object_get_ex(root, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_array)) {
		snprintf(err, err_size, "\"%s\" is not an array", key);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int fw_cs_stream_read(struct json_object *root, struct fw_cs_stream *s, char *err,
			     size_t err_size)
{
	struct json_object *fresh, *deleted;
	size_t n_new, n_deleted;

	if (!json_object_is_type(root, json_type_object)) {
		snprintf(err, err_size, "not a JSON object");
		return -EINVAL;
	}
	if (fw_cs_array(root, "new", &fresh, err, err_size) ||
	    fw_cs_array(root, "deleted", &deleted, err, err_size))
		return -EINVAL;
	n_new = fresh ? json_object_array_length(fresh) : 0;
	n_deleted = deleted ? json_object_array_length(deleted) : 0;
	s->bans = calloc(n_new ? n_new : 1, sizeof(*s->bans));
	s->unbans = calloc(n_deleted ? n_deleted : 1, sizeof(*s->unbans));
	if (!s->bans || !s->unbans)
		return -ENOMEM;
	for (size_t i = 0; i < n_new; i++)
		fw_cs_read_new(json_object_array_get_idx(fresh, i), s);
	for (size_t i = 0; i < n_deleted; i++) {
		enum fw_cs_kind kind = fw_cs_decision_prefix(json_object_array_get_idx(deleted, i),
							     s, &s->unbans[s->unban_count]);

		if (kind == FW_CS_BAN)
			s->unban_count++;
		fw_cs_count(s, kind);
	}
	fw_cs_stream_tidy(s);
	return 0;
}

static bool fw_only_space(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", text[i]) || !text[i])
			return false;
	return true;
}

int fw_cs_stream_parse(const char *text, size_t len, struct fw_cs_stream *out, char *err,
		       size_t err_size)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *root = NULL;
	int ret = -ENOMEM;

	memset(out, 0, sizeof(*out));
	if (!tok)
		goto cleanup;
	if (len > INT32_MAX) {
		snprintf(err, err_size, "the answer is too large (%zu bytes)", len);
		ret = -EINVAL;
		goto cleanup;
	}
	root = json_tokener_parse_ex(tok, text, (int)len);
	if (!root || !fw_only_space(text + json_tokener_get_parse_end(tok),
				    len - json_tokener_get_parse_end(tok))) {
		enum json_tokener_error jerr = json_tokener_get_error(tok);

		snprintf(err, err_size, "not JSON: %s at byte %zu",
			 jerr == json_tokener_continue || jerr == json_tokener_success ?
				 "incomplete or trailing text" : json_tokener_error_desc(jerr),
			 json_tokener_get_parse_end(tok));
		ret = -EINVAL;
		goto cleanup;
	}
	ret = fw_cs_stream_read(root, out, err, err_size);
cleanup:
	if (ret)
		fw_cs_stream_free(out);
	json_object_put(root);
	if (tok)
		json_tokener_free(tok);
	return ret;
}

void fw_cs_stream_free(struct fw_cs_stream *s)
{
	free(s->bans);
	free(s->unbans);
	s->bans = NULL;
	s->unbans = NULL;
	s->ban_count = s->unban_count = 0;
}

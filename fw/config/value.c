// SPDX-License-Identifier: GPL-2.0
/* Config parsing, part 2: what a scalar means, and which keys a mapping holds. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "duration.h"
#include "value.h"
#include "xdpfw.h"

#define CFG_LIST_MAX 160

/* The longest null or boolean word; longer text is neither. */
#define CFG_KEYWORD_MAX 5

static bool cfg_plain_is(const struct cfg_node *n, const char *const *words, size_t nwords)
{
	size_t i;

	if (n->kind != CFG_SCALAR || !n->plain || n->len > CFG_KEYWORD_MAX)
		return false;
	for (i = 0; i < nwords; i++)
		if (words[i][0] == n->text[0] && !strcmp(n->text, words[i]))
			return true;
	return false;
}

bool cfg_is_null(const struct cfg_node *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };

	return cfg_plain_is(n, nulls, CFG_COUNT(nulls));
}

/* YAML 1.1, which libyaml implements and many tools still follow. */
static bool cfg_is_bool(const struct cfg_node *n)
{
	static const char *const bools[] = {
		"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
		"true", "True", "TRUE", "false", "False", "FALSE",
		"on", "On", "ON", "off", "Off", "OFF",
	};

	return cfg_plain_is(n, bools, CFG_COUNT(bools));
}

bool cfg_is_text(const struct cfg_node *n)
{
	return n->kind == CFG_SCALAR && !cfg_is_null(n) && !cfg_is_bool(n);
}

const char *cfg_kind_name(const struct cfg_node *n)
{
	switch (n->kind) {
	case CFG_MAPPING:
		return "a mapping";
	case CFG_SEQUENCE:
		return "a list";
	default:
		return cfg_is_null(n) ? "an empty value" : "a single value";
	}
}

/* "a, b, c": the words of words, or else the strings strs. */
static const char *cfg_join(const struct cfg_words *words, const char *const *strs, size_t n,
			    char *buf, size_t size)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used < size; i++)
		used += snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
				 words ? words->names[words->order[i]] : strs[i]);
	return buf;
}

/* Reports why n is not text; hint says what to write instead of a boolean. */
static void cfg_not_text(struct cfg_diags *d, const struct cfg_node *n,
			 const struct cfg_ctx *ctx, const char *key, const char *hint)
{
	if (n->kind == CFG_BROKEN)
		return;
	if (n->kind != CFG_SCALAR)
		cfg_ctx_error(d, ctx, n->line, n->col, "%s must be a single value, found %s", key,
			      cfg_kind_name(n));
	else if (cfg_is_null(n))
		cfg_ctx_error(d, ctx, n->line, n->col,
			      "%s is empty; give it a value or remove the key", key);
	else
		cfg_ctx_error(d, ctx, n->line, n->col, "%s is the YAML boolean %s, not text; %s",
			      key, n->text, hint);
}

static bool cfg_scalar_ok(struct cfg_diags *d, const struct cfg_node *n,
			  const struct cfg_ctx *ctx, const char *key, const char *hint)
{
	if (cfg_is_text(n))
		return true;
	cfg_not_text(d, n, ctx, key, hint);
	return false;
}

bool cfg_text(struct cfg_diags *d, const struct cfg_node *n, const struct cfg_ctx *ctx,
	      const char *key)
{
	return cfg_scalar_ok(d, n, ctx, key, "quote it if you mean the text");
}

static bool cfg_all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

bool cfg_bool(struct cfg_diags *d, const struct cfg_node *n, const struct cfg_ctx *ctx,
	      const char *key, bool *out)
{
	if (n->kind == CFG_SCALAR && cfg_is_bool(n)) {
		/* y, yes, true, on in the cases cfg_is_bool() allows */
		*out = strchr("yYtT", n->text[0]) || !strcasecmp(n->text, "on");
		return true;
	}
	if (n->kind == CFG_BROKEN)
		return false;
	if (n->kind != CFG_SCALAR)
		cfg_ctx_error(d, ctx, n->line, n->col, "%s must be true or false, found %s", key,
			      cfg_kind_name(n));
	else if (cfg_is_null(n))
		cfg_ctx_error(d, ctx, n->line, n->col,
			      "%s is empty; write true or false, or remove the key", key);
	else if (!n->plain)
		cfg_ctx_error(d, ctx, n->line, n->col,
			      "%s \"%s\" is quoted text; write true or false without quotes", key,
			      n->text);
	else
		cfg_ctx_error(d, ctx, n->line, n->col,
			      "%s \"%s\" is not true or false; write true or false", key, n->text);
	return false;
}

bool cfg_uint(struct cfg_diags *d, const struct cfg_node *n, const struct cfg_ctx *ctx,
	      const char *key, uint32_t min, uint32_t max, uint32_t *out)
{
	const char *digits;
	uint64_t value = 0;

	if (!cfg_scalar_ok(d, n, ctx, key, "write a whole number"))
		return false;
	if (!n->plain) {
		cfg_ctx_error(d, ctx, n->line, n->col,
			      "%s \"%s\" is quoted text; write it as a plain number", key, n->text);
		return false;
	}
	digits = n->text[0] == '-' ? n->text + 1 : n->text;
	if (!cfg_all_digits(digits)) {
		cfg_ctx_error(d, ctx, n->line, n->col,
			      "%s \"%s\" is not an integer; use a whole number %u-%u", key, n->text,
			      min, max);
		return false;
	}
	if (digits[0] == '0' && digits[1]) {
		cfg_ctx_error(d, ctx, n->line, n->col,
			      "%s %s has a leading zero, which YAML reads as octal; write it without",
			      key, n->text);
		return false;
	}
	for (; *digits && value <= max; digits++)
		value = value * 10 + (uint64_t)(*digits - '0');
	if (n->text[0] == '-' || value < min || value > max) {
		cfg_ctx_error(d, ctx, n->line, n->col, "%s %s out of range; use %u-%u", key, n->text,
			      min, max);
		return false;
	}
	*out = (uint32_t)value;
	return true;
}

bool cfg_duration(struct cfg_diags *d, const struct cfg_node *n, const struct cfg_ctx *ctx,
		  const char *key, uint64_t min, uint64_t max, uint64_t *out)
{
	char low[FW_DURATION_TEXT_MAX], high[FW_DURATION_TEXT_MAX];
	uint64_t ns;
	int err;

	if (!cfg_text(d, n, ctx, key))
		return false;
	fw_duration_format(min, low);
	fw_duration_format(max, high);
	if (cfg_all_digits(n->text)) {
		cfg_ctx_error(d, ctx, n->line, n->col,
			      "%s %s has no unit; write %ss for seconds, or a duration like 10m, 2h or 7d",
			      key, n->text, n->text);
		return false;
	}
	err = fw_duration_parse(n->text, n->len, &ns);
	if (err == -EINVAL) {
		cfg_ctx_error(d, ctx, n->line, n->col,
			      "%s \"%s\" is not a duration; write e.g. 30s, 10m, 2h, 7d or 1h30m (units ms, s, m, h, d, largest first)",
			      key, n->text);
		return false;
	}
	if (err || ns > max) {
		cfg_ctx_error(d, ctx, n->line, n->col, "%s %s is longer than %s; use at most %s", key,
			      n->text, high, high);
		return false;
	}
	if (ns < min) {
		cfg_ctx_error(d, ctx, n->line, n->col, "%s %s is shorter than %s; use at least %s",
			      key, n->text, low, low);
		return false;
	}
	*out = ns;
	return true;
}

static bool cfg_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == ':' || c == '-';
}

bool cfg_name_valid(const char *name, size_t len)
{
	size_t i;

	if (!len || len >= FW_RULE_NAME_MAX)
		return false;
	for (i = 0; i < len && cfg_name_char(name[i]); i++)
		;
	return i == len;
}

bool cfg_name(struct cfg_diags *d, const struct cfg_node *n, const struct cfg_ctx *ctx,
	      const char *key)
{
	size_t i;

	if (!cfg_text(d, n, ctx, key))
		return false;
	if (!n->len) {
		cfg_ctx_error(d, ctx, n->line, n->col,
			      "%s is empty; use 1-%d characters (letters, digits, _ . : -)", key,
			      FW_RULE_NAME_MAX - 1);
		return false;
	}
	if (n->len >= FW_RULE_NAME_MAX) {
		cfg_ctx_error(d, ctx, n->line, n->col, "%s \"%s\" is %zu characters long; use at most %d",
			      key, n->text, n->len, FW_RULE_NAME_MAX - 1);
		return false;
	}
	for (i = 0; i < n->len; i++) {
		if (!cfg_name_char(n->text[i])) {
			cfg_ctx_error(d, ctx, n->line, n->col,
				      "%s \"%s\" has invalid characters; use only letters, digits and _ . : -",
				      key, n->text);
			return false;
		}
	}
	return true;
}

static void cfg_not_word(struct cfg_diags *d, const struct cfg_node *n,
			 const struct cfg_ctx *ctx, const char *key, const struct cfg_words *words)
{
	char list[CFG_LIST_MAX], hint[CFG_LIST_MAX + 16];
	const char *strs[16], *close;
	size_t i, count = words->count < CFG_COUNT(strs) ? words->count : CFG_COUNT(strs);

	cfg_join(words, NULL, count, list, sizeof(list));
	if (!cfg_is_text(n)) {
		snprintf(hint, sizeof(hint), "use one of %s", list);
		cfg_not_text(d, n, ctx, key, hint);
		return;
	}
	for (i = 0; i < count; i++)
		strs[i] = words->names[words->order[i]];
	close = cfg_suggest(n->text, strs, count);
	if (close)
		cfg_ctx_error(d, ctx, n->line, n->col,
			      "%s \"%s\" is not one of %s; did you mean \"%s\"?", key, n->text, list,
			      close);
	else
		cfg_ctx_error(d, ctx, n->line, n->col, "%s \"%s\" is not one of %s", key, n->text,
			      list);
}

bool cfg_enum(struct cfg_diags *d, const struct cfg_node *n, const struct cfg_ctx *ctx,
	      const char *key, const struct cfg_words *words, int *out)
{
	size_t i;

	if (cfg_is_text(n)) {
		for (i = 0; i < words->count; i++) {
			if (!strcmp(n->text, words->names[words->order[i]])) {
				*out = words->order[i];
				return true;
			}
		}
	}
	cfg_not_word(d, n, ctx, key, words);
	return false;
}

static bool cfg_same_char(char a, char b)
{
	return tolower((unsigned char)a) == tolower((unsigned char)b);
}

/*
 * Edit distance where swapping two neighbours counts as one edit, as typos
 * do ("tpc"); case-insensitive. Known words are short, so rows fit on the stack.
 */
static size_t cfg_distance(const char *a, const char *b)
{
	size_t rows[3][32], i, j, la = strlen(a), lb = strlen(b);

	if (lb >= sizeof(rows[0]) / sizeof(rows[0][0]))
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		rows[0][j] = j;
	for (i = 1; i <= la; i++) {
		size_t *cur = rows[i % 3], *prev = rows[(i - 1) % 3], *prev2 = rows[(i + 1) % 3];

		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t best = prev[j - 1] + !cfg_same_char(a[i - 1], b[j - 1]);

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && cfg_same_char(a[i - 1], b[j - 2]) &&
			    cfg_same_char(a[i - 2], b[j - 1]) && prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
	}
	return rows[la % 3][lb];
}

/* "protocol" for "proto", "max" for "max_rules": one is the other cut short. */
static bool cfg_prefix_related(const char *word, const char *known)
{
	size_t lw = strlen(word), lk = strlen(known);
	size_t shorter = lw < lk ? lw : lk;

	return shorter >= 3 && !strncasecmp(word, known, shorter);
}

const char *cfg_suggest(const char *word, const char *const *known, size_t nknown)
{
	size_t i, best = (size_t)-1, len = strlen(word);
	const char *found = NULL;

	for (i = 0; i < nknown; i++) {
		size_t limit = strlen(known[i]) / 3 ? strlen(known[i]) / 3 : 1;
		size_t d;

		if (len > strlen(known[i]) + limit)
			continue;
		d = cfg_distance(word, known[i]);
		/* On a tie, a word cut short ("prot") means the longer key, not a swap. */
		if (d <= limit && (d < best || (d == best && !strncasecmp(word, known[i], len)))) {
			best = d;
			found = known[i];
		}
	}
	for (i = 0; i < nknown && !found; i++)
		if (cfg_prefix_related(word, known[i]))
			found = known[i];
	return found;
}

void cfg_unknown_key(struct cfg_diags *d, const struct cfg_node *key, const struct cfg_ctx *ctx,
		     const char *const *known, size_t nknown)
{
	const char *close = cfg_suggest(key->text, known, nknown);
	char list[CFG_LIST_MAX];

	if (close)
		cfg_ctx_error(d, ctx, key->line, key->col, "unknown key \"%s\"; did you mean \"%s\"?",
			      key->text, close);
	else
		cfg_ctx_error(d, ctx, key->line, key->col, "unknown key \"%s\"; expected one of %s",
			      key->text, cfg_join(NULL, known, nknown, list, sizeof(list)));
}

/* A scalar key equal to word; the first character rules most keys out without a call. */
static bool cfg_key_is(const struct cfg_node *key, const char *word)
{
	return key->kind == CFG_SCALAR && key->text[0] == word[0] && !strcmp(key->text, word);
}

const struct cfg_node *cfg_find(const struct cfg_node *map, const char *key)
{
	size_t i;

	if (map->kind != CFG_MAPPING)
		return NULL;
	for (i = 0; i + 1 < map->nkids; i += 2)
		if (cfg_key_is(map->kids[i], key))
			return map->kids[i + 1];
	return NULL;
}

static const struct cfg_node *cfg_first_key(const struct cfg_node *map, const char *key)
{
	size_t i;

	for (i = 0; i + 1 < map->nkids; i += 2)
		if (cfg_key_is(map->kids[i], key))
			return map->kids[i];
	return NULL;
}

void cfg_fields(struct cfg_diags *d, const struct cfg_node *map, const struct cfg_ctx *ctx,
		const char *const *known, size_t nknown, const struct cfg_node **values)
{
	size_t i, k;

	for (k = 0; k < nknown; k++)
		values[k] = NULL;
	for (i = 0; i + 1 < map->nkids; i += 2) {
		const struct cfg_node *key = map->kids[i];

		if (key->kind == CFG_BROKEN)
			continue;
		if (key->kind != CFG_SCALAR) {
			cfg_ctx_error(d, ctx, key->line, key->col,
				      "keys must be single words, found %s", cfg_kind_name(key));
			continue;
		}
		for (k = 0; k < nknown && !cfg_key_is(key, known[k]); k++)
			;
		if (k == nknown)
			cfg_unknown_key(d, key, ctx, known, nknown);
		else if (values[k])
			cfg_ctx_error(d, ctx, key->line, key->col,
				      "duplicate key \"%s\" (first at line %d); give each key once",
				      key->text, cfg_local_line(d, cfg_first_key(map, key->text)->line));
		else
			values[k] = map->kids[i + 1];
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * List files: the whole file read at once and parsed in place, one element
 * array sized from the line count, so a million lines take one allocation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "sets.h"

/* Text quoted in a message is cut to this, so one long line makes one short message. */
#define FW_SET_QUOTE_MAX 48

const char *fw_prefix_problem(enum fw_prefix_error err, const char *text, size_t len,
			      const struct fw_prefix *out, char buf[FW_PREFIX_PROBLEM_MAX])
{
	char masked[FW_PREFIX_TEXT_MAX];
	int shown = len > FW_SET_QUOTE_MAX ? FW_SET_QUOTE_MAX : (int)len;
	const char *cut = len > FW_SET_QUOTE_MAX ? "..." : "";

	switch (err) {
	case FW_PREFIX_HOST_BITS:
		snprintf(buf, FW_PREFIX_PROBLEM_MAX, "%.*s%s has host bits set; did you mean %s?",
			 shown, text, cut, fw_prefix_format(out, masked));
		break;
	case FW_PREFIX_ZERO_LEN:
		snprintf(buf, FW_PREFIX_PROBLEM_MAX, "%.*s%s is a /0 prefix, which matches every %saddress",
			 shown, text, cut, fw_prefix_is_v4(out) ? "IPv4 " : "");
		break;
	case FW_PREFIX_BAD_LEN:
		snprintf(buf, FW_PREFIX_PROBLEM_MAX,
			 "\"%.*s%s\" has a prefix length out of range; use /1-/32 for IPv4, /1-/128 for IPv6",
			 shown, text, cut);
		break;
	default:
		snprintf(buf, FW_PREFIX_PROBLEM_MAX, "\"%.*s%s\" is not an IPv4 or IPv6 address or prefix",
			 shown, text, cut);
		break;
	}
	return buf;
}

/* One pass over a list's text. */
struct fw_set_reader {
	struct fw_set *set;
	fw_set_report_fn *report;
	void *ctx;
	long problems;
	uint32_t more_line; /* where the first problem not shown is */
	uint32_t more_col;
};

static void fw_set_problem(struct fw_set_reader *r, uint32_t line, uint32_t col,
			   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void fw_set_problem(struct fw_set_reader *r, uint32_t line, uint32_t col,
			   const char *fmt, ...)
{
	char msg[FW_PREFIX_PROBLEM_MAX + 96];
	va_list ap;

	if (++r->problems > FW_SET_ERRORS_SHOWN) {
		if (r->problems == FW_SET_ERRORS_SHOWN + 1) {
			r->more_line = line;
			r->more_col = col;
		}
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->report(r->ctx, line, col, msg);
}

/* Up to 3 digits, no leading zero, at most max; advances *s. */
static bool fw_set_small_number(const char **s, const char *end, unsigned int max,
				unsigned int *out)
{
	const char *p = *s;
	unsigned int v = 0;

	if (p == end || *p < '0' || *p > '9' || (*p == '0' && p + 1 < end && p[1] >= '0' &&
						 p[1] <= '9'))
		return false;
	while (p < end && *p >= '0' && *p <= '9' && p - *s < 3)
		v = v * 10 + (unsigned int)(*p++ - '0');
	if (v > max || (p < end && *p >= '0' && *p <= '9'))
		return false;
	*s = p;
	*out = v;
	return true;
}

/*
 * The common case, "a.b.c.d" or "a.b.c.d/n" written as inet_pton reads it
 * and without host bits, without copying; false sends the text to
 * fw_prefix_parse(), which also words every error.
 */
static bool fw_set_fast_v4(const char *s, size_t len, struct fw_prefix *out)
{
	const char *end = s + len;
	unsigned int octet, bits = 32;
	uint32_t addr = 0;

	for (int i = 0; i < 4; i++) {
		if ((i && (s == end || *s++ != '.')) || !fw_set_small_number(&s, end, 255, &octet))
			return false;
		addr = addr << 8 | octet;
	}
	if (s < end && (*s++ != '/' || !fw_set_small_number(&s, end, 32, &bits) || !bits))
		return false;
	if (s != end || (bits < 32 && (addr & (0xffffffffu >> bits))))
		return false;
	memset(out->addr, 0, 10);
	out->addr[10] = 0xff;
	out->addr[11] = 0xff;
	out->addr[12] = (uint8_t)(addr >> 24);
	out->addr[13] = (uint8_t)(addr >> 16);
	out->addr[14] = (uint8_t)(addr >> 8);
	out->addr[15] = (uint8_t)addr;
	out->len = (uint8_t)(96 + bits);
	return true;
}

static bool fw_set_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* A byte that may be part of an address: printable ASCII, not a comment start. */
static bool fw_set_word_char(char c)
{
	return c > ' ' && c < 0x7f && c != '#' && c != ';';
}

static const char *fw_set_skip_space(const char *p, const char *end)
{
	while (p < end && fw_set_space(*p))
		p++;
	return p;
}

void fw_set_add(struct fw_set *set, const struct fw_prefix *p, uint32_t line, uint32_t col)
{
	struct fw_set_element *e = &set->elements[set->count++];

	memset(e, 0, sizeof(*e)); /* padding too: elements compare as bytes */
	e->prefix = *p;
	e->line = line;
	e->col = col;
	if (fw_prefix_is_v4(p))
		set->v4++;
	else
		set->v6++;
}

/* One line, start to end (its newline excluded). */
static void fw_set_line(struct fw_set_reader *r, const char *start, const char *end, uint32_t line)
{
	const char *word = fw_set_skip_space(start, end), *after = word, *rest;
	char problem[FW_PREFIX_PROBLEM_MAX];
	enum fw_prefix_error err;
	struct fw_prefix p;
	uint32_t col = (uint32_t)(word - start) + 1;

	if (word == end || *word == '#' || *word == ';')
		return;
	while (after < end && fw_set_word_char(*after))
		after++;
	rest = fw_set_skip_space(after, end);
	if (rest < end && *rest != '#' && *rest != ';') {
		uint32_t at = (uint32_t)(rest - start) + 1;

		if (fw_set_word_char(*rest))
			fw_set_problem(r, line, at,
				       "more than one word on the line; write one address or prefix per line, and start a comment with # or ;");
		else
			fw_set_problem(r, line, at,
				       "byte 0x%02x cannot be part of an address; a list file is ASCII text, one address or prefix per line",
				       (unsigned char)*rest);
		return;
	}
	if (fw_set_fast_v4(word, (size_t)(after - word), &p)) {
		fw_set_add(r->set, &p, line, col);
		return;
	}
	err = fw_prefix_parse(word, (size_t)(after - word), &p);
	if (err == FW_PREFIX_OK) {
		fw_set_add(r->set, &p, line, col);
		return;
	}
	fw_prefix_problem(err, word, (size_t)(after - word), &p, problem);
	if (err == FW_PREFIX_ZERO_LEN)
		fw_set_problem(r, line, col,
			       "%s; remove the line (a rule without src already matches every address)",
			       problem);
	else if (err == FW_PREFIX_SYNTAX)
		fw_set_problem(r, line, col, "%s; write one per line, e.g. 198.18.0.0/15 or 2001:2::/48",
			       problem);
	else
		fw_set_problem(r, line, col, "%s", problem);
}

static size_t fw_set_count_lines(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	size_t lines = 1;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		lines++;
		p++;
	}
	return lines;
}

long fw_set_parse(const char *text, size_t len, struct fw_set *set, fw_set_report_fn *report,
		  void *ctx)
{
	struct fw_set_reader r = { .set = set, .report = report, .ctx = ctx };
	const char *p = text, *end = text + len;
	size_t room = set->count + fw_set_count_lines(text, len);
	struct fw_set_element *grown;
	uint32_t line = 1;

	grown = realloc(set->elements, room * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	set->elements = grown;
	/* A byte-order mark, as some editors write: the first column is after it. */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl ? nl : end;

		fw_set_line(&r, p, line_end, line++);
		p = line_end + 1;
	}
	if (r.problems > FW_SET_ERRORS_SHOWN) {
		char msg[128];

		snprintf(msg, sizeof(msg),
			 "%ld more problems in this file, from this one on, are not shown; fix the ones above first",
			 r.problems - FW_SET_ERRORS_SHOWN);
		report(ctx, r.more_line, r.more_col, msg);
	}
	if (set->count < room && set->count) {
		grown = realloc(set->elements, set->count * sizeof(*grown));
		if (grown)
			set->elements = grown;
	}
	return r.problems;
}

/* The whole file, NUL-terminated; *len excludes the NUL. */
static int fw_set_slurp(int fd, size_t size_hint, char **out, size_t *len)
{
	size_t cap = size_hint + 1, used = 0;
	char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (used + 1 == cap) {
			char *grown = realloc(buf, cap * 2);

			if (!grown) {
				free(buf);
				return -ENOMEM;
			}
			buf = grown;
			cap *= 2;
		}
		n = read(fd, buf + used, cap - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;

			free(buf);
			return err;
		}
		if (!n)
			break;
		used += (size_t)n;
	}
	buf[used] = '\0';
	*out = buf;
	*len = used;
	return 0;
}

long fw_set_read_file(const char *path, struct fw_set *set, fw_set_report_fn *report,
		      void *ctx)
{
	struct stat st;
	size_t len = 0;
	char *text = NULL;
	long ret;
	int fd;

	/* O_NONBLOCK: opening a FIFO would wait for a writer; regular files ignore it. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		close(fd);
		return ret;
	}
	/* A FIFO or a device could block or never end; a list is a file. */
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	}
	ret = fw_set_slurp(fd, (size_t)st.st_size, &text, &len);
	close(fd);
	if (ret)
		return ret;
	ret = fw_set_parse(text, len, set, report, ctx);
	free(text);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "config_check.h"

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
	if (rs->count > cfg->capacity)
		fuzz_fail("%zu rules accepted with capacity %u", rs->count, cfg->capacity);
	if (rs->count && !rs->rules)
		fuzz_fail("%zu rules but no array", rs->count);
	for (size_t i = 0; i < rs->count; i++) {
		check_rule(&rs->rules[i]);
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
	       !cfg->rules.count;
}

void fuzz_check_outcome(const char *name, size_t len, int err, const struct fw_config *cfg,
			const struct fuzz_diag *d)
{
	check_diags(name, len, d);
	if (err == -EINVAL || err == -ENOMEM) {
		if (!config_empty(cfg))
			fuzz_fail("error %d left a config behind", err);
		if (err == -EINVAL && !d->len)
			fuzz_fail("rejected without a diagnostic");
		return;
	}
	if (err)
		fuzz_fail("fw_config_parse_with returned %d", err);
	if (d->len)
		fuzz_fail("accepted, yet printed diagnostics:\n%.*s", (int)d->len, d->text);
	if (!cfg->path || strcmp(cfg->path, name))
		fuzz_fail("accepted config's path is not \"%s\"", name);
	check_interfaces(cfg);
	check_rules(cfg);
}

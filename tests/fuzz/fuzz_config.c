// SPDX-License-Identifier: GPL-2.0
/*
 * The config loader on arbitrary bytes: no crash, leak or undefined
 * behaviour, and a sane outcome (config_check.h). The text is parsed under two
 * names, so a diagnostic line forged from user text (a name holding
 * "\nNAME:1:1: ...") shows up as a line without the other run's name.
 */
#include <stdint.h>
#include <string.h>
#include "config_check.h"

static const char *const names[2] = { "fuzz-a.yaml", "fuzz-b.yaml" };

static int parse(const char *name, const uint8_t *data, size_t size, struct fuzz_diag *d)
{
	struct fw_config cfg;
	int err;

	fuzz_diag_open(d);
	err = fw_config_parse_opts(name, (const char *)data, size, &fuzz_config_options, &cfg,
				   d->f, NULL);
	fuzz_diag_close(d);
	fuzz_check_outcome(name, size, err, &cfg, d);
	fw_config_free(&cfg);
	return err;
}

/* The line past its leading name, if it has one. */
static const char *after_name(const char *line, const char *end, const char *name)
{
	size_t n = strlen(name);

	return (size_t)(end - line) >= n && !memcmp(line, name, n) ? line + n : line;
}

/* The two runs printed the same lines, each under its own name. */
static void same_apart_from_name(const struct fuzz_diag *a, const struct fuzz_diag *b)
{
	const char *pa = a->text, *pb = b->text;
	const char *ea = a->text + a->len, *eb = b->text + b->len;

	while (pa < ea && pb < eb) {
		const char *na = memchr(pa, '\n', (size_t)(ea - pa));
		const char *nb = memchr(pb, '\n', (size_t)(eb - pb));
		const char *ra = after_name(pa, na, names[0]), *rb = after_name(pb, nb, names[1]);

		if (na - ra != nb - rb || memcmp(ra, rb, (size_t)(na - ra)))
			fuzz_fail("the diagnostics depend on more than the name:\n%.*s\n%.*s",
				  (int)(na - pa), pa, (int)(nb - pb), pb);
		pa = na + 1;
		pb = nb + 1;
	}
	if (pa != ea || pb != eb)
		fuzz_fail("the two runs printed different numbers of diagnostics");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_diag d[2];
	int err[2];

	for (int i = 0; i < 2; i++)
		err[i] = parse(names[i], data, size, &d[i]);
	if (err[0] != err[1])
		fuzz_fail("the same text gave %d, then %d", err[0], err[1]);
	same_apart_from_name(&d[0], &d[1]);
	for (int i = 0; i < 2; i++)
		fuzz_diag_free(&d[i]);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The fast YAML lane against libyaml: for any text, FW_READER_AUTO and
 * FW_READER_LIBYAML must give the same result, the same config field by
 * field, and byte-identical diagnostics. This harness is the condition on
 * which the fast lane stays. With FUZZ_LANES_EXPECT_FAST=1 every input must
 * also be read by the lane itself, so the smoke test proves the seeds reach it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config_check.h"

#define NAME "fuzz.yaml"

static bool expect_fast;
static unsigned long runs, fast_runs;

static void report(void)
{
	fprintf(stderr, "fuzz_lanes: the fast lane read %lu of %lu inputs\n", fast_runs, runs);
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
	if (x->has_src != y->has_src || (x->has_src && memcmp(x->src, y->src, sizeof(x->src))))
		fuzz_fail("rule %s: the sources differ", x->name);
	if (x->port != y->port || x->proto != y->proto || x->action != y->action)
		fuzz_fail("rule %s: port %u proto %u action %u vs port %u proto %u action %u",
			  x->name, x->port, x->proto, x->action, y->port, y->proto, y->action);
	if (x->id != y->id || x->line != y->line || x->col != y->col)
		fuzz_fail("rule %s: id %u at %d:%d vs id %u at %d:%d", x->name, x->id, x->line,
			  x->col, y->id, y->line, y->col);
}

/* Field by field: padding and bytes past a name's NUL may differ and do not matter. */
static void same_config(const struct fw_config *a, const struct fw_config *b)
{
	if (!a->path != !b->path || (a->path && strcmp(a->path, b->path)))
		fuzz_fail("path: %s vs %s", a->path ? a->path : "(none)", b->path ? b->path : "(none)");
	same_interfaces(a, b);
	if (a->capacity != b->capacity)
		fuzz_fail("capacity: %u vs %u", a->capacity, b->capacity);
	if (a->rules.default_action != b->rules.default_action ||
	    a->rules.fragments != b->rules.fragments)
		fuzz_fail("settings: default %u fragments %u vs default %u fragments %u",
			  a->rules.default_action, a->rules.fragments, b->rules.default_action,
			  b->rules.fragments);
	if (a->rules.count != b->rules.count)
		fuzz_fail("rules: %zu vs %zu", a->rules.count, b->rules.count);
	for (size_t i = 0; i < a->rules.count; i++)
		same_rule(i, &a->rules.rules[i], &b->rules.rules[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct fw_config fast, slow;
	struct fuzz_diag dfast, dslow;
	bool fast_used = false;
	int efast, eslow;

	fuzz_diag_open(&dfast);
	efast = fw_config_parse_with(NAME, text, size, FW_READER_AUTO, &fast, dfast.f, &fast_used);
	fuzz_diag_close(&dfast);
	fuzz_diag_open(&dslow);
	eslow = fw_config_parse_with(NAME, text, size, FW_READER_LIBYAML, &slow, dslow.f, NULL);
	fuzz_diag_close(&dslow);

	runs++;
	fast_runs += fast_used;
	if (expect_fast && !fast_used)
		fuzz_fail("FUZZ_LANES_EXPECT_FAST: the fast lane gave this input up");
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
	return 0;
}

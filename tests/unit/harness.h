/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the unit tests: one loaded datapath, rule tables, BPF_PROG_TEST_RUN. */
#ifndef TEST_HARNESS_H
#define TEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include "datapath.h"
#include "ruleset.h"

/* A rule as a test writes it: NULL src = any, port 0 = any. */
struct rule_spec {
	const char *name;
	const char *src;
	uint16_t port;
	uint8_t proto;  /* enum fw_proto */
	uint8_t action; /* enum fw_action */
};

/* Loads the program once per process, sized for capacity rules per set. */
struct fw_datapath *harness_datapath(uint32_t capacity);

/* Builds a rule set from specs, ids 0..n-1 in order; the caller frees rs->rules. */
void harness_ruleset(struct fw_ruleset *rs, const struct rule_spec *specs, size_t n,
		     uint32_t default_action, uint32_t fragments);

/* Runs one frame through the loaded program; returns the XDP action. */
int harness_run(struct fw_datapath *dp, const uint8_t *frame, size_t len);

/* Runs the same frame repeat times in one BPF_PROG_TEST_RUN; returns the last XDP action. */
int harness_run_repeat(struct fw_datapath *dp, const uint8_t *frame, size_t len, uint32_t repeat);

#endif /* TEST_HARNESS_H */

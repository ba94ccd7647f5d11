/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The datapath as an earlier issue left it (issue 9's, the last commit before
 * bans and limits, and issue 10's, the last before events: BENCH_BASELINE_issueK
 * in mk/bench10.mk and mk/bench11.mk, built from git there), loaded beside the
 * current one with the same rules: the "costs what it costs today" targets.
 */
#ifndef BENCH_BASELINE_H
#define BENCH_BASELINE_H

#include "datapath.h"

struct bpf_object;

/* The policy bits every baseline knows (FW_ACTIVE_SET .. FW_ACTIVE_PREFIX6). */
#define BENCH_BASELINE_ACTIVE_BITS 0x3fu

/*
 * Loads the object at path with its maps sized as dp's, copies dp's source
 * maps of the set in force into it (values cut to its shorter by_proto) and
 * sets its policy word as dp's. dp's rules must each name one address and
 * no port. Exits on error; its program is "xdpfw".
 */
struct bpf_object *bench_baseline_load(const char *path, const struct fw_datapath *dp);

#endif

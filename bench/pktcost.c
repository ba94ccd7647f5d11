// SPDX-License-Identifier: GPL-2.0
/*
 * Per-packet cost of xdpfw, the floor programs and xdp-filter through
 * BPF_PROG_TEST_RUN, for rule sets of the sizes given.
 *
 * usage: pktcost OBJ_DIR XDP_FILTER_OBJ REPEAT REPS RULES...
 * Each set of n sources is loaded twice into xdpfw: as (source) rules and as
 * (source, 53, udp) rules (xdpfw_port), beside floors keyed alike.
 * Prints CSV lines: overhead,NS / sync,RULES,SECONDS /
 *   cost,RULES,FAMILY,hit|miss,one|rotate,PROG,MEDIAN,MIN,MAX,XDP_ACTION
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include "addrs.h"
#include "bpfobj.h"
#include "hold.h"
#include "pkt.h"
#include "rotor_ctl.h"
#include "targets.h"
#include "timing.h"

struct bench_run {
	const char *obj_dir, *xfilter;
	uint32_t repeat;
	int reps;
	double overhead;
};

static void bench_case(const struct bench_run *run, const struct bench_targets *t, uint32_t n,
		       int ipv6, int hit, int rotate)
{
	struct bench_split s = bench_split(n);
	uint32_t count = ipv6 ? s.v6 : s.v4, off;
	uint8_t frame[PKT_MAX];
	size_t len = bench_frame(ipv6, hit, count / 2, frame, &off);

	if (!count)
		return;
	for (int p = 0; p < BP_COUNT; p++) {
		int fd = bench_targets_fd(t, p);
		struct bench_stat st;

		if (fd < 0)
			continue;
		if (rotate) {
			bench_rotor_point(t->rotor, fd, count, off, ipv6 ? ROTOR_LOW4 : ROTOR_LOW2);
			fd = bench_obj_prog(t->rotor, "rotor");
		}
		st = bench_measure(fd, frame, len, run->repeat, run->reps, run->overhead);
		printf("cost,%u,%s,%s,%s,%s,%.3f,%.3f,%.3f,%d\n", n, ipv6 ? "v6" : "v4",
		       hit ? "hit" : "miss", rotate ? "rotate" : "one", bench_prog_names[p], st.median,
		       st.min, st.max, st.retval);
		fflush(stdout);
	}
}

/*
 * pktcost.sh pins this process to one CPU for the per-packet timing; the
 * rules are loaded and synced on every CPU, as `xdpfw apply` runs them.
 */
static void bench_targets_load_unpinned(struct bench_targets *t, uint32_t n,
					const struct bench_run *run)
{
	cpu_set_t pinned;

	bench_cpus_all(&pinned);
	bench_targets_load(t, n, run->obj_dir, run->xfilter);
	bench_cpus_restore(&pinned);
}

int main(int argc, char **argv)
{
	struct bench_run run;

	if (argc < 6) {
		fprintf(stderr, "usage: pktcost OBJ_DIR XDP_FILTER_OBJ REPEAT REPS RULES...\n");
		return 2;
	}
	run.obj_dir = argv[1];
	run.xfilter = argv[2];
	run.repeat = strtoul(argv[3], NULL, 0);
	run.reps = atoi(argv[4]);
	printf("params,%u,%d\n", run.repeat, run.reps);
	for (int a = 5; a < argc; a++) {
		uint32_t n = strtoul(argv[a], NULL, 0);
		struct bench_targets t;

		bench_targets_load_unpinned(&t, n, &run);
		for (int p = 0; p < BP_COUNT; p++)
			bench_hold(p, bench_targets_fd(&t, p));
		bench_hold(BP_COUNT, bench_obj_prog(t.rotor, "rotor"));
		printf("sync,%u,%.4f\n", n, t.fw_sync_s);
		if (a == 5) {
			uint8_t frame[PKT_MAX];
			uint32_t off;
			size_t len = bench_frame(0, 0, 0, frame, &off);

			run.overhead = bench_call_overhead(bench_targets_fd(&t, BP_DROP), frame, len);
			printf("overhead,%.1f\n", run.overhead);
		}
		for (int rotate = 0; rotate < 2; rotate++)
			for (int ipv6 = 0; ipv6 < 2; ipv6++)
				for (int hit = 1; hit >= 0; hit--)
					bench_case(&run, &t, n, ipv6, hit, rotate);
		for (int p = 0; p <= BP_COUNT; p++)
			bench_release(p);
		bench_targets_close(&t);
	}
	return 0;
}

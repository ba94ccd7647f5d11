// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 10's and 11's per-packet costs through BPF_PROG_TEST_RUN. The programs a
 * ratio compares are timed in turn (bench_measure_turns), so the ratio
 * holds on a machine whose speed drifts.
 *
 * usage: pktban OBJ_DIR XDP_FILTER_OBJ REPEAT REPS MODE ...
 *   base BASELINE_OBJ N...  N source drop rules (bench/addrs.h), no bans, no
 *        limits, no logging: xdpfw against an earlier xdpfw holding the same
 *        rules (bench/baseline.h; BASELINE_OBJ in build/bench/issueK/ is
 *        issue K's, named xdpfw_issueK); a miss and a hit.
 *   ban N RULES  RULES source rules and N bans per family written straight
 *        into fw_bans4/6, against the same rules without bans and the floors
 *        holding the N banned addresses (and parse alone, which the miss
 *        floor less it prices a hash miss by); a miss and a banned source.
 *   limit RULES  the RULES source rules, the hit frame's rule made a limit
 *        ({rate, burst} so large that every packet passes, per source); and
 *        the rules plus an (any, 53, udp) limit rule, hit from a source no
 *        rule names; against a plain drop rule, the parse + hit + atomic floor
 *        and that floor with a clock read and a compare-and-swap for the add.
 *   log RULES    issue 11: what logging costs a rule's hit (pb_log), the
 *        RULES source rules in four loads: nothing logs; logging on but the
 *        hit rule does not log; it logs and log_rate holds every event back;
 *        it logs and every event goes into one ring a thread drains.
 * Prints CSV lines:
 *   pb,MODE,N,FAMILY,CASE,PROG,MEDIAN,MIN,MAX,XDP_ACTION
 *   fill,FAMILY,N,SECONDS   (ban: writing N bans in one batch)
 *   check,MODE,FAMILY,WHAT,VALUE   (the datapath did the work measured: the
 *        banned source's packet count, a limit rule's buckets; base: the
 *        FW_PARAM_LOG word, 0 when nothing logs; log: the events held back,
 *        sent, lost and read)
 */
#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "addrs.h"
#include "baseline.h"
#include "bpfobj.h"
#include "hold.h"
#include "pkt.h"
#include "targets.h"
#include "timing.h"
#include "xdpfw.skel.h"

/* A limit no bench packet reaches: 1e9 packets a second, a second's burst. */
#define PB_LIMIT_INTERVAL_NS 1
#define PB_LIMIT_BURST 1000000000u
#define PB_MAX_JOBS 6

struct pb_run {
	const char *obj_dir;
	uint32_t repeat;
	int reps;
	double overhead;
	int slots; /* hold slots in use */
};

struct pb_frame {
	uint8_t bytes[PKT_MAX];
	size_t len;
};

static void pb_die(const char *what, int err)
{
	fprintf(stderr, "pktban: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static void *pb_alloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		pb_die("memory", ENOMEM);
	return p;
}

static void pb_hold(struct pb_run *run, int fd)
{
	if (run->slots == BENCH_HOLD_SLOTS)
		pb_die("more programs than hold slots", ENOSPC);
	bench_hold(run->slots++, fd);
}

static void pb_release(struct pb_run *run)
{
	while (run->slots)
		bench_release(--run->slots);
}

static void pb_frame(struct pb_frame *f, int v6, int hit, uint32_t index)
{
	uint32_t off;

	f->len = bench_frame(v6, hit, index, f->bytes, &off);
}

static void pb_frame_from(struct pb_frame *f, const uint8_t addr[16])
{
	uint32_t off;

	f->len = bench_frame_from(addr, f->bytes, &off);
}

/* The per-call overhead, once: on the floor's bare XDP_DROP. */
static void pb_overhead(struct pb_run *run, struct bpf_object *floor)
{
	struct pb_frame f;

	if (run->overhead > 0)
		return;
	pb_frame(&f, 0, 0, 0);
	run->overhead = bench_call_overhead(bench_obj_prog(floor, "floor_drop"), f.bytes, f.len);
	printf("overhead,%.1f\n", run->overhead);
}

struct pb_case {
	const char *mode, *name;
	uint32_t n;
	int v6;
	int count;
	const char *progs[PB_MAX_JOBS];
	struct bench_job jobs[PB_MAX_JOBS];
};

static void pb_add(struct pb_case *c, const char *prog, int fd, const struct pb_frame *f)
{
	c->progs[c->count] = prog;
	c->jobs[c->count++] = (struct bench_job){ .fd = fd, .frame = f->bytes, .len = f->len };
}

static void pb_time(const struct pb_run *run, struct pb_case *c)
{
	bench_measure_turns(c->jobs, c->count, run->repeat, run->reps, run->overhead);
	for (int j = 0; j < c->count; j++) {
		const struct bench_stat *st = &c->jobs[j].st;

		printf("pb,%s,%u,%s,%s,%s,%.3f,%.3f,%.3f,%d\n", c->mode, c->n, c->v6 ? "v6" : "v4",
		       c->name, c->progs[j], st->median, st->min, st->max, st->retval);
	}
	fflush(stdout);
}

/* xdpfw loaded with rs; exits on error. */
static void pb_load(struct fw_datapath *dp, const struct fw_ruleset *rs)
{
	fw_datapath_init(dp);
	bench_xdpfw_load(dp, rs);
}

/*
 * bench/holdns.sh pins this process to one CPU for the timing; loads and
 * fills run on every CPU, as `xdpfw apply` runs them.
 */
static cpu_set_t pb_pinned;

static void pb_setup_begin(void)
{
	bench_cpus_all(&pb_pinned);
}

static void pb_setup_end(void)
{
	bench_cpus_restore(&pb_pinned);
}

/* "xdpfw_issueK" for build/bench/issueK/xdpfw.bpf.o. */
static void pb_baseline_name(const char *path, char *out, size_t size)
{
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(out, size, "xdpfw_%s", basename(dirname(dir)));
}

static void pb_base(struct pb_run *run, const char *baseline, uint32_t n)
{
	char old_name[64];
	uint32_t log = 0;
	struct bench_sources src, none = { 0 };
	struct bench_split s = bench_split(n);
	struct bpf_object *old, *floor;
	struct fw_datapath dp;
	struct fw_ruleset rs;

	pb_setup_begin();
	bench_sources_for(&src, n);
	bench_rules_for(&rs, &src, 0);
	pb_load(&dp, &rs);
	old = bench_baseline_load(baseline, &dp);
	floor = bench_floor_load(run->obj_dir, &none);
	pb_setup_end();
	pb_hold(run, dp.prog_fd);
	pb_hold(run, bench_obj_prog(old, "xdpfw"));
	pb_hold(run, bench_obj_prog(floor, "floor_drop"));
	pb_overhead(run, floor);
	pb_baseline_name(baseline, old_name, sizeof(old_name));
	if (fw_param_read(&dp, FW_PARAM_LOG, &log))
		pb_die("FW_PARAM_LOG", EIO);
	printf("check,base,any,log_param,%u\n", log);
	for (int v6 = 0; v6 < 2; v6++) {
		uint32_t count = v6 ? s.v6 : s.v4;

		for (int hit = 0; hit < 2 && count; hit++) {
			struct pb_case c = { .mode = "base", .name = hit ? "hit" : "miss", .n = n, .v6 = v6 };
			struct pb_frame f;

			pb_frame(&f, v6, hit, count / 2);
			pb_add(&c, "xdpfw", dp.prog_fd, &f);
			pb_add(&c, old_name, bench_obj_prog(old, "xdpfw"), &f);
			pb_time(run, &c);
		}
	}
	pb_release(run);
	bpf_object__close(floor);
	bpf_object__close(old);
	fw_datapath_close(&dp);
	free(rs.rules);
	bench_sources_free(&src);
}

/* Writes n bans of a family in one batch, as `xdpfw ban` stores them: no expiry. */
static void pb_fill_bans(int fd, const void *keys, uint32_t n, const char *family)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	struct fw_ban_value *values = pb_alloc(n, sizeof(*values));
	uint32_t count = n;
	double t0 = bench_now_ns();

	if (bpf_map_update_batch(fd, keys, values, &count, &opts))
		pb_die("writing bans", errno);
	printf("fill,%s,%u,%.4f\n", family, n, (bench_now_ns() - t0) / 1e9);
	free(values);
}

static uint64_t pb_ban_packets(int fd, const void *key)
{
	struct fw_ban_value value;

	return bpf_map_lookup_elem(fd, key, &value) ? 0 : value.packets;
}

static void pb_ban(struct pb_run *run, uint32_t n, uint32_t rules)
{
	uint32_t *v4 = pb_alloc(n, sizeof(*v4));
	uint8_t(*v6)[16] = pb_alloc(n, 16);
	struct bench_sources src, banned = { v4, n, (const uint8_t(*)[16])v6, n };
	struct fw_datapath dp, plain;
	struct bpf_object *floor;
	struct fw_ruleset rs;
	int fds[2];

	if (n > BENCH_BANS_V4_MAX)
		pb_die("more IPv4 bans than addresses", EINVAL);
	pb_setup_begin();
	for (uint32_t i = 0; i < n; i++) {
		v4[i] = bench_ban_v4(i);
		bench_ban_v6(i, v6[i]);
	}
	bench_sources_for(&src, rules);
	bench_rules_for(&rs, &src, 0);
	pb_load(&dp, &rs);
	pb_load(&plain, &rs);
	fds[0] = bpf_map__fd(dp.skel->maps.fw_bans4);
	fds[1] = bpf_map__fd(dp.skel->maps.fw_bans6);
	pb_fill_bans(fds[0], v4, n, "v4");
	pb_fill_bans(fds[1], v6, n, "v6");
	if (fw_param_write(&dp, FW_PARAM_BANS, FW_BANS_EXACT4 | FW_BANS_EXACT6))
		pb_die("FW_PARAM_BANS", EIO);
	floor = bench_floor_load(run->obj_dir, &banned);
	pb_setup_end();
	pb_hold(run, dp.prog_fd);
	pb_hold(run, plain.prog_fd);
	pb_hold(run, bench_obj_prog(floor, "floor_parse"));
	pb_hold(run, bench_obj_prog(floor, "floor_miss"));
	pb_hold(run, bench_obj_prog(floor, "floor_hit"));
	pb_hold(run, bench_obj_prog(floor, "floor_drop"));
	pb_overhead(run, floor);
	for (int fam = 0; fam < 2; fam++) {
		struct pb_case miss = { .mode = "ban", .name = "miss", .n = n, .v6 = fam };
		struct pb_case hit = { .mode = "ban", .name = "banned", .n = n, .v6 = fam };
		const void *key = fam ? (const void *)v6[n / 2] : (const void *)&v4[n / 2];
		struct pb_frame fm, fb;
		uint8_t addr[16];

		pb_frame(&fm, fam, 0, 0);
		if (fam)
			memcpy(addr, v6[n / 2], 16);
		else
			fw_addr_from_ipv4(addr, &v4[n / 2]);
		pb_frame_from(&fb, addr);
		pb_add(&miss, "xdpfw_bans", dp.prog_fd, &fm);
		pb_add(&miss, "xdpfw", plain.prog_fd, &fm);
		pb_add(&miss, "floor_parse", bench_obj_prog(floor, "floor_parse"), &fm);
		pb_add(&miss, "floor_miss", bench_obj_prog(floor, "floor_miss"), &fm);
		pb_time(run, &miss);
		pb_add(&hit, "xdpfw_bans", dp.prog_fd, &fb);
		pb_add(&hit, "floor_hit", bench_obj_prog(floor, "floor_hit"), &fb);
		pb_time(run, &hit);
		printf("check,ban,%s,ban_packets,%llu\n", fam ? "v6" : "v4",
		       (unsigned long long)pb_ban_packets(fds[fam], key));
	}
	pb_release(run);
	bpf_object__close(floor);
	fw_datapath_close(&dp);
	fw_datapath_close(&plain);
	free(rs.rules);
	bench_sources_free(&src);
	free(v4);
	free(v6);
}

static void pb_limit_rule(struct fw_rule *r)
{
	r->limit = (struct fw_rule_limit){ .interval = PB_LIMIT_INTERVAL_NS,
					   .burst = PB_LIMIT_BURST, .per_source = true };
}

static uint32_t pb_buckets(const struct fw_datapath *dp)
{
	int fd = bpf_map__fd(dp->skel->maps.fw_limit_buckets);
	struct fw_limit_key key, next;
	uint32_t count = 0;

	for (void *at = NULL; !bpf_map_get_next_key(fd, at, &next); at = &key) {
		key = next;
		count++;
	}
	return count;
}

static void pb_limit(struct pb_run *run, uint32_t n)
{
	struct bench_split s = bench_split(n);
	struct fw_datapath by_src, by_port, plain;
	struct fw_ruleset rs, rs_src, rs_port;
	struct bench_sources src;
	struct bpf_object *floor;

	if (!s.v4 || !s.v6)
		pb_die("limit needs rules of both families", EINVAL);
	pb_setup_begin();
	bench_sources_for(&src, n);
	bench_rules_for(&rs, &src, 0);
	bench_rules_for(&rs_src, &src, 0);
	pb_limit_rule(&rs_src.rules[s.v4 / 2]);        /* the IPv4 hit frame's source */
	pb_limit_rule(&rs_src.rules[s.v4 + s.v6 / 2]); /* the IPv6 one's */
	bench_rules_for(&rs_port, &src, 0);
	rs_port.rules = realloc(rs_port.rules, (n + 1) * sizeof(*rs_port.rules));
	if (!rs_port.rules)
		pb_die("memory", ENOMEM);
	rs_port.rules[n] = (struct fw_rule){ .name = "bench-limit", .port = BENCH_RULE_PORT,
					     .proto = FW_PROTO_UDP, .action = FW_ACTION_DROP,
					     .id = n };
	pb_limit_rule(&rs_port.rules[n]);
	rs_port.count = n + 1;
	pb_load(&by_src, &rs_src);
	pb_load(&by_port, &rs_port);
	pb_load(&plain, &rs);
	floor = bench_floor_load(run->obj_dir, &src);
	pb_setup_end();
	pb_hold(run, by_src.prog_fd);
	pb_hold(run, by_port.prog_fd);
	pb_hold(run, plain.prog_fd);
	pb_hold(run, bench_obj_prog(floor, "floor_hit_clock"));
	pb_hold(run, bench_obj_prog(floor, "floor_hit"));
	pb_hold(run, bench_obj_prog(floor, "floor_drop"));
	pb_overhead(run, floor);
	for (int v6 = 0; v6 < 2; v6++) {
		struct pb_case c = { .mode = "limit", .name = "hit", .n = n, .v6 = v6 };
		struct pb_frame hit, other;

		pb_frame(&hit, v6, 1, (v6 ? s.v6 : s.v4) / 2);
		pb_frame(&other, v6, 0, 0);
		pb_add(&c, "xdpfw_limit_src", by_src.prog_fd, &hit);
		pb_add(&c, "xdpfw_limit_port", by_port.prog_fd, &other);
		pb_add(&c, "xdpfw_drop", plain.prog_fd, &hit);
		pb_add(&c, "floor_hit_clock", bench_obj_prog(floor, "floor_hit_clock"), &hit);
		pb_add(&c, "floor_hit", bench_obj_prog(floor, "floor_hit"), &hit);
		pb_time(run, &c);
	}
	/* Per source: one bucket for each family's source, if the datapath made them. */
	printf("check,limit,src,buckets,%u\n", pb_buckets(&by_src));
	printf("check,limit,port,buckets,%u\n", pb_buckets(&by_port));
	pb_release(run);
	bpf_object__close(floor);
	fw_datapath_close(&by_src);
	fw_datapath_close(&by_port);
	fw_datapath_close(&plain);
	free(rs.rules);
	free(rs_src.rules);
	free(rs_port.rules);
	bench_sources_free(&src);
}

/* A ring in slot 0 of fw_event_rings, drained by a thread on a CPU the timing leaves free. */
struct pb_drain {
	struct ring_buffer *rb;
	int ring_fd;
	int cpu;
	atomic_int stop;
	unsigned long long events;
	pthread_t thread;
};

static int pb_drain_one(void *ctx, void *data, size_t size)
{
	(void)data, (void)size;
	((struct pb_drain *)ctx)->events++;
	return 0;
}

static void *pb_drain_run(void *arg)
{
	struct pb_drain *d = arg;

	if (d->cpu >= 0)
		bench_cpu_pin(d->cpu);
	while (!d->stop)
		ring_buffer__poll(d->rb, 10); /* as a reader would: asleep until events wait */
	ring_buffer__consume(d->rb);
	return NULL;
}

static void pb_drain_start(struct pb_drain *d, const struct fw_datapath *dp)
{
	uint32_t slot = 0;

	d->cpu = -1;
	for (int cpu = 0; cpu < CPU_SETSIZE && cpu < sysconf(_SC_NPROCESSORS_ONLN); cpu++)
		if (!CPU_ISSET(cpu, &pb_pinned)) {
			d->cpu = cpu;
			break;
		}
	d->ring_fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "pb_ring", 0, 0, FW_EVENT_RING_BYTES, NULL);
	if (d->ring_fd < 0 || bpf_map_update_elem(dp->event_rings_fd, &slot, &d->ring_fd, BPF_ANY))
		pb_die("an event ring", errno);
	d->rb = ring_buffer__new(d->ring_fd, pb_drain_one, d, NULL);
	if (!d->rb || pthread_create(&d->thread, NULL, pb_drain_run, d))
		pb_die("the ring's reader", errno);
}

static void pb_drain_stop(struct pb_drain *d)
{
	d->stop = 1;
	pthread_join(d->thread, NULL);
	ring_buffer__free(d->rb);
	close(d->ring_fd);
}

static uint64_t pb_event_stat(const struct fw_datapath *dp, uint32_t index)
{
	int cpus = libbpf_num_possible_cpus();
	uint64_t *values = pb_alloc(cpus > 0 ? cpus : 1, sizeof(*values)), sum = 0;

	if (cpus > 0 && !bpf_map_lookup_elem(dp->event_stats_fd, &index, values))
		for (int c = 0; c < cpus; c++)
			sum += values[c];
	free(values);
	return sum;
}

/* Logging on for rules, rule id logged, and the log_rate bucket: every event sent, or none. */
static void pb_log_on(const struct fw_datapath *dp, uint32_t id, int send)
{
	struct fw_limit_value bucket = { .interval = send ? 1 : 1ull << 40,
					 .burst_window = send ? 1ull << 62 : 0 };
	struct fw_rule_info info;
	uint32_t zero = 0;

	if (bpf_map_lookup_elem(dp->rule_info_fd, &id, &info))
		pb_die("fw_rule_info", errno);
	info.flags |= FW_RULE_LOG;
	if (bpf_map_update_elem(dp->rule_info_fd, &id, &info, BPF_ANY) ||
	    bpf_map_update_elem(dp->log_fd, &zero, &bucket, BPF_ANY) ||
	    fw_param_write(dp, FW_PARAM_LOG, FW_LOG_RULES))
		pb_die("turning logging on", errno ? errno : EIO);
}

/*
 * What logging costs a rule's hit: nothing logs; logging on but the hit
 * rule does not log; it logs and log_rate holds every event back; it logs
 * and every event goes to one ring that a thread drains.
 */
static void pb_log(struct pb_run *run, uint32_t n)
{
	struct bench_split s = bench_split(n);
	struct fw_datapath plain, other, held, sent;
	struct bench_sources src, none = { 0 };
	struct bpf_object *floor;
	struct pb_drain drain = { 0 };
	struct fw_ruleset rs;

	if (!s.v4 || !s.v6)
		pb_die("log needs rules of both families", EINVAL);
	pb_setup_begin();
	bench_sources_for(&src, n);
	bench_rules_for(&rs, &src, 0);
	pb_load(&plain, &rs);
	pb_load(&other, &rs);
	pb_load(&held, &rs);
	pb_load(&sent, &rs);
	pb_log_on(&other, 0, 0); /* a rule no frame here hits */
	for (int v6 = 0; v6 < 2; v6++) {
		uint32_t id = v6 ? s.v4 + s.v6 / 2 : s.v4 / 2; /* the hit frame's rule */

		pb_log_on(&held, id, 0);
		pb_log_on(&sent, id, 1);
	}
	floor = bench_floor_load(run->obj_dir, &none);
	pb_drain_start(&drain, &sent);
	pb_setup_end();
	pb_hold(run, plain.prog_fd);
	pb_hold(run, other.prog_fd);
	pb_hold(run, held.prog_fd);
	pb_hold(run, sent.prog_fd);
	pb_hold(run, bench_obj_prog(floor, "floor_drop"));
	pb_overhead(run, floor);
	for (int v6 = 0; v6 < 2; v6++) {
		struct pb_case c = { .mode = "log", .name = "hit", .n = n, .v6 = v6 };
		struct pb_frame f;

		pb_frame(&f, v6, 1, (v6 ? s.v6 : s.v4) / 2);
		pb_add(&c, "xdpfw", plain.prog_fd, &f);
		pb_add(&c, "xdpfw_log_other", other.prog_fd, &f);
		pb_add(&c, "xdpfw_log_held", held.prog_fd, &f);
		pb_add(&c, "xdpfw_log_sent", sent.prog_fd, &f);
		pb_time(run, &c);
	}
	pb_drain_stop(&drain);
	/* The work was done: events held back, sent, lost to the full ring, and read. */
	printf("check,log,any,held,%llu\n",
	       (unsigned long long)pb_event_stat(&held, FW_EVENT_STAT_SUPPRESSED));
	printf("check,log,any,sent,%llu\n",
	       (unsigned long long)pb_event_stat(&sent, FW_EVENT_STAT_SENT));
	printf("check,log,any,lost,%llu\n",
	       (unsigned long long)pb_event_stat(&sent, FW_EVENT_STAT_LOST0));
	printf("check,log,any,read,%llu\n", drain.events);
	pb_release(run);
	bpf_object__close(floor);
	fw_datapath_close(&plain);
	fw_datapath_close(&other);
	fw_datapath_close(&held);
	fw_datapath_close(&sent);
	free(rs.rules);
	bench_sources_free(&src);
}

static int pb_usage(void)
{
	fprintf(stderr, "usage: pktban OBJ_DIR XDP_FILTER_OBJ REPEAT REPS base BASELINE_OBJ N...\n"
			"       pktban OBJ_DIR XDP_FILTER_OBJ REPEAT REPS ban N RULES\n"
			"       pktban OBJ_DIR XDP_FILTER_OBJ REPEAT REPS limit RULES\n"
			"       pktban OBJ_DIR XDP_FILTER_OBJ REPEAT REPS log RULES\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct pb_run run = { 0 };
	const char *mode;

	if (argc < 7)
		return pb_usage();
	run.obj_dir = argv[1];
	run.repeat = strtoul(argv[3], NULL, 0);
	run.reps = atoi(argv[4]);
	mode = argv[5];
	printf("params,%u,%d\n", run.repeat, run.reps);
	if (!strcmp(mode, "base") && argc >= 8) {
		for (int a = 7; a < argc; a++)
			pb_base(&run, argv[6], strtoul(argv[a], NULL, 0));
	} else if (!strcmp(mode, "ban") && argc == 8) {
		pb_ban(&run, strtoul(argv[6], NULL, 0), strtoul(argv[7], NULL, 0));
	} else if (!strcmp(mode, "limit") && argc == 7) {
		pb_limit(&run, strtoul(argv[6], NULL, 0));
	} else if (!strcmp(mode, "log") && argc == 7) {
		pb_log(&run, strtoul(argv[6], NULL, 0));
	} else {
		return pb_usage();
	}
	return 0;
}

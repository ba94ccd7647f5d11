// SPDX-License-Identifier: GPL-2.0
/*
 * DESIGN §1b `tcp_flags: syn`, through the real XDP program: while
 * FW_ACTIVE_TCP_SYN is set, a SYN without ACK is looked up as TCP_SYN (its
 * port entry first, then the TCP one; by_proto[TCP_SYN] of sources and of
 * fw_ports), and everything else, later fragments included, as TCP. The
 * TCP_SYN entries are written by hand, so this needs no compiler support.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include "defence.h"

/* syn-22, syn-any and syn-443 only lend their ids to the TCP_SYN entries written by hand. */
#define SYN_RULES(SRC)                                                           \
	{                                                                        \
		{ "tcp-22", SRC, 22, FW_PROTO_TCP, FW_ACTION_PASS },             \
		{ "syn-22", SRC, 2222, FW_PROTO_TCP, FW_ACTION_DROP },           \
		{ "tcp-80", SRC, 80, FW_PROTO_TCP, FW_ACTION_PASS },             \
		{ "tcp-any", SRC, 0, FW_PROTO_TCP, FW_ACTION_PASS },             \
		{ "syn-any", SRC, 0, FW_PROTO_UDP, FW_ACTION_DROP },             \
		{ "any-443-tcp", NULL, 443, FW_PROTO_TCP, FW_ACTION_PASS },      \
		{ "syn-443", NULL, 8443, FW_PROTO_TCP, FW_ACTION_DROP },         \
	}
enum { TCP_22, SYN_22, TCP_80, TCP_ANY, SYN_ANY, ANY_443_TCP, SYN_443 };

static const struct rule_spec rules4[] = SYN_RULES(V4_SRC);
static const struct rule_spec rules6[] = SYN_RULES(V6_SRC);
static const struct fixture syn4 = FIXTURE("syn v4", rules4, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);
static const struct fixture syn6 = FIXTURE("syn v6", rules6, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);

static struct fw_rule_ref syn_drop(uint32_t id)
{
	return (struct fw_rule_ref){ .id = id, .action = FW_ACTION_DROP };
}

/* The TCP_SYN entries a `tcp_flags: syn` rule would make, and the flag that makes them count. */
static void write_syn_entries(struct fw_datapath *dp, const char *src, int flag)
{
	uint32_t active = param_get(dp, FW_PARAM_ACTIVE), set = active & FW_ACTIVE_SET;
	int v6 = strchr(src, ':') != NULL;
	int sources_fd = v6 ? dp->sources6_fd[set] : dp->sources4_fd[set];
	uint8_t addr[16];
	const void *key = v6 ? (const void *)addr : (const void *)&addr[12];
	struct fw_source_value source;
	struct fw_port_rule_key port_key = { .port = 22, .proto = FW_PROTO_TCP_SYN };
	struct fw_rule_ref ref = syn_drop(SYN_22);
	uint32_t ports_key = set * FW_PORTS + 443;
	struct fw_port_value ports;

	pkt_addr(src, addr);
	assert_int_equal(bpf_map_lookup_elem(sources_fd, key, &source), 0);
	assert_int_not_equal(source.port_class, 0);
	source.by_proto[FW_PROTO_TCP_SYN] = syn_drop(SYN_ANY);
	assert_int_equal(bpf_map_update_elem(sources_fd, key, &source, BPF_EXIST), 0);

	port_key.port_class = source.port_class;
	assert_int_equal(bpf_map_update_elem(dp->port_rules_fd[set], &port_key, &ref, BPF_NOEXIST), 0);

	assert_int_equal(bpf_map_lookup_elem(dp->ports_fd, &ports_key, &ports), 0);
	ports.by_proto[FW_PROTO_TCP_SYN] = syn_drop(SYN_443);
	assert_int_equal(bpf_map_update_elem(dp->ports_fd, &ports_key, &ports, BPF_EXIST), 0);

	param_set(dp, FW_PARAM_ACTIVE, flag ? active | FW_ACTIVE_TCP_SYN : active & ~FW_ACTIVE_TCP_SYN);
}

struct syn_case {
	const char *desc;
	const char *src;     /* NULL: the fixture's source */
	uint16_t dport;
	uint8_t flags;
	uint16_t frag_offset; /* a later fragment: the flags go where a TCP header would have them */
	uint8_t more_frags;
	int rule;            /* with FW_ACTIVE_TCP_SYN */
	int rule_without;    /* without it */
};

static const struct syn_case cases[] = {
	{ "SYN to 22: the TCP_SYN port entry", NULL, 22, TCP_SYN, 0, 0, SYN_22, TCP_22 },
	{ "SYN to 80: no TCP_SYN port entry, the TCP one", NULL, 80, TCP_SYN, 0, 0, TCP_80, TCP_80 },
	{ "SYN to 9: the source's by_proto[TCP_SYN]", NULL, 9, TCP_SYN, 0, 0, SYN_ANY, TCP_ANY },
	{ "SYN+ACK to 22 is TCP", NULL, 22, TCP_SYN | TCP_ACK, 0, 0, TCP_22, TCP_22 },
	{ "ACK to 22 is TCP", NULL, 22, TCP_ACK, 0, 0, TCP_22, TCP_22 },
	{ "SYN+ACK to 9 is TCP", NULL, 9, TCP_SYN | TCP_ACK, 0, 0, TCP_ANY, TCP_ANY },
	{ "SYN+FIN+PSH to 9 is still a SYN", NULL, 9, TCP_SYN | 0x09, 0, 0, SYN_ANY, TCP_ANY },
	{ "first fragment of a SYN to 22", NULL, 22, TCP_SYN, 0, 1, SYN_22, TCP_22 },
	{ "later fragment with SYN where flags would be: TCP", NULL, 22, TCP_SYN, 8, 0, TCP_ANY,
	  TCP_ANY },
	{ "SYN to 443 from a source no rule names: fw_ports by_proto[TCP_SYN]", "other", 443,
	  TCP_SYN, 0, 0, SYN_443, ANY_443_TCP },
	{ "ACK to 443 from a source no rule names", "other", 443, TCP_ACK, 0, 0, ANY_443_TCP,
	  ANY_443_TCP },
};

/* Where the TCP flags byte's header starts: past Ethernet, IP and a fragment header. */
static size_t tcp_offset(int v6, const struct syn_case *sc)
{
	int frag_header = v6 && (sc->frag_offset || sc->more_frags);

	return 14 + (v6 ? 40 : 20) + (frag_header ? 8 : 0);
}

static int run_cases(const struct fixture *f, const char *src, const char *other, int flag)
{
	struct fw_datapath *dp = test_datapath();
	int v6 = strchr(src, ':') != NULL, failures = 0;

	fixture_sync(dp, f);
	defence_reset(dp);
	write_syn_entries(dp, src, flag);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct syn_case *sc = &cases[i];
		const struct pkt_spec spec = {
			.src = sc->src ? other : src, .ipproto = IPPROTO_TCP, .dport = sc->dport,
			.frag_offset = sc->frag_offset, .more_frags = sc->more_frags, .payload = 20,
		};
		int rule = flag ? sc->rule : sc->rule_without;
		int drop = f->rules[rule].action == FW_ACTION_DROP;
		struct fw_stat_value want[FW_STAT_COUNT] = { 0 };
		char desc[160];
		struct row_check c = { .desc = desc };
		uint8_t frame[PKT_MAX];
		size_t len = pkt_build_flags(&spec, tcp_offset(v6, sc), sc->flags, frame);
		int action;

		snprintf(desc, sizeof(desc), "%s, %s, %s", f->name, sc->desc,
			 flag ? "tcp_flags: syn in force" : "no tcp_flags rule");
		fixture_reset_counters(dp, f);
		action = harness_run(dp, frame, len);
		if (action != (drop ? XDP_DROP : XDP_PASS))
			row_mismatch(&c, "%s, want the verdict of rule %s", xdp_action_name(action),
				     f->rules[rule].name);
		want[drop ? FW_STAT_DROP_RULE : FW_STAT_PASS_RULE] =
			(struct fw_stat_value){ 1, len };
		row_check_stats(dp, &c, want);
		for (uint32_t id = 0; id < f->count; id++)
			row_check_counter(dp, &c, id, f->rules[id].name, (int)id == rule,
					  (int)id == rule ? len : 0);
		failures += c.failures;
	}
	return failures;
}

static void syns_are_their_own_class(void **state)
{
	int failures = run_cases(&syn4, V4_SRC, V4_OTHER, 1) + run_cases(&syn6, V6_SRC, V6_OTHER, 1);

	(void)state;
	if (failures)
		fail_msg("%d mismatch(es)", failures);
}

/* With no tcp_flags rule in force, the same entries change nothing: a SYN is TCP. */
static void without_the_flag_a_syn_is_tcp(void **state)
{
	int failures = run_cases(&syn4, V4_SRC, V4_OTHER, 0) + run_cases(&syn6, V6_SRC, V6_OTHER, 0);

	(void)state;
	if (failures)
		fail_msg("%d mismatch(es)", failures);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(syns_are_their_own_class),
		cmocka_unit_test(without_the_flag_a_syn_is_tcp),
	};

	return cmocka_run_group_tests_name("datapath TCP SYN", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * fw/set_cache.h: syncs that write only the difference from what a set is
 * known to hold leave the maps exactly as a whole rewrite would, and a set
 * another writer touched in between is rewritten whole. Each step checks
 * every entry of the set in force against a fresh compile of its rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include "harness.h"
#include "identity.h"
#include "pkt.h"
#include "set_cache.h"
#include "sync.h"

#define CAPACITY 4096
#define RULES 400
#define STEPS 16

static const uint16_t ports[] = { 22, 53, 80, 443, 8080 };

/* A rule of a small random world: 48 IPv4 and 48 IPv6 sources, five ports. */
static void random_rule(struct fw_rule *r, unsigned int serial)
{
	char addr[64];
	int kind = rand() % 5;

	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "r%u", serial);
	r->has_src = kind != 0;
	if (kind == 1 || kind == 2)
		snprintf(addr, sizeof(addr), "198.18.%d.%d", rand() % 3, rand() % 16);
	else
		snprintf(addr, sizeof(addr), "2001:2::%x:%x", rand() % 3, rand() % 16);
	if (r->has_src)
		pkt_addr(addr, r->src);
	r->port = rand() % 2 ? ports[rand() % 5] : 0;
	r->proto = r->port ? (uint8_t[]){ FW_PROTO_ANY, FW_PROTO_TCP, FW_PROTO_UDP }[rand() % 3]
			   : rand() % FW_RULE_PROTOS;
	if (!r->has_src && !r->port && r->proto == FW_PROTO_ANY)
		r->proto = FW_PROTO_TCP; /* a rule may not match everything */
	r->action = rand() % 2 ? FW_ACTION_DROP : FW_ACTION_PASS;
}

static bool match_taken(const struct fw_ruleset *rs, const struct fw_rule *r)
{
	for (size_t i = 0; i < rs->count; i++)
		if (fw_rule_same_match(&rs->rules[i], r))
			return true;
	return false;
}

/* The next config: some rules dropped, some flipped, some moved to a new port, some added. */
static void mutate(struct fw_ruleset *rs, unsigned int *serial)
{
	size_t kept = 0;

	for (size_t i = 0; i < rs->count; i++) {
		struct fw_rule r = rs->rules[i];

		if (rand() % 10 == 0)
			continue;
		if (rand() % 10 == 0)
			r.action = r.action == FW_ACTION_DROP ? FW_ACTION_PASS : FW_ACTION_DROP;
		if (r.port && rand() % 20 == 0)
			r.port = 10000 + (*serial)++; /* same name, a match no rule has */
		rs->rules[kept++] = r;
	}
	rs->count = kept;
	while (rs->count < RULES) {
		struct fw_rule r;

		random_rule(&r, (*serial)++);
		if (!match_taken(rs, &r))
			rs->rules[rs->count++] = r;
	}
}

/* Every entry of one hash map equals keys/values, and there are no others. */
static void check_map(int fd, const void *keys, const void *values, size_t count,
		      size_t key_size, size_t value_size, const char *what)
{
	uint8_t key[64], next[64], value[256];
	size_t entries = 0;
	void *prev = NULL;

	while (!bpf_map_get_next_key(fd, prev, next)) {
		entries++;
		memcpy(key, next, key_size);
		prev = key;
	}
	if (entries != count)
		fail_msg("%s: the map holds %zu entries, the compiled set %zu", what, entries, count);
	for (size_t i = 0; i < count; i++) {
		const uint8_t *k = (const uint8_t *)keys + i * key_size;

		if (bpf_map_lookup_elem(fd, k, value))
			fail_msg("%s: entry %zu of the compiled set is missing", what, i);
		if (memcmp(value, (const uint8_t *)values + i * value_size, value_size))
			fail_msg("%s: entry %zu of the compiled set has another value", what, i);
	}
}

/* The set in force holds exactly what rs compiles to, with the ids the sync gave. */
static void check_set_in_force(struct fw_datapath *dp, const struct fw_ruleset *rs, int step)
{
	struct fw_compiled want;
	uint32_t word;
	uint8_t set;
	char what[64];

	assert_int_equal(fw_param_read(dp, FW_PARAM_ACTIVE, &word), 0);
	set = word & FW_ACTIVE_SET;
	assert_int_equal(fw_compile(rs, &want), 0);
	fw_compiled_set_ids(&want, rs);
	snprintf(what, sizeof(what), "step %d, IPv4 sources", step);
	check_map(dp->sources4_fd[set], want.source4_keys, want.source4_values, want.sources4,
		  sizeof(*want.source4_keys), sizeof(*want.source4_values), what);
	snprintf(what, sizeof(what), "step %d, IPv6 sources", step);
	check_map(dp->sources6_fd[set], want.source6_keys, want.source6_values, want.sources6,
		  sizeof(*want.source6_keys), sizeof(*want.source6_values), what);
	snprintf(what, sizeof(what), "step %d, source port rules", step);
	check_map(dp->port_rules_fd[set], want.port_rule_keys, want.port_rule_values,
		  want.port_rules, sizeof(*want.port_rule_keys), sizeof(*want.port_rule_values),
		  what);
	fw_compiled_free(&want);
}

/* A rule that keeps its name and match keeps its id; any other rule gets an id none of those has. */
static void check_ids(const struct fw_ruleset *before, const struct fw_ruleset *rs, int step)
{
	for (size_t i = 0; i < rs->count; i++) {
		const struct fw_rule *r = &rs->rules[i];

		for (size_t j = 0; j < before->count; j++) {
			const struct fw_rule *b = &before->rules[j];
			bool kept = !strcmp(b->name, r->name) && fw_rule_same_match(b, r);

			if (kept && b->id != r->id)
				fail_msg("step %d: %s kept its name and match but went from id %u to %u",
					 step, r->name, b->id, r->id);
			if (!kept && b->id == r->id && !strcmp(b->name, r->name))
				fail_msg("step %d: %s changed its match but kept id %u", step, r->name,
					 r->id);
		}
	}
}

/*
 * 198.19.2.99 is in no rule set. Planted in the set a sync writes, it stays
 * only if the sync wrote the difference (which leaves what it did not know
 * of); a whole write empties the set first. So a sync through the cache
 * that quietly rewrote everything would not pass for one that did not.
 */
static void plant(struct fw_datapath *dp, uint8_t set)
{
	uint32_t key = htonl(0xc6130263);
	struct fw_source_value value = { 0 };

	assert_int_equal(bpf_map_update_elem(dp->sources4_fd[set], &key, &value, BPF_NOEXIST), 0);
}

static bool unplant(struct fw_datapath *dp, uint8_t set)
{
	uint32_t key = htonl(0xc6130263);

	return bpf_map_delete_elem(dp->sources4_fd[set], &key) == 0;
}

static uint8_t idle_set(struct fw_datapath *dp)
{
	uint32_t word;

	assert_int_equal(fw_param_read(dp, FW_PARAM_ACTIVE, &word), 0);
	return (word & FW_ACTIVE_SET) ^ 1;
}

/* Syncs rs; with a cache when cache is not NULL, as the daemon does. */
static void sync(struct fw_datapath *dp, struct fw_ruleset *rs, struct fw_set_cache *cache)
{
	struct fw_compiled compiled;

	assert_int_equal(fw_compile(rs, &compiled), 0);
	assert_int_equal(fw_rules_sync(dp, rs, &compiled, NULL, cache), 0);
	fw_compiled_free(&compiled);
}

static void cached_syncs_leave_what_whole_writes_would(void **state)
{
	struct fw_datapath *dp = harness_datapath(CAPACITY);
	struct fw_ruleset rs = { .default_action = FW_ACTION_PASS }, before = { 0 };
	struct fw_set_cache cache = { 0 };
	unsigned int serial = 0, seed = 20261125, differences = 0;

	(void)state;
	srand(seed);
	rs.rules = calloc(RULES, sizeof(*rs.rules));
	before.rules = calloc(RULES, sizeof(*before.rules));
	assert_non_null(rs.rules);
	assert_non_null(before.rules);
	for (int step = 0; step < STEPS; step++) {
		/* Steps 5 and 11 are another process's syncs: the cache must not trust those sets. */
		bool foreign = step == 5 || step == 11;

		uint8_t set = idle_set(dp);
		bool known = !foreign && fw_set_cache_find(&cache, dp, set);

		memcpy(before.rules, rs.rules, rs.count * sizeof(*rs.rules));
		before.count = rs.count;
		mutate(&rs, &serial);
		plant(dp, set);
		sync(dp, &rs, foreign ? NULL : &cache);
		if (unplant(dp, set) != known)
			fail_msg("step %d: the set was known to the cache: %s, but the sync wrote %s",
				 step, known ? "yes" : "no", known ? "it whole" : "only a difference");
		differences += known;
		check_set_in_force(dp, &rs, step);
		check_ids(&before, &rs, step);
	}
	/* All but the first two, each foreign one and the next into its set. */
	assert_int_equal(differences, STEPS - 2 - 2 * 2);
	fw_set_cache_free(&cache);
	free(rs.rules);
	free(before.rules);
}

/* An image is only trusted while the set's token and map are the ones it was written with. */
static void a_set_touched_by_another_writer_is_not_trusted(void **state)
{
	struct fw_datapath *dp = harness_datapath(CAPACITY);
	struct fw_ruleset rs = { .default_action = FW_ACTION_PASS };
	struct fw_set_cache cache = { 0 };
	unsigned int serial = 0;
	uint32_t word, token;
	uint8_t set;

	(void)state;
	srand(7);
	rs.rules = calloc(RULES, sizeof(*rs.rules));
	assert_non_null(rs.rules);
	mutate(&rs, &serial);
	sync(dp, &rs, &cache);
	assert_int_equal(fw_param_read(dp, FW_PARAM_ACTIVE, &word), 0);
	set = word & FW_ACTIVE_SET;
	assert_non_null(fw_set_cache_find(&cache, dp, set));
	assert_null(fw_set_cache_find(&cache, dp, set ^ 1)); /* never written through this cache */

	assert_int_equal(fw_param_read(dp, FW_PARAM_SET0_TOKEN + set, &token), 0);
	assert_int_equal(fw_param_write(dp, FW_PARAM_SET0_TOKEN + set, token + 1), 0);
	assert_null(fw_set_cache_find(&cache, dp, set));
	fw_set_cache_free(&cache);
	free(rs.rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cached_syncs_leave_what_whole_writes_would),
		cmocka_unit_test(a_set_touched_by_another_writer_is_not_trusted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

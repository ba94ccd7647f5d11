// SPDX-License-Identifier: GPL-2.0
/*
 * A decision stream put in force, under the pin dir's lock like any CLI
 * call: bans in one fw_bans_add() per scenario and duration, and unbans of
 * what CrowdSec banned. An address someone banned again since (by hand,
 * fail2ban, a limit) carries that origin now, and a CrowdSec deletion
 * leaves it alone: the last writer owns a ban.
 */
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include "bans.h"
#include "crowdsec.h"
#include "journal.h"
#include "log.h"
#include "state.h"

#define FW_CS_ORIGIN "crowdsec:"

static int fw_cs_group_cmp(const void *a, const void *b)
{
	const struct fw_cs_ban *x = *(const struct fw_cs_ban *const *)a;
	const struct fw_cs_ban *y = *(const struct fw_cs_ban *const *)b;
	int c = strcmp(x->origin, y->origin);

	return c ? c : (x->duration > y->duration) - (x->duration < y->duration);
}

static int fw_cs_prefix_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct fw_prefix));
}

/* The bans in the order they are added: runs of one origin and duration, one call each. */
struct fw_cs_plan {
	const struct fw_cs_ban **order;
	struct fw_prefix *run;
	size_t count;
	size_t next; /* the first ban not added yet */
};

static int fw_cs_plan_init(struct fw_cs_plan *plan, const struct fw_cs_stream *s)
{
	plan->count = s->ban_count;
	plan->next = 0;
	plan->order = calloc(s->ban_count + 1, sizeof(*plan->order));
	plan->run = calloc(s->ban_count + 1, sizeof(*plan->run));
	if (!plan->order || !plan->run)
		return -ENOMEM;
	for (size_t i = 0; i < s->ban_count; i++)
		plan->order[i] = &s->bans[i];
	qsort(plan->order, s->ban_count, sizeof(*plan->order), fw_cs_group_cmp);
	return 0;
}

static void fw_cs_plan_free(struct fw_cs_plan *plan)
{
	free(plan->order);
	free(plan->run);
}

/* Adds runs of the plan until it is done or fw_now_ms() passes until (one run at least). */
static int fw_cs_add(const struct fw_datapath *dp, struct fw_cs_plan *plan, double until,
		     struct fw_cs_applied *out)
{
	const struct fw_cs_ban **order = plan->order;
	size_t i = plan->next, j;

	for (; i < plan->count; i = j) {
		long refused;

		for (j = i; j < plan->count && !fw_cs_group_cmp(&order[i], &order[j]); j++)
			plan->run[j - i] = order[j]->prefix;
		refused = fw_bans_add(dp, plan->run, j - i, order[i]->duration, order[i]->origin);
		out->calls++;
		if (refused < 0)
			return (int)refused;
		fw_journal_bans(dp, plan->run, j - i, order[i]->duration, order[i]->origin, refused);
		out->refused += (size_t)refused;
		out->banned += j - i - (size_t)refused;
		plan->next = j;
		if (fw_now_ms() > until)
			break;
	}
	return 0;
}

/* The bans in force that CrowdSec made, sorted. */
static int fw_cs_owned(const struct fw_datapath *dp, struct fw_prefix **out, size_t *count)
{
	struct fw_ban *bans = NULL;
	size_t n = 0;
	int err = fw_bans_list(dp, &bans, &n);

	*count = 0;
	*out = err ? NULL : calloc(n ? n : 1, sizeof(**out));
	if (!err && !*out)
		err = -ENOMEM;
	for (size_t i = 0; i < n && !err; i++)
		if (!strncmp(bans[i].origin, FW_CS_ORIGIN, strlen(FW_CS_ORIGIN)))
			(*out)[(*count)++] = bans[i].prefix;
	free(bans);
	if (!err)
		qsort(*out, *count, sizeof(**out), fw_cs_prefix_cmp);
	return err;
}

/*
 * A whole set lifts every CrowdSec ban it no longer holds (s->unbans, being
 * outside s->bans, are among them); a delta lifts its deletions.
 */
static int fw_cs_remove(const struct fw_datapath *dp, const struct fw_cs_stream *s, bool whole,
			struct fw_cs_applied *out)
{
	struct fw_prefix *owned, *lift;
	size_t n_owned, n_lift = 0;
	long missing;
	int err;

	if (!s->unban_count && !whole)
		return 0;
	err = fw_cs_owned(dp, &owned, &n_owned);
	if (err)
		return err;
	lift = calloc(whole ? n_owned + 1 : s->unban_count, sizeof(*lift));
	if (!lift) {
		free(owned);
		return -ENOMEM;
	}
	if (whole) {
		for (size_t i = 0; i < n_owned; i++)
			if (!bsearch(&owned[i], s->bans, s->ban_count, sizeof(*s->bans),
				     fw_cs_prefix_cmp))
				lift[n_lift++] = owned[i];
	} else {
		for (size_t i = 0; i < s->unban_count; i++)
			if (bsearch(&s->unbans[i], owned, n_owned, sizeof(*owned), fw_cs_prefix_cmp))
				lift[n_lift++] = s->unbans[i];
	}
	missing = n_lift ? fw_bans_remove(dp, lift, n_lift, true) : 0;
	if (missing < 0)
		err = (int)missing;
	else
		out->unbanned = n_lift - (size_t)missing;
	if (missing == 0) /* else a ban went meanwhile, and which is not known */
		fw_journal_unbans(lift, n_lift, "crowdsec");
	free(owned);
	free(lift);
	return err;
}

int fw_cs_apply_dp(const struct fw_datapath *dp, const struct fw_cs_stream *s, bool whole,
		   struct fw_cs_applied *out)
{
	struct fw_cs_plan plan;
	int err;

	memset(out, 0, sizeof(*out));
	err = fw_cs_plan_init(&plan, s);
	if (!err)
		err = fw_cs_add(dp, &plan, INFINITY, out);
	if (!err)
		err = fw_cs_remove(dp, s, whole, out);
	fw_cs_plan_free(&plan);
	return err;
}

/*
 * A whole set of many scenarios and durations can take seconds of
 * fw_bans_add() calls: the lock is let go between slices of this long, so
 * a reload or a CLI call waiting for it gets its turn.
 */
#define FW_CS_LOCK_SLICE_MS 50

int fw_cs_apply(const char *pin_dir, const struct fw_cs_stream *s, bool whole,
		struct fw_cs_applied *out)
{
	struct fw_cs_plan plan;
	struct fw_state st;
	int err;

	memset(out, 0, sizeof(*out));
	if (!s->ban_count && !s->unban_count && !whole)
		return 0; /* the usual poll: nothing changed, no lock taken */
	err = fw_cs_plan_init(&plan, s);
	while (!err && plan.next < plan.count) {
		if (plan.next) /* a waiter was woken by the unlock: let it run first */
			sched_yield();
		err = fw_state_open(&st, pin_dir, false);
		if (err)
			break;
		err = fw_cs_add(&st.dp, &plan, fw_now_ms() + FW_CS_LOCK_SLICE_MS, out);
		fw_state_close(&st);
	}
	if (!err && (s->unban_count || whole)) {
		err = fw_state_open(&st, pin_dir, false);
		if (!err) {
			err = fw_cs_remove(&st.dp, s, whole, out);
			fw_state_close(&st);
		}
	}
	fw_cs_plan_free(&plan);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * A decision stream put in force, under the pin dir's lock like any CLI
 * call: bans in one fw_bans_add() per scenario and duration, and unbans of
 * what CrowdSec banned. An address someone banned again since (by hand,
 * fail2ban, a limit) carries that origin now, and a CrowdSec deletion
 * leaves it alone: the last writer owns a ban.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "bans.h"
#include "crowdsec.h"
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

static int fw_cs_add(const struct fw_datapath *dp, const struct fw_cs_stream *s,
		     struct fw_cs_applied *out)
{
	const struct fw_cs_ban **order = calloc(s->ban_count, sizeof(*order));
	struct fw_prefix *run = calloc(s->ban_count, sizeof(*run));
	int err = order && run ? 0 : -ENOMEM;

	for (size_t i = 0; i < s->ban_count && !err; i++)
		order[i] = &s->bans[i];
	if (!err)
		qsort(order, s->ban_count, sizeof(*order), fw_cs_group_cmp);
	for (size_t i = 0, j; i < s->ban_count && !err; i = j) {
		long refused;

		for (j = i; j < s->ban_count && !fw_cs_group_cmp(&order[i], &order[j]); j++)
			run[j - i] = order[j]->prefix;
		refused = fw_bans_add(dp, run, j - i, order[i]->duration, order[i]->origin);
		out->calls++;
		if (refused < 0)
			err = (int)refused;
		else
			out->refused += (size_t)refused;
	}
	if (!err)
		out->banned = s->ban_count - out->refused;
	free(order);
	free(run);
	return err;
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
	free(owned);
	free(lift);
	return err;
}

int fw_cs_apply_dp(const struct fw_datapath *dp, const struct fw_cs_stream *s, bool whole,
		   struct fw_cs_applied *out)
{
	int err;

	memset(out, 0, sizeof(*out));
	err = fw_cs_add(dp, s, out);
	return err ? err : fw_cs_remove(dp, s, whole, out);
}

int fw_cs_apply(const char *pin_dir, const struct fw_cs_stream *s, bool whole,
		struct fw_cs_applied *out)
{
	struct fw_state st;
	int err;

	memset(out, 0, sizeof(*out));
	if (!s->ban_count && !s->unban_count && !whole)
		return 0; /* the usual poll: nothing changed, no lock taken */
	err = fw_state_open(&st, pin_dir, false);
	if (err)
		return err;
	err = fw_cs_apply_dp(&st.dp, s, whole, out);
	fw_state_close(&st);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ban_cmd.h"
#include "bans.h"
#include "duration.h"
#include "journal.h"
#include "log.h"
#include "sets.h"
#include "state.h"

static void fw_ban_file_problem(void *ctx, uint32_t line, uint32_t col, const char *msg)
{
	fprintf(stderr, "%s:%u:%u: %s\n", (const char *)ctx, line, col, msg);
}

/* The list file's lines, then the command line's; returns how many were not addresses. */
static long fw_ban_targets(const struct fw_ban_args *args, struct fw_prefix **out, size_t *count)
{
	struct fw_set set = { 0 };
	struct fw_prefix *prefixes;
	long invalid = 0;
	size_t n = 0;

	if (args->file) {
		invalid = fw_set_read_file(args->file, &set, fw_ban_file_problem,
					   (void *)args->file);
		if (invalid < 0) {
			fw_error("%s: cannot read the list: %s", args->file,
				 invalid == -EINVAL ? "not a regular file" : strerror((int)-invalid));
			return invalid;
		}
	}
	prefixes = malloc((set.count + (size_t)args->count + 1) * sizeof(*prefixes));
	if (!prefixes) {
		free(set.elements);
		return -ENOMEM;
	}
	for (size_t i = 0; i < set.count; i++)
		prefixes[n++] = set.elements[i].prefix;
	free(set.elements);
	for (int i = 0; i < args->count; i++) {
		const char *text = args->targets[i];
		char problem[FW_PREFIX_PROBLEM_MAX];
		enum fw_prefix_error err = fw_prefix_parse(text, strlen(text), &prefixes[n]);

		if (err == FW_PREFIX_OK) {
			n++;
			continue;
		}
		fw_error("%s", fw_prefix_problem(err, text, strlen(text), &prefixes[n], problem));
		invalid++;
	}
	*out = prefixes;
	*count = n;
	return invalid;
}

/* The longest ban: 100 years, so the datapath's clock plus it never wraps. */
#define FW_BAN_FOR_MAX (36500ull * 86400 * FW_NS_PER_SEC)

static int fw_ban_duration(const char *text, uint64_t *ns)
{
	int err = fw_duration_parse(text, strlen(text), ns);

	if (!err && *ns > FW_BAN_FOR_MAX)
		err = -ERANGE;
	if (err == -ERANGE)
		fw_error("--for %s: too long; a ban lasts at most 36500d, or leave --for out to ban "
			 "until unbanned", text);
	else if (err)
		fw_error("--for %s: not a duration; write a whole number and a unit (ms, s, m, h, d), "
			 "or several from the largest unit down: 30s, 10m, 2h, 7d, 1h30m", text);
	else if (!*ns)
		fw_error("--for %s: a ban must last longer than that; leave --for out to ban until "
			 "unbanned", text);
	return err || !*ns ? -EINVAL : 0;
}

static bool fw_ban_usage(const struct fw_ban_args *args, const char *verb)
{
	if (args->count || args->file)
		return true;
	fw_error("usage: xdpfw %s ADDR|PREFIX... or xdpfw %s --file FILE", verb, verb);
	return false;
}

/* "1 address", "2 addresses and prefixes". */
static const char *fw_ban_noun(size_t n)
{
	return n == 1 ? "address or prefix" : "addresses and prefixes";
}

int fw_ban_cmd(const char *pin_dir, const struct fw_ban_args *args)
{
	char until[64] = "until unbanned", why[64];
	struct fw_prefix *prefixes = NULL;
	uint64_t duration = 0;
	double started, read, opened;
	struct fw_state st;
	size_t count = 0;
	long invalid, refused;

	if (!fw_ban_usage(args, "ban"))
		return 2;
	if (args->duration) {
		if (fw_ban_duration(args->duration, &duration))
			return 2;
		snprintf(until, sizeof(until), "for %s", args->duration);
	}
	started = fw_now_ms();
	invalid = fw_ban_targets(args, &prefixes, &count);
	read = fw_now_ms();
	if (invalid < 0 || fw_state_open(&st, pin_dir, false)) {
		free(prefixes);
		return 1;
	}
	opened = fw_now_ms();
	refused = fw_bans_add(&st.dp, prefixes, count, duration, args->reason);
	if (refused >= 0)
		fw_journal_bans(&st.dp, prefixes, count, duration, args->reason, refused);
	fw_state_close(&st);
	fw_debug("ban: read %.1f ms, state %.1f ms, maps %.1f ms", read - started, opened - read,
		 fw_now_ms() - opened);
	free(prefixes);
	if (refused < 0)
		return 1;
	if (!refused && !invalid) {
		fw_info("banned %zu %s %s", count, fw_ban_noun(count), until);
		return 0;
	}
	if (refused && invalid)
		snprintf(why, sizeof(why), "%ld refused and %ld not valid", refused, invalid);
	else
		snprintf(why, sizeof(why), "%ld %s", refused ? refused : invalid,
			 refused ? "refused" : "not valid");
	fw_error("banned %zu of %zu %s; %s, as said above", count - (size_t)refused,
		 count + (size_t)invalid, until, why);
	return 1;
}

/* A ban that is not there (expired, or never made) is said, and not an error. */
int fw_unban_cmd(const char *pin_dir, const struct fw_ban_args *args)
{
	struct fw_prefix *prefixes = NULL, *held;
	struct fw_state st;
	size_t count = 0, lifting;
	long invalid, missing;

	if (!fw_ban_usage(args, "unban"))
		return 2;
	invalid = fw_ban_targets(args, &prefixes, &count);
	if (invalid < 0 || fw_state_open(&st, pin_dir, false)) {
		free(prefixes);
		return 1;
	}
	lifting = fw_journal_bans_held(&st.dp, prefixes, count, &held);
	missing = fw_bans_remove(&st.dp, prefixes, count, false);
	fw_state_close(&st);
	if (missing >= 0 && held)
		fw_journal_unbans(held, lifting, "manual");
	free(held);
	free(prefixes);
	if (missing < 0)
		return 1;
	fw_info("lifted %zu %s%s", count - (size_t)missing, fw_ban_noun(count - (size_t)missing),
		invalid ? "; the ones not valid above were left alone" : "");
	return invalid ? 1 : 0;
}

int fw_bans_cmd(const char *pin_dir, bool json)
{
	struct fw_state st;
	int err;

	if (fw_state_open(&st, pin_dir, false))
		return 1;
	err = fw_bans_show(stdout, &st.dp, json);
	if (err)
		fw_error("%s: reading the bans failed: %s", pin_dir, strerror(-err));
	fw_state_close(&st);
	return err ? 1 : 0;
}

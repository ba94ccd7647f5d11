/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CrowdSec bouncer (DESIGN §1b): the daemon polls the Local API's
 * decision stream and turns `ban` decisions of scope Ip and Range into bans
 * (fw/bans.h) with origin "crowdsec:SCENARIO".
 */
#ifndef FW_CROWDSEC_H
#define FW_CROWDSEC_H

#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "ruleset.h"

/* A ban decision from the stream's "new" array. */
struct fw_cs_ban {
	struct fw_prefix prefix;
	uint64_t duration; /* ns left, rounded up by fw_cs_duration_step(); never 0 */
	char origin[FW_RULE_NAME_MAX]; /* "crowdsec:SCENARIO", cut to fit */
};

/* One answer of GET /v1/decisions/stream, reduced to what xdpfw enforces. */
struct fw_cs_stream {
	struct fw_cs_ban *bans;   /* "new" Ip/Range bans still in force */
	size_t ban_count;
	struct fw_prefix *unbans; /* "deleted" Ip/Range bans, less those banned again in bans */
	size_t unban_count;
	size_t ignored;  /* other types or scopes, and bans already expired */
	char ignored_example[64]; /* "type captcha, scope Ip": the first ignored for its kind */
	size_t invalid;  /* a value or duration xdpfw cannot read, or a /0 */
	char invalid_example[96];
};

/*
 * Parses the stream's JSON text. -EINVAL when it is not a decision stream
 * (why in err); a decision that cannot be read is counted in invalid, not
 * an error.
 */
int fw_cs_stream_parse(const char *text, size_t len, struct fw_cs_stream *out, char *err,
		       size_t err_size);
void fw_cs_stream_free(struct fw_cs_stream *s);

/* A duration of ns > 0 rounded up to a step of at most 1/16 of it (whole seconds to 32 s). */
uint64_t fw_cs_duration_step(int64_t ns);

/*
 * A Go time.Duration as text ("3h59m58.1s", "-1.5ms", "250us", "0"): ns in
 * *ns. -EINVAL on a syntax error, -ERANGE past int64.
 */
int fw_go_duration_parse(const char *text, int64_t *ns);

struct fw_datapath;

/* What fw_cs_apply() did. */
struct fw_cs_applied {
	size_t banned;   /* bans added or renewed */
	size_t refused;  /* by never_ban or max_bans (fw_bans_add() said which) */
	size_t unbanned;
	size_t calls;    /* fw_bans_add() calls: one per scenario and duration */
};

/*
 * Puts s in force in dp: its bans, then its unbans of bans CrowdSec made.
 * whole: s is the whole set (startup=true), so every CrowdSec ban it does
 * not hold is lifted too.
 */
int fw_cs_apply_dp(const struct fw_datapath *dp, const struct fw_cs_stream *s, bool whole,
		   struct fw_cs_applied *out);
/* The same on what is pinned at pin_dir, under its lock; takes no lock for an empty delta. */
int fw_cs_apply(const char *pin_dir, const struct fw_cs_stream *s, bool whole,
		struct fw_cs_applied *out);

struct fw_cs_bouncer;

/*
 * Starts the bouncer on its own thread for cfg's crowdsec section (copied;
 * url not NULL), writing bans into what is pinned at pin_dir under its
 * lock. Call with the signals blocked, so the thread inherits the mask.
 * NULL on error (said).
 */
struct fw_cs_bouncer *fw_cs_start(const char *pin_dir, const struct fw_config *cfg);
/* Takes a reloaded config's section: a new url or key asks for the whole set again. */
void fw_cs_configure(struct fw_cs_bouncer *b, const struct fw_config *cfg);
/* Stops the thread at once (an HTTP request in flight is cut); the bans stay. NULL-safe. */
void fw_cs_stop(struct fw_cs_bouncer *b);

#endif /* FW_CROWDSEC_H */

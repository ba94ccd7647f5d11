// SPDX-License-Identifier: GPL-2.0
/* `xdpfw bans`: times in the datapath's clock shown as wall-clock times and what is left. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>
#include "ban_cmd.h"
#include "bans.h"
#include "duration.h"
#include "prefix.h"
#include "show.h"
#include "text.h"

/* What relates the datapath's clock to the wall clock, read once. */
struct fw_ban_clocks {
	uint64_t now;     /* the datapath's clock, ns */
	time_t wall;      /* the wall clock at the same moment, s */
};

static time_t fw_ban_wall(const struct fw_ban_clocks *c, uint64_t at)
{
	if (at >= c->now)
		return c->wall + (time_t)((at - c->now) / FW_NS_PER_SEC);
	return c->wall - (time_t)((c->now - at) / FW_NS_PER_SEC);
}

/* IPv4 first, then by address, then wider first. */
static int fw_ban_cmp(const void *a, const void *b)
{
	const struct fw_ban *x = a, *y = b;
	bool x4 = fw_prefix_is_v4(&x->prefix), y4 = fw_prefix_is_v4(&y->prefix);
	int c = memcmp(x->prefix.addr, y->prefix.addr, sizeof(x->prefix.addr));

	if (x4 != y4)
		return x4 ? -1 : 1;
	if (c)
		return c;
	return (x->prefix.len > y->prefix.len) - (x->prefix.len < y->prefix.len);
}

const char *fw_ban_left_text(uint64_t ns, char buf[FW_DURATION_TEXT_MAX])
{
	uint64_t s = (ns + FW_NS_PER_SEC - 1) / FW_NS_PER_SEC;

	/* The two largest units: "1h59m", "1d1h", "2m30s". */
	if (s >= 86400)
		s -= s % 3600;
	else if (s >= 3600)
		s -= s % 60;
	return fw_duration_format(s * FW_NS_PER_SEC, buf);
}

static struct json_object *fw_ban_json(const struct fw_ban *b, const struct fw_ban_clocks *c)
{
	struct json_object *obj = json_object_new_object();
	char text[FW_PREFIX_TEXT_MAX];
	uint64_t left = b->expires > c->now ? b->expires - c->now : 0;

	if (!obj)
		return NULL;
	json_object_object_add(obj, "address",
			       json_object_new_string(fw_prefix_format(&b->prefix, text)));
	json_object_object_add(obj, "origin",
			       json_object_new_string_len(b->origin, (int)strnlen(b->origin,
									     sizeof(b->origin))));
	json_object_object_add(obj, "expires_in",
			       b->expires ? json_object_new_uint64((left + FW_NS_PER_SEC - 1) /
								   FW_NS_PER_SEC)
					  : NULL);
	json_object_object_add(obj, "expires",
			       b->expires ? json_object_new_int64(fw_ban_wall(c, b->expires)) : NULL);
	json_object_object_add(obj, "since", json_object_new_int64(fw_ban_wall(c, b->since)));
	json_object_object_add(obj, "packets", json_object_new_uint64(b->packets));
	json_object_object_add(obj, "bytes", json_object_new_uint64(b->bytes));
	return obj;
}

/* One object a line, written as made: a tree of a million bans would not fit. */
static int fw_bans_json(FILE *out, const struct fw_ban *bans, size_t n,
			const struct fw_ban_clocks *c)
{
	int err = 0;

	fputc('[', out);
	for (size_t i = 0; i < n && !err; i++) {
		struct json_object *obj = fw_ban_json(&bans[i], c);

		fputs(i ? ",\n  " : "\n  ", out);
		err = obj ? fw_json_print(out, obj, JSON_C_TO_STRING_SPACED) : -ENOMEM;
	}
	fputs(n ? "\n]\n" : "]\n", out);
	return err;
}

/* The cells of one row that are text. */
struct fw_ban_cells {
	char address[FW_PREFIX_TEXT_MAX];
	char origin[FW_ESCAPED_SIZE(FW_RULE_NAME_MAX)];
	char expires[FW_DURATION_TEXT_MAX];
	char since[32];
};

static void fw_ban_cells(const struct fw_ban *b, const struct fw_ban_clocks *c,
			 struct fw_ban_cells *cells)
{
	time_t since = fw_ban_wall(c, b->since);
	struct tm tm;

	fw_prefix_format(&b->prefix, cells->address);
	fw_escape(cells->origin, sizeof(cells->origin), b->origin,
		  strnlen(b->origin, sizeof(b->origin)));
	if (b->expires)
		fw_ban_left_text(b->expires > c->now ? b->expires - c->now : 0, cells->expires);
	else
		strcpy(cells->expires, "never");
	if (localtime_r(&since, &tm))
		strftime(cells->since, sizeof(cells->since), "%Y-%m-%d %H:%M:%S", &tm);
	else
		strcpy(cells->since, "?");
}

static int fw_max(int a, int b)
{
	return a > b ? a : b;
}

static void fw_bans_table(FILE *out, const struct fw_ban *bans, size_t n,
			  const struct fw_ban_clocks *c)
{
	int address_w = 7, origin_w = 6, expires_w = 7;
	struct fw_ban_cells cells;

	for (size_t i = 0; i < n; i++) {
		fw_ban_cells(&bans[i], c, &cells);
		address_w = fw_max(address_w, (int)strlen(cells.address));
		origin_w = fw_max(origin_w, (int)strlen(cells.origin));
		expires_w = fw_max(expires_w, (int)strlen(cells.expires));
	}
	fprintf(out, "%-*s  %-*s  %-*s  %-19s  %12s  %14s\n", address_w, "ADDRESS", origin_w,
		"ORIGIN", expires_w, "EXPIRES", "SINCE", "PACKETS", "BYTES");
	for (size_t i = 0; i < n; i++) {
		fw_ban_cells(&bans[i], c, &cells);
		fprintf(out, "%-*s  %-*s  %-*s  %-19s  %12" PRIu64 "  %14" PRIu64 "\n", address_w,
			cells.address, origin_w, cells.origin, expires_w, cells.expires, cells.since,
			bans[i].packets, bans[i].bytes);
	}
}

int fw_bans_show(FILE *out, const struct fw_datapath *dp, bool json)
{
	struct fw_ban_clocks clocks = { fw_bans_clock(dp), time(NULL) };
	struct fw_ban *bans;
	size_t n;
	int err = fw_bans_list(dp, &bans, &n);

	if (err)
		return err;
	if (n)
		qsort(bans, n, sizeof(*bans), fw_ban_cmp);
	if (json)
		err = fw_bans_json(out, bans, n, &clocks);
	else
		fw_bans_table(out, bans, n, &clocks);
	free(bans);
	return err;
}

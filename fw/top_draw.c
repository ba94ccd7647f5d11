// SPDX-License-Identifier: GPL-2.0
/*
 * `xdpfw top`'s frame: a title, the totals an operator under attack looks
 * at first, the drop reasons, then the rules, busiest first, as many as fit.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "names.h"
#include "show.h"
#include "text.h"
#include "top_draw.h"

enum { FW_TOP_RED = 1, FW_TOP_GREEN, FW_TOP_YELLOW };

#define FW_TOP_NAME_COLS 40 /* the widest NAME and SRC columns; longer ones are cut */

static int fw_top_color(int pair)
{
	return has_colors() ? COLOR_PAIR(pair) : 0;
}

void fw_top_draw_init(void)
{
	if (!has_colors() || start_color() == ERR)
		return;
	use_default_colors();
	init_pair(FW_TOP_RED, COLOR_RED, -1);
	init_pair(FW_TOP_GREEN, COLOR_GREEN, -1);
	init_pair(FW_TOP_YELLOW, COLOR_YELLOW, -1);
}

/*
 * Writes at (y, x), cut at the right edge (curses would wrap it), or not
 * at all when whole and it does not fit: a number cut short reads wrong.
 * Returns the column after.
 */
__attribute__((format(printf, 5, 6))) static int fw_top_text(int y, int x, int attr, bool whole,
							     const char *fmt, ...)
{
	char text[512];
	int len, room = COLS - x;
	va_list ap;

	va_start(ap, fmt);
	len = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (room <= 0 || y >= LINES || len < 0 || (whole && len > room))
		return x;
	attron(attr);
	mvaddnstr(y, x, text, room);
	attroff(attr);
	return x + (len < room ? len : room);
}

#define fw_top_put(y, x, attr, ...) fw_top_text(y, x, attr, false, __VA_ARGS__)
#define fw_top_put_whole(y, x, attr, ...) fw_top_text(y, x, attr, true, __VA_ARGS__)

/* A rate as the frame shows it: "-" until there are two samples. */
static const char *fw_top_rate_text(char buf[FW_TOP_HUMAN_MAX], const struct fw_top_view *v,
				    uint64_t delta)
{
	return v->seconds > 0 ? fw_top_human(buf, fw_top_rate(v, delta)) : "-";
}

static const char *fw_top_clock(char buf[16], time_t when)
{
	struct tm tm;

	if (!localtime_r(&when, &tm) || !strftime(buf, 16, "%H:%M:%S", &tm))
		strcpy(buf, "?");
	return buf;
}

static void fw_top_draw_title(const struct fw_top_screen *scr, const struct fw_top_sample *s)
{
	int bar = A_REVERSE, x;
	char clock[16];

	attron(bar);
	mvhline(0, 0, ' ', COLS);
	attroff(bar);
	x = fw_top_put(0, 0, bar | A_BOLD, " xdpfw top ");
	x = fw_top_put(0, x, bar, " %s", scr->interfaces[0] ? scr->interfaces : "attached nowhere");
	if (scr->prog_id)
		x = fw_top_put(0, x, bar, "  prog %u", scr->prog_id);
	if (s) {
		x = fw_top_put(0, x, bar, "  %zu rules  default %s", s->rule_count,
			       s->active & FW_ACTIVE_DEFAULT_DROP ? "drop" : "pass");
		if (s->reloads.last_success)
			x = fw_top_put(0, x, bar, "  reloaded %s",
				       fw_top_clock(clock, (time_t)s->reloads.last_success));
		if (s->reloads.failed)
			x = fw_top_put(0, x, bar | A_BOLD | fw_top_color(FW_TOP_RED),
				       "  %llu reloads failed",
				       (unsigned long long)s->reloads.failed);
	}
	fw_top_clock(clock, time(NULL));
	if (x + (int)strlen(clock) + 2 <= COLS)
		fw_top_put_whole(0, COLS - (int)strlen(clock) - 1, bar, "%s", clock);
}

/* The line to read first: what is dropped and passed, the bans, the events. */
static void fw_top_draw_totals(const struct fw_top_sample *s, const struct fw_top_view *v)
{
	char a[FW_TOP_HUMAN_MAX], b[FW_TOP_HUMAN_MAX];
	int x;

	x = fw_top_put_whole(1, 0, A_BOLD | fw_top_color(FW_TOP_RED), " DROP %s pkt/s",
			     fw_top_rate_text(a, v, v->dropped.packets));
	x = fw_top_put_whole(1, x, 0, " %sB/s", fw_top_rate_text(b, v, v->dropped.bytes));
	x = fw_top_put_whole(1, x, A_BOLD, "   BANS %zu", s->bans);
	x = fw_top_put_whole(1, x, A_BOLD | fw_top_color(FW_TOP_GREEN), "   PASS %s pkt/s",
			     fw_top_rate_text(a, v, v->passed.packets));
	x = fw_top_put_whole(1, x, 0, " %sB/s", fw_top_rate_text(b, v, v->passed.bytes));
	fw_top_put_whole(1, x, 0, "   events %s/s sent, %s/s suppressed",
			 fw_top_rate_text(a, v, v->events_sent),
			 fw_top_rate_text(b, v, v->events_suppressed));
}

/* Each drop reason in a cell of its own, as many cells a line as fit; returns the next line. */
static int fw_top_draw_reasons(int y, const struct fw_top_view *v)
{
	const int cell = 26;
	int x = 1;

	for (int i = 0; i < FW_STAT_COUNT; i++) {
		char rate[FW_TOP_HUMAN_MAX];

		if (!fw_stat_is_drop(i))
			continue;
		if (x + cell > COLS && x > 1) {
			y++;
			x = 1;
		}
		fw_top_put_whole(y, x, v->stats[i].packets ? A_BOLD : 0, "%-14s %6s/s",
				 fw_stat_name(i), fw_top_rate_text(rate, v, v->stats[i].packets));
		x += cell;
	}
	return y + 1;
}

struct fw_top_cells {
	char name[FW_ESCAPED_SIZE(FW_RULE_NAME_MAX)];
	struct fw_rule_text match;
};

static int fw_top_width(int have, const char *text)
{
	int len = (int)strlen(text);

	len = len < FW_TOP_NAME_COLS ? len : FW_TOP_NAME_COLS;
	return len > have ? len : have;
}

/* Narrows SRC, then NAME, down to 12 columns each, until a row fits beside the others' columns. */
static void fw_top_fit(int *name_w, int *src_w, int others)
{
	int over = others + *name_w + *src_w - COLS, cut;

	cut = over > 0 && *src_w > 12 ? (over < *src_w - 12 ? over : *src_w - 12) : 0;
	*src_w -= cut;
	over -= cut;
	cut = over > 0 && *name_w > 12 ? (over < *name_w - 12 ? over : *name_w - 12) : 0;
	*name_w -= cut;
}

static const char *fw_top_action(const struct fw_rule_info *r, int *attr)
{
	*attr = fw_top_color(r->action == FW_ACTION_PASS ? FW_TOP_GREEN : FW_TOP_RED);
	return r->action == FW_ACTION_LIMIT ? "limit" : fw_action_name(r->action);
}

static void fw_top_draw_rules(int y, int rows, const struct fw_top_sample *s,
			      const struct fw_top_view *v)
{
	struct fw_top_cells *cells = calloc(rows > 0 ? rows : 1, sizeof(*cells));
	int name_w = 4, src_w = 3, port_w = 4, proto_w = 5, shown = 0, x;

	if (!cells)
		return;
	for (; shown < rows && (size_t)shown < v->count; shown++) {
		const struct fw_rule_info *r = &v->rows[shown].rule->info;

		fw_escape(cells[shown].name, sizeof(cells[shown].name), r->name,
			  strnlen(r->name, sizeof(r->name)));
		fw_rule_describe(r, s->sets, &cells[shown].match);
		name_w = fw_top_width(name_w, cells[shown].name);
		src_w = fw_top_width(src_w, cells[shown].match.src);
		port_w = fw_top_width(port_w, cells[shown].match.port);
		proto_w = fw_top_width(proto_w, cells[shown].match.proto);
	}
	/* NAME and SRC give way first; the total, last, shows where it fits whole. */
	fw_top_fit(&name_w, &src_w, 32 + port_w + proto_w);
	attron(A_REVERSE);
	mvhline(y, 0, ' ', COLS);
	attroff(A_REVERSE);
	x = fw_top_put(y, 0, A_REVERSE, "%7s %8s  %-6s  %-*s  %-*s  %-*s  %-*s", "PKT/S",
		       "BYTES/S", "ACTION", name_w, "NAME", src_w, "SRC", port_w, "PORT", proto_w,
		       "PROTO");
	fw_top_put_whole(y, x, A_REVERSE, "  %12s", "PACKETS");
	for (int i = 0; i < shown; i++) {
		const struct fw_top_row *row = &v->rows[i];
		char pps[FW_TOP_HUMAN_MAX], bps[FW_TOP_HUMAN_MAX];
		int busy = row->delta.packets ? A_BOLD : 0, action_attr;
		const char *action = fw_top_action(&row->rule->info, &action_attr);

		x = fw_top_put_whole(y + 1 + i, 0, busy, "%7s %8s",
				     fw_top_rate_text(pps, v, row->delta.packets),
				     fw_top_rate_text(bps, v, row->delta.bytes));
		x = fw_top_put(y + 1 + i, x, action_attr, "  %-6s", action);
		x = fw_top_put(y + 1 + i, x, busy, "  %-*.*s  %-*.*s  %-*s  %-*s", name_w, name_w,
			       cells[i].name, src_w, src_w, cells[i].match.src, port_w,
			       cells[i].match.port, proto_w, cells[i].match.proto);
		fw_top_put_whole(y + 1 + i, x, busy, "  %12llu",
				 (unsigned long long)row->rule->counter.packets);
	}
	free(cells);
}

static void fw_top_draw_footer(const struct fw_top_screen *scr, const struct fw_top_view *v,
			       size_t shown)
{
	int y = LINES - 1, x;

	attron(A_REVERSE);
	mvhline(y, 0, ' ', COLS);
	attroff(A_REVERSE);
	x = fw_top_put(y, 0, A_REVERSE, " q quit  s sort: %s", fw_top_order_names[scr->order]);
	if (v && shown < v->count)
		x = fw_top_put_whole(y, x, A_REVERSE, "  (%zu of %zu rules shown)", shown,
				     v->count);
	if (scr->status[0])
		fw_top_put(y, x, A_REVERSE | A_BOLD | fw_top_color(FW_TOP_YELLOW), "  %s",
			   scr->status);
}

void fw_top_draw(const struct fw_top_screen *scr, const struct fw_top_sample *now,
		 const struct fw_top_view *v)
{
	size_t shown = 0;

	erase();
	fw_top_draw_title(scr, now);
	if (now && v) {
		int y;

		fw_top_draw_totals(now, v);
		y = fw_top_draw_reasons(2, v) + 1;
		if (LINES - 1 - (y + 1) > 0) {
			shown = (size_t)(LINES - 1 - (y + 1));
			shown = shown < v->count ? shown : v->count;
			fw_top_draw_rules(y, (int)shown, now, v);
		}
	}
	fw_top_draw_footer(scr, v, shown);
	refresh();
}

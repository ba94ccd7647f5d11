/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fast lane: events for the plainest YAML, read straight from the text
 * without libyaml. It takes only what it can read exactly as libyaml would
 * (block collections at most four deep, one-word plain scalars, values
 * quoted on one line without escapes, a few of those as a flow list [a, b]
 * on one line, ASCII, LF line ends) and gives up on
 * anything else, so the parse starts over with
 * libyaml. Its events own no memory. Internal to fw/config/ (the reader layer).
 */
#ifndef FW_CONFIG_READER_FAST_H
#define FW_CONFIG_READER_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

/* The root mapping, a list, its item mappings and a mapping in one (limit:); or sets: and each set. */
#define CFG_FAST_DEPTH 4
#define CFG_FAST_FLOW_MAX 8 /* items of a flow list [a, b] on one line */
#define CFG_FAST_QUEUE 24 /* events one line can make, with room to spare */

struct cfg_fast_level {
	bool sequence; /* else a mapping */
	size_t indent; /* column of its keys or dashes, 0-based */
};

/* An event waiting in the lane's queue; made a yaml_event_t when handed out. */
struct cfg_fast_event {
	yaml_event_type_t type;
	size_t line;  /* 0-based, as in a yaml_mark_t */
	size_t col;
	size_t value; /* scalar: offset in the text */
	size_t len;
	char quote;   /* scalar: its quote, or 0 when plain */
	bool flow;    /* sequence start: written [a, b] */
};

struct cfg_fast {
	const char *text;
	size_t len;
	size_t pos;     /* where the next line starts */
	size_t line;    /* its 0-based number */
	struct cfg_fast_level levels[CFG_FAST_DEPTH];
	int depth;      /* open collections */
	bool value_due; /* the last key had no value on its line: a list or mapping follows */
	bool ended;     /* the end of the stream is queued */
	bool gave_up;
	unsigned char chars[256]; /* what each byte may be, enum cfg_fast_char in reader_fast.c */
	struct cfg_fast_event queue[CFG_FAST_QUEUE];
	size_t head;
	size_t count;
};

/* Whether the lane may try text at all: it reads ASCII only. */
bool cfg_fast_lane_fits(const char *text, size_t len);
void cfg_fast_start(struct cfg_fast *f, const char *text, size_t len);
/* The next event; -1 when the lane gives up (f->gave_up is then set). */
int cfg_fast_next(struct cfg_fast *f, yaml_event_t *ev);

/* The index of the first non-ASCII byte of s[i, len), or len. */
size_t cfg_skip_ascii(const unsigned char *s, size_t i, size_t len);

#endif /* FW_CONFIG_READER_FAST_H */

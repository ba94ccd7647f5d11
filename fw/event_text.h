/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An event in words, the same for `xdpfw events` (a text line, or a JSON
 * object with --json) and for the journal's fields.
 */
#ifndef FW_EVENT_TEXT_H
#define FW_EVENT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <net/if.h>
#include "event_names.h"
#include "xdpfw.h"

struct json_object;

/* "2026-01-31T23:59:59.123Z" */
#define FW_RFC3339_MS_MAX 32

struct fw_event_words {
	char time[FW_RFC3339_MS_MAX];   /* when, RFC 3339 UTC with ms */
	char rule[FW_RULE_NAME_MAX + 12]; /* "" for a ban's drop */
	char origin[FW_RULE_NAME_MAX + 12]; /* a ban's drop: why it was banned; else "" */
	const char *action;             /* "pass" or "drop" */
	const char *reason;             /* its fw_stat name: pass_rule, drop_ban, ... */
	char interface[IF_NAMESIZE + 12];
	char proto[8];                  /* tcp, udp, icmp, icmpv6, else the number */
	char src[INET6_ADDRSTRLEN];
	char dst[INET6_ADDRSTRLEN];
	uint16_t sport;                 /* both 0: the packet has no ports */
	uint16_t dport;
	uint32_t len;
};

/* ns of unix time as RFC 3339 UTC with milliseconds. */
const char *fw_rfc3339_ms(uint64_t unix_ns, char buf[FW_RFC3339_MS_MAX]);

/* Names the event's rule or origin, interface and time from names. */
void fw_event_words(struct fw_event_names *names, const struct fw_event *ev,
		    struct fw_event_words *out);

static inline bool fw_event_words_have_ports(const struct fw_event_words *w)
{
	return w->sport || w->dport;
}

/*
 * One line of key=value pairs, the JSON keys, in their order; time first
 * unless with_time is false (the journal stamps its own). Values with
 * spaces, quotes or control bytes are quoted and escaped.
 */
void fw_event_line(const struct fw_event_words *w, bool with_time, char *buf, size_t size);
/* The line's room: every field at its longest, a ban's origin escaped. */
#define FW_EVENT_LINE_MAX 768

/* {"time", "rule", "origin", "action", "reason", "interface", "proto", "src", "sport", ...}. */
struct json_object *fw_event_json(const struct fw_event_words *w);

#endif /* FW_EVENT_TEXT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an event's numbers stand for: rule ids, ban origins and interface
 * indexes as names, the datapath's clock as wall-clock time. Read from the
 * maps pinned in a pin dir, and read again when they change: a reload may
 * give an id to another rule, and a map replacement pins new maps.
 */
#ifndef FW_EVENT_NAMES_H
#define FW_EVENT_NAMES_H

#include <stdint.h>
#include <net/if.h>
#include "xdpfw.h"

struct fw_event_names;

/*
 * Never fails for want of pins: until something is pinned, rules and
 * origins are named by their numbers ("#3"). -ENOMEM only.
 */
int fw_event_names_open(const char *pin_dir, struct fw_event_names **out);
/* After a reload: the next lookup reads the pins again. */
void fw_event_names_refresh(struct fw_event_names *names);
void fw_event_names_close(struct fw_event_names *names);

/* The NUL-terminated name of rule id, or "#ID" when no rule has that id now. */
const char *fw_event_rule_name(struct fw_event_names *names, uint32_t id,
			       char buf[FW_RULE_NAME_MAX + 12]);
/* The name of ban origin index, or "#INDEX" when the entry is free. */
const char *fw_event_origin_name(struct fw_event_names *names, uint32_t index,
				 char buf[FW_RULE_NAME_MAX + 12]);
/* The interface's name, or "if" and its index when it has none (here). */
const char *fw_event_ifname(struct fw_event_names *names, uint32_t ifindex,
			    char buf[IF_NAMESIZE + 12]);
/* A time of the datapath's clock as unix time, ns. */
uint64_t fw_event_wall_ns(struct fw_event_names *names, uint64_t time);

#endif /* FW_EVENT_NAMES_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The datapath's rule lookup replayed from userspace over the maps in force,
 * with bpf_map_lookup_elem, step for step as bpf/xdpfw.bpf.c takes it: what
 * `xdpfw explain` reads when no config is given.
 */
#ifndef FW_LOOKUP_H
#define FW_LOOKUP_H

#include <stdbool.h>
#include <stdint.h>
#include "classify.h"
#include "datapath.h"

/* How the maps decide for one packet. */
struct fw_lookup {
	enum fw_stat reason; /* the stat slot the datapath bumps */
	bool by_rule;        /* a rule decided: rule_id is its counter slot */
	uint32_t rule_id;
	uint32_t active;     /* the FW_PARAM_ACTIVE word the lookup read */
	bool exact_source;   /* the source's own entry in fw_sources4/6_N was found */
	uint32_t class_id;   /* else the class of its longest prefix; 0 = none */
};

/*
 * Looks pkt (kind FW_FRAME_IP; src in the 16-byte form, IPv4 v4-mapped)
 * up in dp's maps. Only reads them. Returns 0, or -errno when a map cannot
 * be read.
 */
int fw_lookup_packet(const struct fw_datapath *dp, const struct fw_frame_facts *pkt,
		     struct fw_lookup *out);

#endif /* FW_LOOKUP_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* `xdpfw rules` and `xdpfw stats`: aligned tables or JSON. */
#ifndef FW_SHOW_H
#define FW_SHOW_H

#include <stdbool.h>
#include <stdio.h>
#include "datapath.h"

int fw_show_rules(FILE *out, const struct fw_datapath *dp, bool json);
int fw_show_stats(FILE *out, const struct fw_datapath *dp, bool json);

/* "198.18.0.7" for v4-mapped addresses, RFC 5952 text for IPv6. */
void fw_addr_format(const uint8_t addr[16], char *buf, size_t size);

#endif /* FW_SHOW_H */

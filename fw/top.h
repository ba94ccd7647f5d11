/* SPDX-License-Identifier: GPL-2.0 */
/* `xdpfw top`: a live full-screen view of the rules, the drop reasons and the bans. */
#ifndef FW_TOP_H
#define FW_TOP_H

/* Refreshes every second until q; returns 0 on a clean exit. */
int fw_top_cmd(const char *pin_dir);

#endif /* FW_TOP_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FW_DAEMON_H
#define FW_DAEMON_H

/*
 * `xdpfw run`: enforces path, re-reads it on SIGHUP, and on SIGTERM/SIGINT
 * exits leaving the datapath enforcing. Returns 0 on a clean exit.
 */
int fw_daemon_run(const char *pin_dir, const char *path);

#endif /* FW_DAEMON_H */

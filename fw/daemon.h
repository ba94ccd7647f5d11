/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FW_DAEMON_H
#define FW_DAEMON_H

#include <stdbool.h>

struct fw_daemon_opts {
	bool watch;             /* --watch: a change of the config's files reloads it too */
	const char *ready_file; /* --ready-file: made once the rules are in force; NULL = none */
};

/*
 * `xdpfw run`: enforces path, re-reads it on SIGHUP (and on a change of its
 * files with opts->watch), and on SIGTERM/SIGINT exits leaving the datapath
 * enforcing. Returns 0 on a clean exit.
 */
int fw_daemon_run(const char *pin_dir, const char *path, const struct fw_daemon_opts *opts);

#endif /* FW_DAEMON_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* `run --ready-file`: a file that exists while the daemon's rules are in force, for probes. */
#ifndef FW_READY_FILE_H
#define FW_READY_FILE_H

/*
 * Creates path atomically (a temp file renamed over it), holding the config
 * put in force; a probe that sees it knows this daemon enforced its rules.
 * Returns 0 or a negative errno, said with the path.
 */
int fw_ready_file_create(const char *path, const char *config);

/* Removes path on the way out; a missing file is fine. */
void fw_ready_file_remove(const char *path);

#endif /* FW_READY_FILE_H */

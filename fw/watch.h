/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `run --watch`: inotify on the folders of a config's files, never on the
 * files themselves (editors replace them, Kubernetes swaps `..data`), and a
 * debounce timer so that a burst of writes is one reload.
 */
#ifndef FW_WATCH_H
#define FW_WATCH_H

#include <stdbool.h>
#include <stddef.h>

struct fw_config_sources;

/* Quiet time before a reload, and the longest a stream of events can put it off. */
#define FW_WATCH_QUIET_MS 50
#define FW_WATCH_MAX_DELAY_MS 500

struct fw_watch;

/* The inotify instance and the timer; nothing is watched yet. */
int fw_watch_open(struct fw_watch **out);
void fw_watch_close(struct fw_watch *w);

/*
 * Watches the folders of config (the main file), of each of sources' files
 * and of each include pattern, for events on those names (a pattern's
 * basename is a glob) or on names starting with "..". Folders no longer
 * named are let go. A folder that does not exist yet is watched through the
 * nearest one that does, for the name that leads to it. Returns 0, or a
 * negative errno when the main file's folder cannot be watched (said).
 */
int fw_watch_set(struct fw_watch *w, const char *config, const struct fw_config_sources *sources);

/* Watches the last set's folders again: after a reload, some may have been replaced. */
int fw_watch_refresh(struct fw_watch *w);

/* The two descriptors the caller polls for reading. */
int fw_watch_inotify_fd(const struct fw_watch *w);
int fw_watch_timer_fd(const struct fw_watch *w);

/* Reads what inotify has; an event on a watched name (re)arms the timer. */
void fw_watch_read(struct fw_watch *w);

/*
 * Reads the timer; true when it expired, a reload is due, and changed then
 * holds the first path that changed since the last reload (relative to the
 * main file's folder when in it: "conf.d/20-web.yaml").
 */
bool fw_watch_due(struct fw_watch *w, char *changed, size_t size);

/* A reload happened (by SIGHUP or not): a timer still armed is not needed. */
void fw_watch_disarm(struct fw_watch *w);

#endif /* FW_WATCH_H */

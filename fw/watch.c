// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include "config.h"
#include "log.h"
#include "watch.h"

/*
 * What a change looks like: a close after writing, a rename in or out, a
 * creation, a removal, a touch; and the folder itself going away. Plain
 * writes are not counted: the close that ends them is. Opens and closes are
 * counted, so that a file written in place is not read half written.
 */
#define FW_WATCH_CHANGE                                                                    \
	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB |     \
	 IN_DELETE_SELF | IN_MOVE_SELF)
#define FW_WATCH_MASK (FW_WATCH_CHANGE | IN_OPEN | IN_CLOSE_NOWRITE | IN_ONLYDIR)

/* The longest a file held open puts a due reload off: a reader may hold it for hours. */
#define FW_WATCH_OPEN_MAX_MS 2000

/* A name in a folder the config reads; wd and match are where it is watched from. */
struct fw_watch_target {
	char *dir;
	char *name;
	bool glob;   /* name is an include pattern's basename */
	int wd;      /* -1 while no folder on the way to dir can be watched */
	char *at;    /* the folder watched: dir, or the nearest one above it that exists */
	char *match; /* name, or the component leading to dir from at */
	bool match_glob;
};

struct fw_watch {
	int inotify_fd;
	int timer_fd;
	struct fw_watch_target *targets;
	size_t count;
	bool armed;
	uint64_t first_ns; /* of the first event since the last reload */
	unsigned int open; /* watched files open now: a writer truncated one and writes it */
	char changed[PATH_MAX];
};

int fw_watch_open(struct fw_watch **out)
{
	struct fw_watch *w = calloc(1, sizeof(*w));
	int err;

	if (!w)
		return -ENOMEM;
	w->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	w->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (w->inotify_fd < 0 || w->timer_fd < 0) {
		err = -errno;
		fw_error("--watch: cannot set up inotify: %s%s", strerror(-err),
			 err == -EMFILE ? "; raise fs.inotify.max_user_instances" : "");
		fw_watch_close(w);
		return err;
	}
	*out = w;
	return 0;
}

static void fw_watch_targets_free(struct fw_watch_target *t, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(t[i].dir);
		free(t[i].name);
		free(t[i].at);
		free(t[i].match);
	}
	free(t);
}

void fw_watch_close(struct fw_watch *w)
{
	if (!w)
		return;
	if (w->inotify_fd >= 0)
		close(w->inotify_fd);
	if (w->timer_fd >= 0)
		close(w->timer_fd);
	fw_watch_targets_free(w->targets, w->count);
	free(w);
}

/* The reload comes once no event came for the quiet time, or at the latest the cap. */
static void fw_watch_arm_until(struct fw_watch *w, uint64_t cap_ms)
{
	uint64_t now = fw_now_ns(), at;
	struct itimerspec when = { 0 };

	if (!w->armed) {
		w->armed = true;
		w->first_ns = now;
	}
	at = now + FW_WATCH_QUIET_MS * 1000000ull;
	if (at > w->first_ns + cap_ms * 1000000ull)
		at = w->first_ns + cap_ms * 1000000ull;
	when.it_value.tv_sec = (time_t)(at / 1000000000ull);
	when.it_value.tv_nsec = (long)(at % 1000000000ull);
	if (timerfd_settime(w->timer_fd, TFD_TIMER_ABSTIME, &when, NULL))
		fw_error("--watch: cannot set the reload timer: %s", strerror(errno));
}

/* A change: the first since the last reload is the one its log line names. */
static void fw_watch_changed(struct fw_watch *w, const char *dir, const char *name)
{
	if (!w->changed[0])
		snprintf(w->changed, sizeof(w->changed), "%s%s%s", dir, *name ? "/" : "", name);
	fw_watch_arm_until(w, FW_WATCH_MAX_DELAY_MS);
}

/* Splits path at its last slash into a new target: "." or "/" when that is the folder. */
static int fw_watch_target_init(struct fw_watch_target *t, const char *path, bool glob)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		t->dir = strdup(".");
	else
		t->dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
	t->name = strdup(slash ? slash + 1 : path);
	t->glob = glob;
	t->wd = -1;
	return t->dir && t->name ? 0 : -ENOMEM;
}

/*
 * Watches t's folder, or the nearest existing folder above it for the name
 * that leads there: when that folder is made, the reload watches it.
 */
static int fw_watch_target_add(struct fw_watch *w, struct fw_watch_target *t)
{
	char dir[PATH_MAX], *slash;
	const char *at = dir;
	const char *match = t->name;
	bool match_glob = t->glob;
	int wd;

	if (snprintf(dir, sizeof(dir), "%s", t->dir) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	for (;;) {
		wd = inotify_add_watch(w->inotify_fd, at, FW_WATCH_MASK);
		if (wd >= 0 || (errno != ENOENT && errno != ENOTDIR) || at != dir)
			break; /* watched, or failed for good, or even "." or "/" failed */
		slash = strrchr(dir, '/');
		match = slash ? slash + 1 : dir;
		match_glob = false;
		if (!slash)
			at = ".";
		else if (slash == dir)
			at = "/";
		else
			*slash = '\0';
	}
	if (wd < 0) {
		int err = -errno;

		fw_error("--watch: cannot watch %s: %s%s", t->dir, strerror(-err),
			 err == -ENOSPC ? "; raise fs.inotify.max_user_watches" : "");
		return err;
	}
	/* A folder made since: what was written in it before its watch began is read again. */
	if (t->at && strcmp(t->at, at))
		fw_watch_changed(w, t->dir, "");
	free(t->match);
	free(t->at);
	t->match = strdup(match);
	t->at = strdup(at);
	t->match_glob = match_glob;
	t->wd = wd;
	return t->match && t->at ? 0 : -ENOMEM;
}

static bool fw_watch_holds(const struct fw_watch_target *t, size_t count, int wd)
{
	for (size_t i = 0; i < count; i++)
		if (t[i].wd == wd)
			return true;
	return false;
}

/* Watches targets[0..count) (they may be the ones held), then lets go of the other folders. */
static int fw_watch_install(struct fw_watch *w, struct fw_watch_target *targets, size_t count)
{
	int *held = calloc(w->count + 1, sizeof(*held)), err = 0;

	for (size_t i = 0; held && i < w->count; i++)
		held[i] = w->targets[i].wd;
	for (size_t i = 0; i < count; i++) {
		int e = fw_watch_target_add(w, &targets[i]);

		if (i == 0 && e)
			err = e; /* the main file's folder: a watch that cannot see it is no watch */
	}
	for (size_t i = 0; held && i < w->count; i++)
		if (held[i] >= 0 && !fw_watch_holds(targets, count, held[i]))
			inotify_rm_watch(w->inotify_fd, held[i]); /* gone already, or twice: no matter */
	free(held);
	if (w->targets != targets)
		fw_watch_targets_free(w->targets, w->count);
	w->targets = targets;
	w->count = count;
	return err;
}

/* A new target for path, watched from where the same one was, if it was. */
static int fw_watch_target_new(struct fw_watch *w, struct fw_watch_target *t, const char *path,
			       bool glob)
{
	int err = fw_watch_target_init(t, path, glob);

	for (size_t i = 0; !err && i < w->count; i++) {
		const struct fw_watch_target *old = &w->targets[i];

		if (old->at && old->glob == glob && !strcmp(old->dir, t->dir) &&
		    !strcmp(old->name, t->name)) {
			t->at = strdup(old->at);
			err = t->at ? 0 : -ENOMEM;
			break;
		}
	}
	return err;
}

/* A file, and where a symlink to it points: an edit there changes no name here. */
static int fw_watch_file(struct fw_watch *w, struct fw_watch_target *t, size_t *n, const char *path)
{
	char real[PATH_MAX];
	struct stat st;
	int err = fw_watch_target_new(w, &t[(*n)++], path, false);

	if (!err && !lstat(path, &st) && S_ISLNK(st.st_mode) && realpath(path, real))
		err = fw_watch_target_new(w, &t[(*n)++], real, false);
	return err;
}

int fw_watch_set(struct fw_watch *w, const char *config, const struct fw_config_sources *sources)
{
	size_t count = 2 * (1 + sources->file_count) + sources->pattern_count, n = 0;
	/* A parse lists the config first among its files: watched once, as targets[0]. */
	size_t first = sources->file_count && !strcmp(sources->files[0], config) ? 1 : 0;
	struct fw_watch_target *t = calloc(count, sizeof(*t));
	int err = t ? fw_watch_file(w, t, &n, config) : -ENOMEM;

	for (size_t i = first; !err && i < sources->file_count; i++)
		err = fw_watch_file(w, t, &n, sources->files[i]);
	for (size_t i = 0; !err && i < sources->pattern_count; i++)
		err = fw_watch_target_new(w, &t[n++], sources->patterns[i], true);
	if (err) {
		fw_error("--watch: %s", strerror(-err));
		fw_watch_targets_free(t, n);
		return err;
	}
	return fw_watch_install(w, t, n);
}

int fw_watch_refresh(struct fw_watch *w)
{
	return fw_watch_install(w, w->targets, w->count);
}

int fw_watch_inotify_fd(const struct fw_watch *w)
{
	return w->inotify_fd;
}

int fw_watch_timer_fd(const struct fw_watch *w)
{
	return w->timer_fd;
}

static bool fw_watch_matches(const struct fw_watch_target *t, const char *name)
{
	return t->match_glob ? !fnmatch(t->match, name, FNM_PERIOD) : !strcmp(t->match, name);
}

/* A regular file just made is still being written: its close is the change. */
static bool fw_watch_being_written(const struct fw_watch_target *t, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s/%s", t->at, name) >= (int)sizeof(path))
		return false;
	return !lstat(path, &st) && S_ISREG(st.st_mode) && st.st_nlink == 1;
}

static void fw_watch_event(struct fw_watch *w, const struct inotify_event *ev)
{
	const struct fw_watch_target *hit = NULL;
	const char *name = ev->len ? ev->name : "";

	if (ev->mask & IN_Q_OVERFLOW) {
		w->open = 0; /* its closes may be lost too */
		fw_watch_changed(w, "(events lost: inotify queue full)", "");
		return;
	}
	for (size_t i = 0; i < w->count && !hit; i++) {
		if (w->targets[i].wd != ev->wd)
			continue;
		/* The folder itself went away, or a name in it changed (`..data` for ConfigMaps). */
		if ((ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) || !strncmp(name, "..", 2) ||
		    (ev->len && fw_watch_matches(&w->targets[i], name)))
			hit = &w->targets[i];
	}
	if (hit && ev->len && !(ev->mask & IN_ISDIR) && (ev->mask & IN_OPEN))
		w->open++;
	if (hit && ev->len && (ev->mask & (IN_CLOSE_WRITE | IN_CLOSE_NOWRITE)) && w->open)
		w->open--;
	if (!hit || !(ev->mask & FW_WATCH_CHANGE) ||
	    ((ev->mask & IN_CREATE) && !(ev->mask & IN_ISDIR) && fw_watch_being_written(hit, name)))
		return;
	fw_watch_changed(w, hit->at, name);
}

void fw_watch_read(struct fw_watch *w)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t got;

	while ((got = read(w->inotify_fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + got;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			fw_watch_event(w, ev);
			p += sizeof(*ev) + ev->len;
		}
	}
	if (got < 0 && errno != EAGAIN && errno != EINTR)
		fw_error("--watch: reading inotify failed: %s", strerror(errno));
}

bool fw_watch_due(struct fw_watch *w, char *changed, size_t size)
{
	size_t dir_len = w->count ? strlen(w->targets[0].dir) : 0;
	const char *shown = w->changed;
	uint64_t expirations;

	if (read(w->timer_fd, &expirations, sizeof(expirations)) != sizeof(expirations) ||
	    !w->armed)
		return false;
	/* A file is open, maybe truncated by a writer in place: wait for its close, a while. */
	if (w->open && fw_now_ns() < w->first_ns + FW_WATCH_OPEN_MAX_MS * 1000000ull) {
		fw_watch_arm_until(w, FW_WATCH_OPEN_MAX_MS);
		return false;
	}
	/* As the user would name it: relative to the config's folder when in it. */
	if (dir_len && !strncmp(shown, w->targets[0].dir, dir_len) && shown[dir_len] == '/')
		shown += dir_len + 1;
	snprintf(changed, size, "%s", shown);
	w->armed = false;
	w->changed[0] = '\0';
	return true;
}

void fw_watch_disarm(struct fw_watch *w)
{
	struct itimerspec off = { 0 };

	w->armed = false;
	w->changed[0] = '\0';
	timerfd_settime(w->timer_fd, 0, &off, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * fw/watch.h: which changes in a temporary folder make a reload due, and
 * that a burst of them makes one: names of sources, include globs and
 * ".." names count, others do not; a file just made, or written in place,
 * counts once closed; a folder made after the start is watched from above
 * it; a symlinked file's target folder is watched too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "config.h"
#include "watch.h"

/* Longer than the debounce's quiet time: what is not due by then was not seen. */
#define NOT_DUE_MS (4 * FW_WATCH_QUIET_MS)
#define DUE_MS 5000

struct fixture {
	char dir[PATH_MAX];
	char config[PATH_MAX];
	struct fw_watch *w;
};

static void path_of(const struct fixture *f, char *out, const char *name)
{
	assert_true(snprintf(out, PATH_MAX, "%s/%s", f->dir, name) < PATH_MAX);
}

static void write_file(const struct fixture *f, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *fh;

	path_of(f, path, name);
	fh = fopen(path, "w");
	assert_non_null(fh);
	fputs(text, fh);
	assert_int_equal(fclose(fh), 0);
}

/* Polls the watch until a reload is due or ms passed; the path that changed, or "" if none. */
static const char *due_within(struct fw_watch *w, int ms)
{
	static char changed[PATH_MAX];
	struct pollfd pfd[2] = { { .fd = fw_watch_inotify_fd(w), .events = POLLIN },
				 { .fd = fw_watch_timer_fd(w), .events = POLLIN } };
	struct timespec now;
	long long until;

	clock_gettime(CLOCK_MONOTONIC, &now);
	until = now.tv_sec * 1000LL + now.tv_nsec / 1000000 + ms;
	changed[0] = '\0';
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (int)(until - (now.tv_sec * 1000LL + now.tv_nsec / 1000000));
		if (ms <= 0 || poll(pfd, 2, ms) <= 0)
			break;
		if (pfd[0].revents)
			fw_watch_read(w);
		if (pfd[1].revents && fw_watch_due(w, changed, sizeof(changed)))
			break;
	}
	return changed;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct fw_config_sources none = { 0 };

	snprintf(f->dir, sizeof(f->dir), "/tmp/xdpfw-test-watch.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	path_of(f, f->config, "xdpfw.yaml");
	write_file(f, "xdpfw.yaml", "rules: []\n");
	if (fw_watch_open(&f->w) || fw_watch_set(f->w, f->config, &none))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[PATH_MAX + 16];

	fw_watch_close(f->w);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd))
		return -1;
	free(f);
	return 0;
}

static void test_config_edit(void **state)
{
	struct fixture *f = *state;

	write_file(f, "xdpfw.yaml", "rules: []\n# edited\n");
	assert_string_equal(due_within(f->w, DUE_MS), "xdpfw.yaml");
	assert_string_equal(due_within(f->w, NOT_DUE_MS), "");
}

static void test_rename_on_save(void **state)
{
	struct fixture *f = *state;
	char tmp[PATH_MAX];

	write_file(f, ".xdpfw.yaml.swp", "rules: []\n");
	write_file(f, "notes.txt", "not the config\n");
	assert_string_equal(due_within(f->w, NOT_DUE_MS), "");
	path_of(f, tmp, ".xdpfw.yaml.swp");
	assert_int_equal(rename(tmp, f->config), 0);
	assert_string_equal(due_within(f->w, DUE_MS), "xdpfw.yaml");
}

static void test_burst_is_one(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 20; i++)
		write_file(f, "xdpfw.yaml", i % 2 ? "rules: []\n" : "rules: []\n#\n");
	assert_string_equal(due_within(f->w, DUE_MS), "xdpfw.yaml");
	assert_string_equal(due_within(f->w, NOT_DUE_MS), "");
}

/* Written in place by a slow writer: truncated, then nothing for a while; read once closed. */
static void test_open_writer_waited_for(void **state)
{
	struct fixture *f = *state;
	int fd;

	write_file(f, "xdpfw.yaml", "rules: []\n#\n");
	fd = open(f->config, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_string_equal(due_within(f->w, NOT_DUE_MS), "");
	assert_int_equal(write(fd, "rules: []\n", 10), 10);
	assert_int_equal(close(fd), 0);
	assert_string_equal(due_within(f->w, DUE_MS), "xdpfw.yaml");
}

static void test_disarm(void **state)
{
	struct fixture *f = *state;

	write_file(f, "xdpfw.yaml", "rules: []\n");
	/* Read the event, then a reload by SIGHUP comes first: nothing is due after it. */
	due_within(f->w, FW_WATCH_QUIET_MS / 5);
	fw_watch_disarm(f->w);
	assert_string_equal(due_within(f->w, NOT_DUE_MS), "");
}

/* conf.d/ made after the start; a file made in it counts once it is closed. */
static void test_include_folder_made_later(void **state)
{
	struct fixture *f = *state;
	char pattern[PATH_MAX], confd[PATH_MAX], file[PATH_MAX];
	char *patterns[] = { pattern };
	struct fw_config_sources src = { .patterns = patterns, .pattern_count = 1 };
	int fd;

	path_of(f, pattern, "conf.d/*.yaml");
	path_of(f, confd, "conf.d");
	path_of(f, file, "conf.d/20-web.yaml");
	assert_int_equal(fw_watch_set(f->w, f->config, &src), 0);
	assert_int_equal(mkdir(confd, 0755), 0);
	assert_string_equal(due_within(f->w, DUE_MS), "conf.d");
	/* The reload that follows watches conf.d itself, and says it is new there. */
	assert_int_equal(fw_watch_refresh(f->w), 0);
	assert_string_equal(due_within(f->w, DUE_MS), "conf.d");

	write_file(f, "conf.d/README", "no match\n");
	assert_string_equal(due_within(f->w, NOT_DUE_MS), "");
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0644);
	assert_true(fd >= 0);
	assert_string_equal(due_within(f->w, NOT_DUE_MS), "");
	assert_int_equal(write(fd, "rules: []\n", 10), 10);
	assert_int_equal(close(fd), 0);
	assert_string_equal(due_within(f->w, DUE_MS), "conf.d/20-web.yaml");
}

/* A set's list file in its own folder; the folder the config no longer names is let go. */
static void test_list_file(void **state)
{
	struct fixture *f = *state;
	char sets[PATH_MAX], list[PATH_MAX];
	char *files[] = { f->config, list };
	struct fw_config_sources src = { .files = files, .file_count = 2 };
	struct fw_config_sources none = { 0 };

	path_of(f, sets, "sets");
	path_of(f, list, "sets/drop.txt");
	assert_int_equal(mkdir(sets, 0755), 0);
	write_file(f, "sets/drop.txt", "198.18.0.1\n");
	assert_int_equal(fw_watch_set(f->w, f->config, &src), 0);
	write_file(f, "sets/drop.txt", "198.18.0.2\n");
	assert_string_equal(due_within(f->w, DUE_MS), "sets/drop.txt");

	assert_int_equal(fw_watch_set(f->w, f->config, &none), 0);
	write_file(f, "sets/drop.txt", "198.18.0.3\n");
	assert_string_equal(due_within(f->w, NOT_DUE_MS), "");
}

/* Kubernetes: xdpfw.yaml -> ..data/xdpfw.yaml, ..data -> a timestamped folder, swapped. */
static void test_configmap_swap(void **state)
{
	struct fixture *f = *state;
	char cm[PATH_MAX], link[PATH_MAX], data[PATH_MAX], tmp[PATH_MAX], cfg[PATH_MAX];
	struct fw_config_sources none = { 0 };

	path_of(f, cm, "cm");
	assert_int_equal(mkdir(cm, 0755), 0);
	path_of(f, data, "cm/..2026_12_01_10_00_00.1234");
	assert_int_equal(mkdir(data, 0755), 0);
	write_file(f, "cm/..2026_12_01_10_00_00.1234/xdpfw.yaml", "rules: []\n");
	path_of(f, link, "cm/..data");
	assert_int_equal(symlink("..2026_12_01_10_00_00.1234", link), 0);
	path_of(f, cfg, "cm/xdpfw.yaml");
	assert_int_equal(symlink("..data/xdpfw.yaml", cfg), 0);
	path_of(f, data, "cm/..2026_12_01_10_05_00.5678");
	assert_int_equal(mkdir(data, 0755), 0);
	write_file(f, "cm/..2026_12_01_10_05_00.5678/xdpfw.yaml", "rules: []\n#\n");
	assert_int_equal(fw_watch_set(f->w, cfg, &none), 0);

	path_of(f, tmp, "cm/..data_tmp");
	assert_int_equal(symlink("..2026_12_01_10_05_00.5678", tmp), 0);
	assert_int_equal(rename(tmp, link), 0);
	assert_int_equal(strncmp(due_within(f->w, DUE_MS), "..data", 6), 0);
}
/* A config that is a symlink: an edit in place where it points changes nothing beside it. */
static void test_symlink_target_edit(void **state)
{
	struct fixture *f = *state;
	char real_dir[PATH_MAX], cfg[PATH_MAX];
	struct fw_config_sources none = { 0 };
	const char *changed;

	path_of(f, real_dir, "srv");
	assert_int_equal(mkdir(real_dir, 0755), 0);
	write_file(f, "srv/xdpfw.yaml", "rules: []\n");
	path_of(f, cfg, "etc-xdpfw.yaml");
	assert_int_equal(symlink("srv/xdpfw.yaml", cfg), 0);
	assert_int_equal(fw_watch_set(f->w, cfg, &none), 0);
	due_within(f->w, NOT_DUE_MS); /* the symlink's own creation */
	write_file(f, "srv/xdpfw.yaml", "rules: []\n#\n");
	changed = due_within(f->w, DUE_MS);
	assert_true(strlen(changed) >= strlen("srv/xdpfw.yaml"));
	assert_string_equal(changed + strlen(changed) - strlen("srv/xdpfw.yaml"), "srv/xdpfw.yaml");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_config_edit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rename_on_save, setup, teardown),
		cmocka_unit_test_setup_teardown(test_burst_is_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_writer_waited_for, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disarm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_include_folder_made_later, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_configmap_swap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_target_edit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

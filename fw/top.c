// SPDX-License-Identifier: GPL-2.0
/*
 * `xdpfw top`: the terminal, the keys and the tick. Each second it reads
 * the maps it peeked (top_sample.c), turns two samples into rates
 * (top_rates.c) and draws them (top_draw.c). It never takes the pin lock:
 * when a reload replaces the maps it peeks again.
 */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "log.h"
#include "state.h"
#include "text.h"
#include "top.h"
#include "top_draw.h"

#define FW_TOP_TICK_MS 1000
#define FW_TOP_KEY_WAIT_MS 200 /* at most, between two looks at the signal flag */

static volatile sig_atomic_t fw_top_stop;

static void fw_top_on_signal(int sig)
{
	(void)sig;
	fw_top_stop = 1;
}

struct fw_top {
	const char *pin_dir;
	struct fw_state st;
	bool peeked;
	uint32_t prog_id; /* of the last maps peeked at */
	struct fw_top_sample now; /* the last sample, once has_now; view's rows point into it */
	bool has_now;
	struct fw_top_view view;
	struct fw_top_screen screen;
	char interfaces[256];
	char status[256];
	int errors_fd;    /* stderr's pipe, while the screen is up */
	int stderr_saved;
};

__attribute__((format(printf, 2, 3))) static void fw_top_say(struct fw_top *t, const char *fmt,
							     ...)
{
	char clock[16], text[sizeof(t->status) - sizeof(clock)];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (!localtime_r(&now, &tm) || !strftime(clock, sizeof(clock), "%H:%M:%S", &tm))
		clock[0] = '\0';
	snprintf(t->status, sizeof(t->status), "%s %s", clock, text);
}

static void fw_top_unpeek(struct fw_top *t)
{
	if (t->peeked)
		fw_state_close(&t->st);
	t->peeked = false;
}

/* Peeks at the pins, and says so when they hold other maps than the last peek found. */
static int fw_top_peek(struct fw_top *t)
{
	int err = fw_state_peek(&t->st, t->pin_dir);
	uint32_t id;

	if (err == -ENOENT)
		fw_top_say(t, "nothing is pinned here any more: waiting for 'xdpfw run' or 'apply'");
	else if (err)
		fw_top_say(t, "cannot read the pinned state: %s", strerror(-err));
	if (err)
		return err;
	id = fw_top_prog_id(&t->st.dp);
	t->peeked = true;
	if (!id) {
		fw_top_unpeek(t);
		fw_top_say(t, "the maps are being replaced: waiting");
		return -EAGAIN;
	}
	if (t->prog_id && id != t->prog_id)
		fw_top_say(t, "a reload replaced the maps: showing the new ones");
	t->prog_id = id;
	return 0;
}

/* Numbers that can no longer be read again are not shown as if they were current. */
static void fw_top_forget(struct fw_top *t)
{
	fw_top_view_free(&t->view);
	fw_top_sample_free(&t->now);
	t->has_now = false;
	t->screen.prog_id = 0;
}

/* A new sample, its rates to the last one, and a peek again when a reload replaced the maps. */
static void fw_top_tick(struct fw_top *t)
{
	struct fw_top_view view;
	struct fw_top_sample next;
	int err;

	fw_top_interfaces(t->pin_dir, t->interfaces, sizeof(t->interfaces));
	if (t->peeked && fw_top_pinned_prog_id(t->pin_dir) != t->prog_id)
		fw_top_unpeek(t);
	if (!t->peeked && fw_top_peek(t)) {
		fw_top_forget(t);
		return;
	}
	err = fw_top_sample_read(&t->st.dp, &next);
	err = err ?: fw_top_view_make(t->has_now ? &t->now : NULL, &next, &view);
	if (err) {
		fw_top_sample_free(&next);
		fw_top_unpeek(t);
		fw_top_forget(t);
		fw_top_say(t, "reading the maps failed (%s): reading them again", strerror(-err));
		return;
	}
	fw_top_view_sort(&view, t->screen.order);
	fw_top_view_free(&t->view);
	fw_top_sample_free(&t->now);
	t->view = view;
	t->now = next;
	t->has_now = true;
	t->screen.prog_id = t->prog_id;
}

/* fw_error() writes to stderr, over the screen: while it is up, the footer shows its last line. */
static int fw_top_errors_catch(struct fw_top *t)
{
	int pipe_fds[2];

	fflush(stderr);
	if (pipe2(pipe_fds, O_NONBLOCK | O_CLOEXEC))
		return -errno;
	t->stderr_saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0);
	if (t->stderr_saved < 0 || dup2(pipe_fds[1], STDERR_FILENO) < 0) {
		int err = -errno;

		close(pipe_fds[0]);
		close(pipe_fds[1]);
		if (t->stderr_saved >= 0)
			close(t->stderr_saved);
		return err;
	}
	close(pipe_fds[1]);
	t->errors_fd = pipe_fds[0];
	return 0;
}

static void fw_top_errors_read(struct fw_top *t)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(t->errors_fd, buf, sizeof(buf) - 1)) > 0) {
		char *line;

		while (n > 0 && buf[n - 1] == '\n')
			n--;
		buf[n] = '\0';
		line = strrchr(buf, '\n');
		line = line ? line + 1 : buf;
		if (*line) {
			char shown[sizeof(t->status)];

			fw_escape(shown, sizeof(shown), line, strlen(line));
			fw_top_say(t, "%s", shown);
		}
	}
}

static void fw_top_errors_release(struct fw_top *t)
{
	fflush(stderr);
	dup2(t->stderr_saved, STDERR_FILENO);
	close(t->stderr_saved);
	close(t->errors_fd);
}

static void fw_top_draw_now(struct fw_top *t)
{
	fw_top_errors_read(t);
	fw_top_draw(&t->screen, t->has_now ? &t->now : NULL, t->has_now ? &t->view : NULL);
}

/* Until q or a signal: a tick each second, a redraw for each key that changes the frame. */
static void fw_top_loop(struct fw_top *t)
{
	uint64_t next = fw_now_ns() / 1000000;

	while (!fw_top_stop) {
		uint64_t now = fw_now_ns() / 1000000;
		int key;

		if (now >= next) {
			fw_top_tick(t);
			fw_top_draw_now(t);
			next = next + FW_TOP_TICK_MS > now ? next + FW_TOP_TICK_MS
							   : now + FW_TOP_TICK_MS;
			now = fw_now_ns() / 1000000;
		}
		timeout(now >= next ? 0
			: next - now < FW_TOP_KEY_WAIT_MS ? (int)(next - now) : FW_TOP_KEY_WAIT_MS);
		key = getch();
		if (key == 'q' || key == 'Q')
			break;
		if (key == 's' || key == 'S') {
			t->screen.order = (t->screen.order + 1) % FW_TOP_ORDERS;
			fw_top_view_sort(&t->view, t->screen.order);
		}
		if (key == 's' || key == 'S' || key == KEY_RESIZE)
			fw_top_draw_now(t);
	}
}

/* Caught, so q, Ctrl-C and a kill all leave the terminal as it was. */
static void fw_top_signals(void)
{
	struct sigaction sa = { .sa_handler = fw_top_on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int fw_top_cmd(const char *pin_dir)
{
	struct fw_top t = { .pin_dir = pin_dir, .screen.interfaces = t.interfaces,
			    .screen.status = t.status };
	SCREEN *screen;
	int err;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fw_error("top is a full-screen view and needs a terminal; for scripts, use "
			 "'xdpfw --json rules' and 'xdpfw --json stats'");
		return 1;
	}
	/* -EAGAIN: peeked in the middle of a reload; the first tick peeks again. */
	err = fw_top_peek(&t);
	if (err == -ENOENT)
		fw_error("%s: nothing is pinned here; start xdpfw with 'xdpfw run' or 'xdpfw "
			 "apply'", pin_dir);
	if (err && err != -EAGAIN)
		return 1;
	t.status[0] = '\0';
	fw_top_signals();
	screen = newterm(NULL, stdout, stdin);
	if (!screen) {
		fw_error("top cannot drive this terminal (TERM=%s); set TERM to one terminfo "
			 "knows, e.g. xterm-256color", getenv("TERM") ?: "unset");
		fw_top_unpeek(&t);
		return 1;
	}
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	fw_top_draw_init();
	err = fw_top_errors_catch(&t);
	if (!err) {
		fw_top_loop(&t);
		fw_top_errors_release(&t);
	}
	endwin();
	delscreen(screen);
	if (err)
		fw_error("top cannot keep its messages off the screen: %s", strerror(-err));
	fw_top_forget(&t);
	fw_top_unpeek(&t);
	return err ? 1 : 0;
}

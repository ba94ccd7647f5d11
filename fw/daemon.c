// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>
#include "apply.h"
#include "bans.h"
#include "config.h"
#include "crowdsec.h"
#include "daemon.h"
#include "events.h"
#include "journal.h"
#include "log.h"
#include "metrics.h"
#include "ready_file.h"
#include "set_cache.h"
#include "signals.h"
#include "state.h"
#include "watch.h"

/* Expired bans stop matching by themselves; this only gives their room back. */
#define FW_RECLAIM_MS 60000

/* No work in signal handlers: every signal is read from a signalfd in the loop. */
static int fw_daemon_signals(void)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	return fw_signalfd_open(&mask);
}

struct fw_daemon {
	const char *pin_dir;
	const char *path;
	struct fw_daemon_opts opts;
	struct fw_set_cache cache;
	struct fw_cs_bouncer *bouncer; /* while the config has a crowdsec section */
	struct fw_event_feed *events;  /* while the config logs anything ... */
	struct fw_journal *journal;    /* ... its events go here */
	struct fw_metrics_server *metrics; /* while settings.metrics is set */
	struct fw_watch *watch;            /* with --watch */
};

static bool fw_config_logs(const struct fw_config *cfg)
{
	if (cfg->rules.log.bans || cfg->rules.log.limits)
		return true;
	for (size_t i = 0; i < cfg->rules.count; i++)
		if (cfg->rules.rules[i].log)
			return true;
	return false;
}

static void fw_daemon_events_stop(struct fw_daemon *d)
{
	fw_event_feed_close(d->events);
	fw_journal_close(d->journal);
	d->events = NULL;
	d->journal = NULL;
}

/* Reads events while the config logs any: the journal gets them, with their fields. */
static void fw_daemon_events(struct fw_daemon *d, const struct fw_config *cfg)
{
	if (!fw_config_logs(cfg)) {
		fw_daemon_events_stop(d);
		return;
	}
	if (d->journal) {
		fw_journal_refresh(d->journal);
		return;
	}
	if (fw_journal_open(d->pin_dir, &d->journal) ||
	    fw_event_feed_open(d->pin_dir, &d->events))
		fw_daemon_events_stop(d); /* said; the rules are in force all the same */
}

/* Serves /metrics while settings.metrics says where; a new address gets a new server. */
static void fw_daemon_metrics(struct fw_daemon *d, const struct fw_config *cfg)
{
	if (d->metrics && cfg->metrics.text && fw_metrics_serves(d->metrics, &cfg->metrics))
		return;
	fw_metrics_stop(d->metrics);
	d->metrics = NULL;
	if (cfg->metrics.text && fw_metrics_start(d->pin_dir, &cfg->metrics, &d->metrics))
		d->metrics = NULL; /* said; the rules are in force all the same */
}

/* Starts, retunes or stops the bouncer for the config just put in force. */
static void fw_daemon_bouncer(struct fw_daemon *d, const struct fw_config *cfg)
{
	if (cfg->crowdsec.url && d->bouncer)
		fw_cs_configure(d->bouncer, cfg);
	else if (cfg->crowdsec.url)
		d->bouncer = fw_cs_start(d->pin_dir, cfg);
	else if (d->bouncer) {
		fw_cs_stop(d->bouncer);
		d->bouncer = NULL;
		fw_info("%s: no crowdsec section any more; the bouncer stops, its bans stay until "
			"they expire", d->path);
	}
}

/* Parses and enforces the config; on success the bouncer follows it. */
static int fw_daemon_enforce(struct fw_daemon *d)
{
	struct fw_config cfg = { 0 };
	int err = fw_config_enforce_keep(d->pin_dir, d->path, &d->cache, &cfg);

	if (!err) {
		fw_daemon_bouncer(d, &cfg);
		fw_daemon_events(d, &cfg);
		fw_daemon_metrics(d, &cfg);
		if (d->watch) /* the files of the config in force; a failed reload keeps the last */
			fw_watch_set(d->watch, d->path, &cfg.sources);
	}
	fw_config_free(&cfg);
	malloc_trim(0); /* a large config's parse leaves the heap big until told otherwise */
	return err;
}

static void fw_daemon_reload(struct fw_daemon *d)
{
	if (d->watch) {
		fw_watch_refresh(d->watch); /* a folder made since is watched before it is read */
		fw_watch_disarm(d->watch);  /* this reload reads whatever changed so far */
	}
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=Reloading %s",
		   (unsigned long long)(fw_now_ns() / 1000), d->path);
	if (fw_daemon_enforce(d))
		fw_error("%s: reload failed; the previous rules stay in force", d->path);
	sd_notifyf(0, "READY=1\nSTATUS=Enforcing %s", d->path);
}

static void fw_daemon_reclaim(struct fw_daemon *d)
{
	struct fw_state st;
	int err = fw_state_open(&st, d->pin_dir, false);

	if (err)
		return; /* said */
	err = fw_bans_reclaim(&st.dp);
	if (err < 0)
		fw_error("%s: reclaiming expired bans failed: %s", d->pin_dir, strerror(-err));
	fw_state_close(&st);
}

/* Events that came go to the journal; the ones the ring could not take are counted. */
static void fw_daemon_drain(struct fw_daemon *d)
{
	uint64_t lost;

	if (fw_event_feed_poll(d->events, 0, fw_journal_event, d->journal) < 0) {
		fw_error("%s: reading events failed; the journal gets no more until a reload",
			 d->pin_dir);
		fw_daemon_events_stop(d);
		return;
	}
	lost = fw_event_feed_lost(d->events);
	if (lost)
		fw_error("%" PRIu64 " events lost: the journal writer fell behind its ring", lost);
}

/*
 * The next signal, or si_signo 0 when none came in ms; events that came
 * meanwhile go to the journal, and *changed says when a watched file did.
 */
static int fw_daemon_wait(struct fw_daemon *d, int sfd, int ms, struct signalfd_siginfo *si,
			  char *changed, size_t size)
{
	struct pollfd pfd[4] = { { .fd = sfd, .events = POLLIN },
				 { .fd = d->events ? fw_event_feed_fd(d->events) : -1,
				   .events = POLLIN },
				 { .fd = d->watch ? fw_watch_inotify_fd(d->watch) : -1,
				   .events = POLLIN },
				 { .fd = d->watch ? fw_watch_timer_fd(d->watch) : -1,
				   .events = POLLIN } };
	int n = poll(pfd, 4, ms);
	ssize_t got;

	si->ssi_signo = 0;
	changed[0] = '\0';
	if (n <= 0)
		return n < 0 && errno != EINTR ? -errno : 0;
	if (pfd[1].revents)
		fw_daemon_drain(d);
	if (pfd[2].revents)
		fw_watch_read(d->watch);
	if (pfd[3].revents)
		fw_watch_due(d->watch, changed, size);
	if (!(pfd[0].revents & POLLIN))
		return 0;
	got = read(sfd, si, sizeof(*si));
	if (got == sizeof(*si))
		return 0;
	si->ssi_signo = 0;
	return got < 0 && errno == EINTR ? 0 : -EIO;
}

/* With --watch, the config's folder is watched before it is first read: no edit slips by. */
static int fw_daemon_watch_open(struct fw_daemon *d)
{
	struct fw_config_sources none = { 0 };
	int err;

	if (!d->opts.watch)
		return 0;
	err = fw_watch_open(&d->watch);
	if (!err)
		err = fw_watch_set(d->watch, d->path, &none);
	return err;
}

int fw_daemon_run(const char *pin_dir, const char *path, const struct fw_daemon_opts *opts)
{
	struct fw_daemon d = { .pin_dir = pin_dir, .path = path, .opts = *opts };
	struct signalfd_siginfo si;
	char changed[PATH_MAX];
	int sfd = fw_daemon_signals(), err = -EIO;
	double reclaim_at = fw_now_ms() + FW_RECLAIM_MS;

	if (sfd < 0) {
		fw_error("cannot set up signal handling: %s", strerror(-sfd));
		return sfd;
	}
	/* A container restarted in its pod keeps the emptyDir: not ready until this run enforced. */
	if (opts->ready_file)
		fw_ready_file_remove(opts->ready_file);
	err = fw_daemon_watch_open(&d);
	if (err)
		goto cleanup;
	err = -EIO;
	if (fw_daemon_enforce(&d)) {
		err = -EINVAL;
		goto cleanup;
	}
	if (opts->ready_file && fw_ready_file_create(opts->ready_file, path))
		goto cleanup;
	sd_notifyf(0, "READY=1\nSTATUS=Enforcing %s", path);
	fw_info("running; SIGHUP%s reloads %s, SIGTERM exits and leaves the rules in force",
		d.watch ? " or a change of its files" : "", path);

	for (;;) {
		double left = reclaim_at - fw_now_ms();
		int werr = fw_daemon_wait(&d, sfd, left > 0 ? (int)left + 1 : 0, &si, changed,
					  sizeof(changed));

		if (werr) {
			fw_error("reading signals failed: %s", strerror(-werr));
			break;
		}
		if (changed[0]) {
			fw_info("reloading %s: %s changed", path, changed);
			fw_daemon_reload(&d);
		}
		if (si.ssi_signo == 0) {
			if (fw_now_ms() >= reclaim_at) {
				fw_daemon_reclaim(&d);
				reclaim_at = fw_now_ms() + FW_RECLAIM_MS;
			}
			continue;
		}
		if (si.ssi_signo == SIGHUP) {
			fw_daemon_reload(&d);
			continue;
		}
		sd_notify(0, "STOPPING=1");
		fw_info("exiting on signal %u; the datapath keeps enforcing the last good rules",
			si.ssi_signo);
		err = 0;
		break;
	}
cleanup:
	if (opts->ready_file)
		fw_ready_file_remove(opts->ready_file);
	fw_cs_stop(d.bouncer); /* cuts a poll short; the bans stay */
	fw_metrics_stop(d.metrics);
	fw_daemon_events_stop(&d);
	fw_set_cache_free(&d.cache);
	fw_watch_close(d.watch);
	close(sfd);
	return err;
}

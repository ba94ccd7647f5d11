// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>
#include "apply.h"
#include "daemon.h"
#include "log.h"
#include "set_cache.h"

static uint64_t fw_monotonic_usec(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

/* No work in signal handlers: every signal is read from a signalfd in the loop. */
static int fw_signalfd_open(void)
{
	sigset_t mask;
	int fd;

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL))
		return -errno;
	fd = signalfd(-1, &mask, SFD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static void fw_daemon_reload(const char *pin_dir, const char *path, struct fw_set_cache *cache)
{
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=Reloading %s",
		   (unsigned long long)fw_monotonic_usec(), path);
	if (fw_config_enforce(pin_dir, path, cache))
		fw_error("%s: reload failed; the previous rules stay in force", path);
	malloc_trim(0); /* a large config's parse leaves the heap big until told otherwise */
	sd_notifyf(0, "READY=1\nSTATUS=Enforcing %s", path);
}

int fw_daemon_run(const char *pin_dir, const char *path)
{
	struct fw_set_cache cache = { 0 };
	struct signalfd_siginfo si;
	int sfd = fw_signalfd_open(), err = -EIO;

	if (sfd < 0) {
		fw_error("cannot set up signal handling: %s", strerror(-sfd));
		return sfd;
	}
	if (fw_config_enforce(pin_dir, path, &cache)) {
		err = -EINVAL;
		goto cleanup;
	}
	malloc_trim(0);
	sd_notifyf(0, "READY=1\nSTATUS=Enforcing %s", path);
	fw_info("running; SIGHUP reloads %s, SIGTERM exits and leaves the rules in force", path);

	for (;;) {
		ssize_t n = read(sfd, &si, sizeof(si));

		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(si)) {
			fw_error("reading signals failed: %s", strerror(errno));
			break;
		}
		if (si.ssi_signo == SIGHUP) {
			fw_daemon_reload(pin_dir, path, &cache);
			continue;
		}
		sd_notify(0, "STOPPING=1");
		fw_info("exiting on signal %u; the datapath keeps enforcing the last good rules",
			si.ssi_signo);
		err = 0;
		break;
	}
cleanup:
	fw_set_cache_free(&cache);
	close(sfd);
	return err;
}

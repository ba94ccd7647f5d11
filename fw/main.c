// SPDX-License-Identifier: GPL-2.0
/* xdpfw: global options, then a table of subcommands. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "apply.h"
#include "ban_cmd.h"
#include "config.h"
#include "daemon.h"
#include "events.h"
#include "explain.h"
#include "log.h"
#include "metrics.h"
#include "pin.h"
#include "show.h"
#include "state.h"
#include "top.h"

struct fw_options {
	const char *pin_dir;
	const char *config; /* --config FILE, for explain */
	const char *file;   /* --file FILE, for ban and unban */
	const char *ban_for; /* --for DURATION, for ban */
	const char *reason; /* --reason TEXT, for ban */
	const char *ready_file; /* --ready-file PATH, for run */
	const char *base_dir; /* --base-dir DIR, for check */
	bool json;
	bool prometheus; /* --prometheus, for stats */
	unsigned int given; /* FW_OPT_* of the options given */
};

/* Options only some commands take. */
#define FW_OPT_CONFIG 0x1u
#define FW_OPT_FILE 0x2u
#define FW_OPT_FOR 0x4u
#define FW_OPT_REASON 0x8u
#define FW_OPT_PROMETHEUS 0x10u
#define FW_OPT_WATCH 0x20u
#define FW_OPT_READY_FILE 0x40u
#define FW_OPT_BASE_DIR 0x80u

struct fw_command {
	const char *name;
	const char *args;  /* the arguments, as usage shows them */
	int min_args;
	int max_args;
	unsigned int takes; /* FW_OPT_* it accepts */
	int (*func)(const struct fw_options *opts, char **args, int count);
	const char *help;
};

static int fw_cmd_check(const struct fw_options *opts, char **args, int count)
{
	const struct fw_config_options copts = { .base_dir = opts->base_dir };
	struct fw_config cfg = { 0 };
	struct stat st;
	int err;

	(void)count;
	if (opts->base_dir) {
		const char *why = stat(opts->base_dir, &st) ? strerror(errno) :
				  !S_ISDIR(st.st_mode)		? "not a folder" :
								  NULL;

		if (why) {
			fw_error("--base-dir %s: %s; give the folder FILE will be installed in",
				 opts->base_dir, why);
			return 1;
		}
	}
	err = fw_config_load_opts(args[0], &copts, &cfg, stderr);
	if (!err)
		printf("%s: valid, %zu rules, %zu interfaces\n", args[0], cfg.rules.count,
		       cfg.interface_count);
	fw_config_free(&cfg);
	return err ? 1 : 0;
}

static int fw_cmd_run(const struct fw_options *opts, char **args, int count)
{
	(void)count;
	const struct fw_daemon_opts dopts = { .watch = opts->given & FW_OPT_WATCH,
					      .ready_file = opts->ready_file };

	return fw_daemon_run(opts->pin_dir, args[0], &dopts) ? 1 : 0;
}

static int fw_cmd_apply(const struct fw_options *opts, char **args, int count)
{
	(void)count;
	return fw_config_enforce(opts->pin_dir, args[0], NULL) ? 1 : 0;
}

static int fw_cmd_show(const struct fw_options *opts,
		       int (*show)(FILE *, const struct fw_datapath *, bool))
{
	struct fw_state st;
	int err = fw_state_open(&st, opts->pin_dir, false);

	if (err)
		return 1;
	err = show(stdout, &st.dp, opts->json);
	if (err)
		fw_error("%s: reading the maps failed: %s", opts->pin_dir, strerror(-err));
	fw_state_close(&st);
	return err ? 1 : 0;
}

static int fw_cmd_rules(const struct fw_options *opts, char **args, int count)
{
	(void)args;
	(void)count;
	return fw_cmd_show(opts, fw_show_rules);
}

static int fw_cmd_sets(const struct fw_options *opts, char **args, int count)
{
	(void)args;
	(void)count;
	return fw_cmd_show(opts, fw_show_sets);
}

static int fw_cmd_stats(const struct fw_options *opts, char **args, int count)
{
	(void)args;
	(void)count;
	if (opts->prometheus)
		return fw_metrics_write(stdout, opts->pin_dir) ? 1 : 0;
	return fw_cmd_show(opts, fw_show_stats);
}

static int fw_cmd_events(const struct fw_options *opts, char **args, int count)
{
	(void)args;
	(void)count;
	return fw_events_cmd(opts->pin_dir, opts->json);
}

static int fw_cmd_top(const struct fw_options *opts, char **args, int count)
{
	(void)args;
	(void)count;
	return fw_top_cmd(opts->pin_dir);
}

/* Exit 2: the query is wrong; 1: the config or the maps cannot answer it. */
static int fw_cmd_explain(const struct fw_options *opts, char **args, int count)
{
	struct fw_explain_query q;
	struct fw_explain_answer *a = calloc(1, sizeof(*a));
	struct fw_state st;
	int err;

	if (!a)
		return 1;
	if (fw_explain_parse(args[0], count > 1 ? args[1] : NULL, &q)) {
		free(a);
		return 2;
	}
	if (opts->config) {
		err = fw_explain_config(opts->config, &q, a);
	} else {
		err = fw_state_open(&st, opts->pin_dir, false);
		if (!err) {
			err = fw_explain_maps(&st.dp, opts->pin_dir, &q, a);
			if (err)
				fw_error("%s: reading the maps failed: %s", opts->pin_dir,
					 strerror(-err));
			fw_state_close(&st);
		}
	}
	if (err == -ENOMEM)
		fw_error("explain: out of memory");
	if (!err)
		err = fw_explain_print(stdout, &q, a, opts->json);
	free(a);
	return err ? 1 : 0;
}

static struct fw_ban_args fw_ban_args_of(const struct fw_options *opts, char **args, int count)
{
	return (struct fw_ban_args){ args, count, opts->file, opts->ban_for, opts->reason };
}

static int fw_cmd_ban(const struct fw_options *opts, char **args, int count)
{
	struct fw_ban_args ban = fw_ban_args_of(opts, args, count);

	return fw_ban_cmd(opts->pin_dir, &ban);
}

static int fw_cmd_unban(const struct fw_options *opts, char **args, int count)
{
	struct fw_ban_args unban = fw_ban_args_of(opts, args, count);

	return fw_unban_cmd(opts->pin_dir, &unban);
}

static int fw_cmd_bans(const struct fw_options *opts, char **args, int count)
{
	(void)args;
	(void)count;
	return fw_bans_cmd(opts->pin_dir, opts->json);
}

static int fw_cmd_down(const struct fw_options *opts, char **args, int count)
{
	int lock_fd, err;

	(void)args;
	(void)count;
	err = fw_pin_lock(opts->pin_dir, false, &lock_fd);
	if (err == -ENOENT) {
		fw_info("%s: nothing pinned; nothing to do", opts->pin_dir);
		return 0;
	}
	if (err)
		return 1;
	err = fw_pin_remove_all(opts->pin_dir);
	fw_pin_unlock(lock_fd);
	if (!err)
		fw_info("%s: detached from every interface and removed every pin", opts->pin_dir);
	return err ? 1 : 0;
}

static const struct fw_command fw_commands[] = {
	{ "check", "[--base-dir DIR] FILE", 1, 1, FW_OPT_BASE_DIR, fw_cmd_check,
	  "validate FILE without touching the kernel; --base-dir: as if FILE were in DIR" },
	{ "run", "[--watch] [--ready-file PATH] FILE", 1, 1, FW_OPT_WATCH | FW_OPT_READY_FILE,
	  fw_cmd_run, "enforce FILE as a daemon; SIGHUP (or, with --watch, a change) reloads it" },
	{ "apply", "FILE", 1, 1, 0, fw_cmd_apply, "enforce FILE once and exit" },
	{ "rules", "", 0, 0, 0, fw_cmd_rules, "show the rules in force with their counters" },
	{ "sets", "", 0, 0, 0, fw_cmd_sets,
	  "show the sets in force, their sizes and the rules that use them" },
	{ "stats", "[--prometheus]", 0, 0, FW_OPT_PROMETHEUS, fw_cmd_stats,
	  "show the global counters; --prometheus: as metrics, for a textfile collector" },
	{ "events", "", 0, 0, 0, fw_cmd_events,
	  "follow the events of logged rules, bans and limits live" },
	{ "top", "", 0, 0, 0, fw_cmd_top,
	  "a live view: rules by packets per second, drop reasons, bans" },
	{ "explain", "ADDR [PORT[/PROTO]|PROTO]", 1, 2, FW_OPT_CONFIG, fw_cmd_explain,
	  "which rule decides for a packet from ADDR, and why" },
	{ "ban", "ADDR|PREFIX... [--for DURATION] [--reason TEXT]", 0, INT_MAX,
	  FW_OPT_FILE | FW_OPT_FOR | FW_OPT_REASON, fw_cmd_ban,
	  "drop every packet from these sources, before any rule" },
	{ "ban", "--file FILE [--for DURATION] [--reason TEXT]", 0, INT_MAX,
	  FW_OPT_FILE | FW_OPT_FOR | FW_OPT_REASON, fw_cmd_ban,
	  "ban the addresses and prefixes of a list file" },
	{ "unban", "ADDR|PREFIX... | --file FILE", 0, INT_MAX, FW_OPT_FILE, fw_cmd_unban,
	  "lift these bans" },
	{ "bans", "", 0, 0, 0, fw_cmd_bans, "show the bans in force: origin, expiry, counters" },
	{ "down", "", 0, 0, 0, fw_cmd_down, "detach from every interface and remove every pin" },
};

#define FW_COMMANDS (sizeof(fw_commands) / sizeof(fw_commands[0]))

static void fw_usage(FILE *out)
{
	fprintf(out, "Usage: xdpfw [--pin-dir DIR] [-j|--json] [-v] COMMAND [ARGS]\n\n"
		     "Commands:\n");
	for (size_t i = 0; i < FW_COMMANDS; i++) {
		char head[64];

		snprintf(head, sizeof(head), "%s %s", fw_commands[i].name, fw_commands[i].args);
		if (strlen(head) < 14)
			fprintf(out, "  %-14s%s\n", head, fw_commands[i].help);
		else
			fprintf(out, "  %s\n  %-14s%s\n", head, "", fw_commands[i].help);
	}
	fprintf(out, "\nOptions:\n"
		     "  --pin-dir DIR  where the program and maps are pinned (default %s,\n"
		     "                 or $XDPFW_PIN_DIR)\n"
		     "  -j, --json     machine-readable output for rules, sets, stats, explain, bans\n"
		     "                 and events (one JSON object a line)\n"
		     "  --config FILE  explain: answer from FILE instead of the maps in force\n"
		     "  --file FILE    ban, unban: the addresses of a list file, one a line\n"
		     "  --for DURATION ban: lift it after 30s, 10m, 2h, 7d or e.g. 1h30m\n"
		     "  --reason TEXT  ban: the origin `bans` shows (default manual)\n"
		     "  --prometheus   stats: the text of /metrics\n"
		     "  --watch        run: reload when FILE, a file it includes or a set's list\n"
		     "                 file changes (a Kubernetes ConfigMap update too)\n"
		     "  --ready-file PATH\n"
		     "                 run: create PATH once the rules are in force, remove it on\n"
		     "                 exit (a readiness probe's test)\n"
		     "  --base-dir DIR check: resolve FILE's relative paths (include, set files)\n"
		     "                 from DIR, as if FILE were there (Ansible's validate)\n"
		     "  -v, --verbose  say more\n"
		     "  --version, -h/--help\n", FW_DEFAULT_PIN_DIR);
}

/* Options may come before or after the command; returns the first non-option index or -1. */
static int fw_parse_options(int argc, char **argv, struct fw_options *opts)
{
	static const struct option longopts[] = {
		{ "pin-dir", required_argument, NULL, 'p' },
		{ "config", required_argument, NULL, 'c' },
		{ "file", required_argument, NULL, 'f' },
		{ "for", required_argument, NULL, 'F' },
		{ "reason", required_argument, NULL, 'r' },
		{ "prometheus", no_argument, NULL, 'P' },
		{ "watch", no_argument, NULL, 'W' },
		{ "ready-file", required_argument, NULL, 'R' },
		{ "base-dir", required_argument, NULL, 'B' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "jvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			opts->pin_dir = optarg;
			break;
		case 'c':
			opts->config = optarg;
			opts->given |= FW_OPT_CONFIG;
			break;
		case 'f':
			opts->file = optarg;
			opts->given |= FW_OPT_FILE;
			break;
		case 'F':
			opts->ban_for = optarg;
			opts->given |= FW_OPT_FOR;
			break;
		case 'r':
			opts->reason = optarg;
			opts->given |= FW_OPT_REASON;
			break;
		case 'P':
			opts->prometheus = true;
			opts->given |= FW_OPT_PROMETHEUS;
			break;
		case 'W':
			opts->given |= FW_OPT_WATCH;
			break;
		case 'R':
			opts->ready_file = optarg;
			opts->given |= FW_OPT_READY_FILE;
			break;
		case 'B':
			opts->base_dir = optarg;
			opts->given |= FW_OPT_BASE_DIR;
			break;
		case 'j':
			opts->json = true;
			break;
		case 'v':
			fw_verbose = true;
			break;
		case 'V':
			printf("xdpfw %s\n", XDPFW_VERSION);
			exit(0);
		case 'h':
			fw_usage(stdout);
			exit(0);
		default:
			fw_usage(stderr);
			return -1;
		}
	}
	return optind;
}

int main(int argc, char **argv)
{
	struct fw_options opts = { .pin_dir = getenv("XDPFW_PIN_DIR") };
	const struct fw_command *cmd = NULL;
	int first = fw_parse_options(argc, argv, &opts);
	const char *name;
	int count;

	if (first < 0)
		return 2;
	fw_log_init();
	if (!opts.pin_dir || !*opts.pin_dir)
		opts.pin_dir = FW_DEFAULT_PIN_DIR;
	if (first >= argc) {
		fw_usage(stderr);
		return 2;
	}
	name = argv[first];
	for (size_t i = 0; i < FW_COMMANDS; i++)
		if (!strcmp(fw_commands[i].name, name))
			cmd = &fw_commands[i];
	if (!cmd) {
		fw_error("unknown command '%s'; see 'xdpfw --help'", name);
		return 2;
	}
	count = argc - first - 1;
	if (count < cmd->min_args || count > cmd->max_args) {
		fw_error("usage: xdpfw %s%s%s", cmd->name, *cmd->args ? " " : "", cmd->args);
		return 2;
	}
	if (opts.given & ~cmd->takes) {
		static const char *const names[] = { "--config", "--file", "--for", "--reason",
						       "--prometheus", "--watch", "--ready-file",
						       "--base-dir" };
		unsigned int extra = opts.given & ~cmd->takes;

		fw_error("%s takes no %s; see 'xdpfw --help'", cmd->name,
			 names[__builtin_ctz(extra)]);
		return 2;
	}
	return cmd->func(&opts, argv + first + 1, count);
}

/* SPDX-License-Identifier: GPL-2.0 */
/* The YAML config (DESIGN §1, with §1b's sets, prefixes and port lists), parsed and validated. */
#ifndef FW_CONFIG_H
#define FW_CONFIG_H

#include <stdbool.h>
#include <stdio.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include "ruleset.h"

enum fw_xdp_mode {
	FW_MODE_AUTO = 0,    /* native, else generic */
	FW_MODE_NATIVE,
	FW_MODE_GENERIC,
};

struct fw_interface {
	char name[IF_NAMESIZE];
	enum fw_xdp_mode mode;
	int line;
	int col;
};

/* The `crowdsec:` section: be a CrowdSec bouncer (DESIGN §1b). */
struct fw_crowdsec {
	char *url;          /* the Local API, e.g. http://127.0.0.1:8080/; NULL = no section */
	char *api_key_file; /* holds the bouncer key (cscli bouncers add); relative to the config */
	uint32_t poll_ms;   /* how often to ask for new decisions; default 10 s */
	int line;           /* where the section starts, for messages */
};

/* settings.metrics: where the daemon serves Prometheus text on /metrics. */
struct fw_metrics_listen {
	char *text;   /* as written, e.g. 127.0.0.1:9740 or [::1]:9740; NULL = no endpoint */
	char host[INET6_ADDRSTRLEN]; /* the address literal, without brackets */
	uint16_t port;
	int family;   /* AF_INET or AF_INET6 */
	int line;     /* for messages */
};

/*
 * What a config was read from, for `run --watch`: each path as opened
 * (relative ones joined to the folder of the file that names them).
 */
struct fw_config_sources {
	char **files;          /* the config, each file it includes, each set's list file */
	size_t file_count;
	char **patterns;       /* each `include:` glob, so files that appear later are seen */
	size_t pattern_count;
};

struct fw_config {
	char *path;                       /* as given, for messages */
	struct fw_config_sources sources; /* filled by fw_config_load() and fw_config_parse() */
	struct fw_interface *interfaces;
	size_t interface_count;
	struct fw_ruleset rules;          /* rule ids are not assigned here */
	uint32_t capacity;                /* settings.max_rules, or FW_DEFAULT_CAPACITY */
	uint32_t max_bans;                /* settings.max_bans, or FW_DEFAULT_MAX_BANS */
	struct fw_crowdsec crowdsec;      /* the `crowdsec:` section; url NULL = none */
	struct fw_metrics_listen metrics; /* settings.metrics; text NULL = none */
};

/*
 * Parses and validates the file at path, the files its `include:` globs
 * match (relative to its folder; sorted by name, read after it, sets and
 * rules only) and the list files its sets name (relative to the folder of
 * the file that names them). Every error is printed to diag as
 * "FILE:LINE:COL: message", not just the first (FILE is the included or list
 * file for an error in one), and so are warnings, as "FILE:LINE:COL:
 * warning: message".
 * Returns 0 (warnings or not), -EINVAL when the file is invalid (out is then
 * empty), or another negative errno when the file cannot be read.
 */
int fw_config_load(const char *path, struct fw_config *out, FILE *diag);

/* The same for a config held in memory; name is used in messages. */
int fw_config_parse(const char *name, const char *text, size_t len, struct fw_config *out,
		    FILE *diag);

/* The YAML readers; tests and fuzzers compare the two. */
enum fw_config_reader {
	FW_READER_AUTO,    /* the fast lane where it fits and does not give up, else libyaml */
	FW_READER_LIBYAML, /* libyaml only */
};

/*
 * fw_config_parse() with a chosen reader. When fast_used is not NULL it is
 * set to whether the fast lane produced the result.
 */
int fw_config_parse_with(const char *name, const char *text, size_t len,
			 enum fw_config_reader reader, struct fw_config *out, FILE *diag,
			 bool *fast_used);

/* What fw_config_parse_with() leaves at its default. */
struct fw_config_options {
	enum fw_config_reader reader;
	/*
	 * A set's `file:` is not opened, and the set stays empty; `include:`
	 * patterns are checked and listed in sources.patterns, but nothing is
	 * globbed or read: for fuzzers, which must not open whatever path the
	 * text names.
	 */
	bool skip_list_files;
	/*
	 * Relative paths in the main file (include patterns, set files,
	 * api_key_file) resolve against this folder, not the config's: `check
	 * --base-dir` validates a copy as if it were in place. NULL: the config's.
	 */
	const char *base_dir;
};

/* fw_config_load() with options; opts NULL is the defaults. */
int fw_config_load_opts(const char *path, const struct fw_config_options *opts,
			struct fw_config *out, FILE *diag);

/* fw_config_parse_with() with options; opts NULL is the defaults. */
int fw_config_parse_opts(const char *name, const char *text, size_t len,
			 const struct fw_config_options *opts, struct fw_config *out, FILE *diag,
			 bool *fast_used);

/*
 * The file a rule or set with this defined_in was written in: the config's
 * path for 0, else the included file's path as opened.
 */
const char *fw_config_file_name(const struct fw_config *cfg, uint16_t defined_in);

/* Frees everything a parse left in cfg, its sets and port ranges too; cfg is left empty. */
void fw_config_free(struct fw_config *cfg);

#endif /* FW_CONFIG_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* The YAML config (DESIGN §1 schema version 1), parsed and validated. */
#ifndef FW_CONFIG_H
#define FW_CONFIG_H

#include <stdbool.h>
#include <stdio.h>
#include <net/if.h>
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

struct fw_config {
	char *path;                       /* as given, for messages */
	struct fw_interface *interfaces;
	size_t interface_count;
	struct fw_ruleset rules;          /* rule ids are not assigned here */
	uint32_t capacity;                /* settings.max_rules, or FW_DEFAULT_CAPACITY */
};

/*
 * Parses and validates the file at path. Every error is printed to diag as
 * "FILE:LINE:COL: message", not just the first. Returns 0, -EINVAL when the
 * file is invalid (out is then empty), or another negative errno when the
 * file cannot be read.
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

void fw_config_free(struct fw_config *cfg);

#endif /* FW_CONFIG_H */

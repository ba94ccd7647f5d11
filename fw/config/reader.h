/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reader layer: YAML events from libyaml or from the fast lane, with
 * syntax and encoding errors reported. Internal to fw/config/.
 */
#ifndef FW_CONFIG_READER_H
#define FW_CONFIG_READER_H

#include <stdbool.h>
#include <yaml.h>
#include "diag.h"
#include "reader_fast.h"

struct cfg_reader {
	const char *text;
	size_t len;
	bool fast;        /* events come from the fast lane, not from yaml */
	yaml_parser_t yaml;
	struct cfg_fast lane;
	bool stopped;     /* a syntax error, or the lane giving up, ended the reading */
	struct cfg_diags *diags;
	int line_base;    /* added to every line: an included file's lines follow the config's */
};

/* Starts reading text with the fast lane or libyaml, its lines after line_base; 0 or -ENOMEM. */
int cfg_reader_start(struct cfg_reader *r, const char *text, size_t len, bool fast,
		     struct cfg_diags *diags, int line_base);
void cfg_reader_end(struct cfg_reader *r);

/* The next event, or -1 once the reading stopped or failed (reported). */
int cfg_next_event(struct cfg_reader *r, yaml_event_t *ev);
void cfg_event_delete(const struct cfg_reader *r, yaml_event_t *ev);

#endif /* FW_CONFIG_READER_H */

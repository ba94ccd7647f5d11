// SPDX-License-Identifier: GPL-2.0
/*
 * Config parsing: the files `include:` names, each read like the config but
 * holding only sets and rules. Their lines continue the config's numbering
 * (struct cfg_unit), so every later check, and the sorting of messages,
 * works across files unchanged; the rules and sets get their own files'
 * lines back at the end.
 */
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "section.h"

/* The files read so far, the config first, so that none is read twice. */
struct cfg_seen {
	struct stat *files;
	size_t count;
};

/* Whether the file at st was read already; else it is noted. */
static bool cfg_seen_before(struct cfg_parser *p, struct cfg_seen *seen, const struct stat *st)
{
	struct stat *grown;

	for (size_t i = 0; i < seen->count; i++)
		if (seen->files[i].st_dev == st->st_dev && seen->files[i].st_ino == st->st_ino)
			return true;
	grown = realloc(seen->files, (seen->count + 1) * sizeof(*grown));
	if (!grown) {
		p->diags.err = -ENOMEM;
		return true;
	}
	seen->files = grown;
	seen->files[seen->count++] = *st;
	return false;
}

/* The fast lane reads text to its end without giving up: libyaml would read it the same. */
static bool cfg_fast_lane_takes(const char *text, size_t len)
{
	struct cfg_fast lane;
	yaml_event_t ev;

	if (!cfg_fast_lane_fits(text, len))
		return false;
	cfg_fast_start(&lane, text, len);
	while (!cfg_fast_next(&lane, &ev))
		if (ev.type == YAML_STREAM_END_EVENT)
			return true;
	return false;
}

/* One included file, its lines after base; the fast lane reads it when it takes it whole. */
static void cfg_read_one(struct cfg_parser *p, const char *path, const char *text, size_t len,
			 int base)
{
	bool fast = p->opts.reader == FW_READER_AUTO && cfg_fast_lane_takes(text, len);
	int err;

	if (cfg_diags_add_unit(&p->diags, path, base) || !cfg_source_file(p, path))
		return;
	err = cfg_reader_start(&p->reader, text, len, fast, &p->diags, base);
	if (err) {
		p->diags.err = err;
		return;
	}
	p->file = path;
	p->included = true;
	cfg_read_stream(p);
	p->included = false;
	p->file = p->name;
	p->stopped |= p->reader.stopped;
	cfg_reader_end(&p->reader);
}

/* Reads the file at path (a match of inc), unless it was read before; *base moves past it. */
static void cfg_include_file(struct cfg_parser *p, const struct cfg_include *inc,
			     const char *path, struct cfg_seen *seen, int *base)
{
	char *text = NULL;
	struct stat st;
	size_t len = 0;
	int err;

	if (stat(path, &st)) {
		err = -errno;
	} else if (S_ISDIR(st.st_mode)) {
		cfg_error(&p->diags, inc->line, inc->col,
			  "include \"%s\": %s is a folder; include its files with a glob such as %s/*.yaml",
			  inc->text, path, inc->text);
		return;
	} else if (!S_ISREG(st.st_mode)) {
		err = -EINVAL;
	} else if (cfg_seen_before(p, seen, &st)) {
		return;
	} else {
		err = cfg_read_file(path, &text, &len);
	}
	if (err == -EINVAL)
		cfg_error(&p->diags, inc->line, inc->col,
			  "include \"%s\": %s is not a regular file; include YAML files only", inc->text,
			  path);
	else if (err)
		cfg_error(&p->diags, inc->line, inc->col, "include \"%s\": cannot read %s: %s%s",
			  inc->text, path, strerror(-err),
			  err == -ENOENT ? "; create it, or write a glob such as conf.d/*.yaml, which may match nothing" : "");
	if (err)
		return;
	/* A file of len bytes has at most len + 1 lines. */
	if (p->diags.unit_count >= UINT16_MAX - 1) {
		cfg_error(&p->diags, inc->line, inc->col,
			  "include \"%s\": %s is more than %u files included; merge some", inc->text,
			  path, UINT16_MAX - 1);
	} else if (len >= (size_t)(INT_MAX - *base - 1)) {
		cfg_error(&p->diags, inc->line, inc->col,
			  "include \"%s\": %s is too big to include; split the config", inc->text, path);
	} else {
		cfg_read_one(p, path, text, len, *base);
		*base += (int)len + 1;
	}
	free(text);
}

static bool cfg_has_glob(const char *pattern)
{
	return strpbrk(pattern, "*?[\\") != NULL;
}

static _Thread_local int cfg_glob_errno; /* a folder glob(3) could not read, other than a missing one */

static int cfg_glob_error(const char *path, int err)
{
	(void)path;
	if (err != ENOENT && err != ENOTDIR && !cfg_glob_errno)
		cfg_glob_errno = err;
	return 0;
}

static int cfg_path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Each file inc matches, sorted by name (byte order, whatever the locale). */
static void cfg_include_pattern(struct cfg_parser *p, const struct cfg_include *inc,
				struct cfg_seen *seen, int *base)
{
	glob_t g;
	int rc;

	if (!cfg_has_glob(inc->pattern)) {
		cfg_include_file(p, inc, inc->pattern, seen, base);
		return;
	}
	cfg_glob_errno = 0;
	rc = glob(inc->pattern, GLOB_MARK | GLOB_NOSORT, cfg_glob_error, &g);
	if (rc == GLOB_NOSPACE) {
		p->diags.err = -ENOMEM;
	} else if (cfg_glob_errno) {
		cfg_error(&p->diags, inc->line, inc->col,
			  "include \"%s\": cannot read a folder of %s: %s", inc->text, inc->pattern,
			  strerror(cfg_glob_errno));
	} else if (rc == GLOB_NOMATCH) {
		cfg_warning(&p->diags, inc->line, inc->col,
			    "include \"%s\" matches no file (%s); fine for an empty conf.d, else check the pattern",
			    inc->text, inc->pattern);
	} else if (!rc) {
		qsort(g.gl_pathv, g.gl_pathc, sizeof(*g.gl_pathv), cfg_path_cmp);
		for (size_t i = 0; i < g.gl_pathc && !p->diags.err; i++) {
			size_t n = strlen(g.gl_pathv[i]);

			/* GLOB_MARK ends a folder's name with "/": a glob includes no subfolder. */
			if (n && g.gl_pathv[i][n - 1] != '/')
				cfg_include_file(p, inc, g.gl_pathv[i], seen, base);
		}
	}
	if (rc != GLOB_NOMATCH)
		globfree(&g);
}

void cfg_read_includes(struct cfg_parser *p, size_t len)
{
	struct cfg_seen seen = { 0 };
	struct stat st;
	int base;

	if (p->opts.skip_list_files)
		return; /* fuzzers: the patterns are checked, no file is opened */
	if (len >= INT_MAX - 1) {
		cfg_error(&p->diags, p->includes[0].line, p->includes[0].col,
			  "the config is too big to include files; split it");
		return;
	}
	base = (int)len + 1;
	/* The config itself, when a pattern matches it too. */
	if (!stat(p->name, &st))
		cfg_seen_before(p, &seen, &st);
	for (size_t i = 0; i < p->include_count && !p->diags.err; i++)
		cfg_include_pattern(p, &p->includes[i], &seen, &base);
	free(seen.files);
}

void cfg_local_lines(struct cfg_parser *p)
{
	struct fw_ruleset *rs = &p->cfg->rules;

	if (!p->diags.unit_count)
		return;
	for (size_t i = 0; i < rs->count; i++) {
		rs->rules[i].defined_in = (uint16_t)(cfg_unit_of(&p->diags, rs->rules[i].line) + 1);
		rs->rules[i].line = cfg_local_line(&p->diags, rs->rules[i].line);
	}
	for (size_t i = 0; i < rs->set_count; i++) {
		struct fw_set *set = &rs->sets[i];

		/* Written out: their lines are in the file that defines the set. */
		if (!set->file)
			for (size_t e = 0; e < set->count; e++)
				set->elements[e].line =
					(uint32_t)cfg_local_line(&p->diags, (int)set->elements[e].line);
		set->defined_in = (uint16_t)(cfg_unit_of(&p->diags, set->line) + 1);
		set->line = cfg_local_line(&p->diags, set->line);
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * `include:` (DESIGN §1b, issue 12): included files read after the config,
 * sorted by name, sets and rules only; every message under the file it is
 * in; duplicates across files naming both places; fw_config.sources; and
 * both YAML readers agreeing on all of it. Each test works in its own
 * folder under /tmp, entered, so paths read as a user would type them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "conf_parse.h"
#include "config.h"

#define MAIN "conf/xdpfw.yaml"

struct folder {
	char path[64];
	char back[PATH_MAX]; /* the working folder before */
};

static int folder_setup(void **state)
{
	struct folder *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_non_null(getcwd(f->back, sizeof(f->back)));
	snprintf(f->path, sizeof(f->path), "/tmp/xdpfw-include.XXXXXX");
	assert_non_null(mkdtemp(f->path));
	assert_int_equal(chdir(f->path), 0);
	*state = f;
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int folder_teardown(void **state)
{
	struct folder *f = *state;

	assert_int_equal(chdir(f->back), 0);
	assert_int_equal(nftw(f->path, remove_one, 16, FTW_DEPTH | FTW_PHYS), 0);
	free(f);
	return 0;
}

/* Writes path (relative to the test's folder), making its folders. */
static void put(const char *path, const char *text)
{
	char dir[PATH_MAX];
	FILE *f;

	for (const char *slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
		if (mkdir(dir, 0755) && errno != EEXIST)
			fail_msg("mkdir %s: %s", dir, strerror(errno));
	}
	f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static void same_strings(char *const *a, size_t na, char *const *b, size_t nb)
{
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++)
		assert_string_equal(a[i], b[i]);
}

/* What the two readers made of one config and its included files. */
static void same_config(const struct fw_config *a, const struct fw_config *b)
{
	assert_int_equal(a->interface_count, b->interface_count);
	assert_int_equal(a->rules.count, b->rules.count);
	if (a->rules.count)
		assert_memory_equal(a->rules.rules, b->rules.rules,
				    a->rules.count * sizeof(*a->rules.rules));
	assert_int_equal(a->rules.set_count, b->rules.set_count);
	for (size_t i = 0; i < a->rules.set_count; i++) {
		const struct fw_set *x = &a->rules.sets[i], *y = &b->rules.sets[i];

		assert_string_equal(x->name, y->name);
		assert_int_equal(!x->file, !y->file);
		if (x->file)
			assert_string_equal(x->file, y->file);
		assert_int_equal(x->count, y->count);
		assert_int_equal(x->line, y->line);
		if (x->count)
			assert_memory_equal(x->elements, y->elements, x->count * sizeof(*x->elements));
	}
	same_strings(a->sources.files, a->sources.file_count, b->sources.files,
		     b->sources.file_count);
	same_strings(a->sources.patterns, a->sources.pattern_count, b->sources.patterns,
		     b->sources.pattern_count);
}

/* Parses the config at MAIN with both readers, which must agree; res holds the auto reader's. */
static void parse_main(const char *text, struct parsed *res)
{
	put(MAIN, text);
	conf_parse_both(MAIN, text, same_config, res);
}

/* diag holds this line exactly. */
static void assert_line(const char *diag, const char *line)
{
	const char *at = strstr(diag, line);
	size_t n = strlen(line);

	if (!at || (at != diag && at[-1] != '\n') || at[n] != '\n')
		fail_msg("no line\n%s\nin:\n%s", line, diag);
}

static const char main_web[] =
	"interfaces:\n"
	"  - name: eth0\n"
	"include: [conf.d/*.yaml]\n"
	"sets:\n"
	"  office: {elements: [198.18.0.0/24]}\n"
	"rules:\n"
	"  - name: ssh\n"
	"    src: \"@office\"\n"
	"    port: 22\n"
	"    proto: tcp\n"
	"    action: pass\n";

static void put_conf_d(void)
{
	put("conf/conf.d/20-web.yaml",
	    "rules:\n"
	    "  - name: web\n"
	    "    port: 443\n"
	    "    proto: tcp\n"
	    "    action: pass\n");
	put("conf/conf.d/10-lists.yaml",
	    "# the block list, from a file beside this one\n"
	    "sets:\n"
	    "  bad: {file: lists/bad.txt}\n"
	    "rules:\n"
	    "  - name: bad\n"
	    "    src: \"@bad\"\n");
	put("conf/conf.d/lists/bad.txt", "198.19.100.0/24\n");
	put("conf/conf.d/README", "not yaml: not matched by *.yaml\n");
	put("conf/conf.d/sub/30-not-read.yaml", "rules: [broken\n");
}

/* Rules in order: the config's, then each file's by name; their lines are their files'. */
static void test_order_lines_and_sources(void **state)
{
	struct parsed res;

	(void)state;
	put_conf_d();
	parse_main(main_web, &res);
	if (res.rc || res.diag_len)
		fail_msg("rc %d\n%s", res.rc, res.diag);
	assert_int_equal(res.cfg.rules.count, 3);
	assert_string_equal(res.cfg.rules.rules[0].name, "ssh");
	assert_int_equal(res.cfg.rules.rules[0].line, 7);
	assert_string_equal(res.cfg.rules.rules[1].name, "bad");
	assert_int_equal(res.cfg.rules.rules[1].line, 5);
	assert_int_equal(res.cfg.rules.rules[1].col, 5);
	assert_string_equal(res.cfg.rules.rules[2].name, "web");
	assert_int_equal(res.cfg.rules.rules[2].line, 2);
	assert_int_equal(res.cfg.rules.set_count, 2);
	assert_string_equal(res.cfg.rules.sets[1].name, "bad");
	assert_int_equal(res.cfg.rules.sets[1].line, 3);
	assert_string_equal(res.cfg.rules.sets[1].file, "conf/conf.d/lists/bad.txt");
	assert_int_equal(res.cfg.rules.sets[1].count, 1);
	assert_int_equal(res.cfg.rules.sets[0].elements[0].line, 5);
	/* Which file each was written in, for explain --config. */
	assert_int_equal(res.cfg.rules.rules[0].defined_in, 0);
	assert_int_equal(res.cfg.rules.rules[1].defined_in, 1);
	assert_int_equal(res.cfg.rules.rules[2].defined_in, 2);
	assert_int_equal(res.cfg.rules.sets[0].defined_in, 0);
	assert_int_equal(res.cfg.rules.sets[1].defined_in, 1);
	assert_string_equal(fw_config_file_name(&res.cfg, 0), MAIN);
	assert_string_equal(fw_config_file_name(&res.cfg, 2), "conf/conf.d/20-web.yaml");

	assert_int_equal(res.cfg.sources.file_count, 4);
	assert_string_equal(res.cfg.sources.files[0], MAIN);
	assert_string_equal(res.cfg.sources.files[1], "conf/conf.d/10-lists.yaml");
	assert_string_equal(res.cfg.sources.files[2], "conf/conf.d/20-web.yaml");
	assert_string_equal(res.cfg.sources.files[3], "conf/conf.d/lists/bad.txt");
	assert_int_equal(res.cfg.sources.pattern_count, 1);
	assert_string_equal(res.cfg.sources.patterns[0], "conf/conf.d/*.yaml");
	parsed_free(&res);
}

/* fw_config_load() fills the same sources; a config with no include has itself and its lists. */
static void test_load_sources(void **state)
{
	struct fw_config cfg;
	int rc;

	(void)state;
	put_conf_d();
	put(MAIN, main_web);
	rc = fw_config_load(MAIN, &cfg, NULL);
	assert_int_equal(rc, 0);
	assert_int_equal(cfg.sources.file_count, 4);
	assert_string_equal(cfg.sources.files[3], "conf/conf.d/lists/bad.txt");
	fw_config_free(&cfg);
	assert_int_equal(cfg.sources.file_count, 0);

	put("plain.yaml", "sets:\n  s: {file: s.txt}\nrules:\n  - name: a\n    src: \"@s\"\n");
	put("s.txt", "198.18.0.1\n");
	rc = fw_config_load("plain.yaml", &cfg, NULL);
	assert_int_equal(rc, 0);
	assert_int_equal(cfg.sources.file_count, 2);
	assert_string_equal(cfg.sources.files[0], "plain.yaml");
	assert_string_equal(cfg.sources.files[1], "s.txt");
	assert_int_equal(cfg.sources.pattern_count, 0);
	fw_config_free(&cfg);
}

/* One string is a list of one; an absolute pattern is kept as it is. */
static void test_one_string_and_absolute(void **state)
{
	struct folder *f = *state;
	char text[512], pattern[128];
	struct parsed res;

	put("conf/extra/a.yaml", "rules:\n  - name: a\n    port: 1\n");
	snprintf(pattern, sizeof(pattern), "%s/conf/extra/*.yaml", f->path);
	snprintf(text, sizeof(text), "include: %s\n", pattern);
	parse_main(text, &res);
	if (res.rc || res.diag_len)
		fail_msg("rc %d\n%s", res.rc, res.diag);
	assert_int_equal(res.cfg.rules.count, 1);
	assert_string_equal(res.cfg.sources.patterns[0], pattern);
	parsed_free(&res);
}

static void test_missing_literal_is_an_error(void **state)
{
	struct parsed res;

	(void)state;
	parse_main("include:\n  - conf.d/web.yaml\nrules:\n  - name: a\n    port: 1\n", &res);
	assert_int_equal(res.rc, -EINVAL);
	assert_line(res.diag,
		    MAIN ":2:5: include \"conf.d/web.yaml\": cannot read conf/conf.d/web.yaml: No such file or directory; create it, or write a glob such as conf.d/*.yaml, which may match nothing");
	parsed_free(&res);

	put("conf/conf.d/x.yaml", "");
	parse_main("include: [conf.d]\n", &res);
	assert_int_equal(res.rc, -EINVAL);
	assert_non_null(strstr(res.diag, MAIN ":1:11: include \"conf.d\": conf/conf.d is a folder"));
	parsed_free(&res);
}

/* An empty conf.d is normal: a warning, and the config stays valid. */
static void test_glob_without_match_warns(void **state)
{
	struct parsed res;

	(void)state;
	parse_main("include: [conf.d/*.yaml, none/*.yaml]\nrules:\n  - name: a\n    port: 1\n",
		   &res);
	assert_int_equal(res.rc, 0);
	assert_line(res.diag,
		    MAIN ":1:11: warning: include \"conf.d/*.yaml\" matches no file (conf/conf.d/*.yaml); fine for an empty conf.d, else check the pattern");
	assert_non_null(strstr(res.diag, MAIN ":1:26: warning: include \"none/*.yaml\""));
	assert_int_equal(count_lines(res.diag), 2);
	assert_int_equal(res.cfg.sources.file_count, 1);
	assert_int_equal(res.cfg.sources.pattern_count, 2);
	parsed_free(&res);
}

static void test_duplicates_across_files(void **state)
{
	struct parsed res;

	(void)state;
	put("conf/conf.d/20-web.yaml",
	    "sets:\n"
	    "  office: {elements: [198.18.1.0/24]}\n"
	    "rules:\n"
	    "  - name: ssh\n"
	    "    port: 2222\n"
	    "    proto: tcp\n"
	    "  - name: ssh-again\n"
	    "    src: \"@office\"\n"
	    "    port: 22\n"
	    "    proto: tcp\n");
	parse_main(main_web, &res);
	assert_int_equal(res.rc, -EINVAL);
	assert_line(res.diag,
		    "conf/conf.d/20-web.yaml:2:3: set name \"office\" is already used by the set at " MAIN ":5:3; give each set its own name");
	assert_line(res.diag,
		    "conf/conf.d/20-web.yaml:4:11: rule name \"ssh\" is already used by the rule at " MAIN ":7:11; give each rule its own name");
	assert_line(res.diag,
		    "conf/conf.d/20-web.yaml:7:5: rule \"ssh-again\" has the same match as rule \"ssh\" at " MAIN ":7:5; remove one of them");
	assert_int_equal(count_lines(res.diag), 3);
	parsed_free(&res);
}

/* Two included files: the second's duplicate names the first by its path. */
static void test_duplicate_between_included_files(void **state)
{
	struct parsed res;

	(void)state;
	put("conf/conf.d/a.yaml", "rules:\n  - name: x\n    port: 1\n");
	put("conf/conf.d/b.yaml", "\n\nrules:\n  - name: x\n    port: 2\n");
	parse_main("include: [conf.d/*.yaml]\n", &res);
	assert_int_equal(res.rc, -EINVAL);
	assert_string_equal(res.diag,
			    "conf/conf.d/b.yaml:4:11: rule name \"x\" is already used by the rule at conf/conf.d/a.yaml:2:11; give each rule its own name\n");
	parsed_free(&res);
}

static void test_included_file_holds_sets_and_rules_only(void **state)
{
	struct parsed res;

	(void)state;
	put("conf/conf.d/10.yaml",
	    "interfaces:\n"
	    "  - name: eth1\n"
	    "settings:\n"
	    "  default_action: drop\n"
	    "crowdsec:\n"
	    "  url: http://127.0.0.1:8080/\n"
	    "include: [more/*.yaml]\n"
	    "rules:\n"
	    "  - name: ok\n"
	    "    port: 1\n");
	parse_main("include: [conf.d/*.yaml]\ninterfaces:\n  - name: eth0\n", &res);
	assert_int_equal(res.rc, -EINVAL);
	assert_line(res.diag,
		    "conf/conf.d/10.yaml:1:1: only the main config sets interfaces; move it to " MAIN " (an included file holds sets and rules only)");
	assert_non_null(strstr(res.diag, "conf/conf.d/10.yaml:3:1: only the main config sets settings;"));
	assert_non_null(strstr(res.diag, "conf/conf.d/10.yaml:5:1: only the main config sets crowdsec;"));
	assert_non_null(strstr(res.diag, "conf/conf.d/10.yaml:7:1: only the main config sets include;"));
	assert_int_equal(count_lines(res.diag), 4);
	parsed_free(&res);

	put("conf/conf.d/10.yaml", "- name: a\n");
	parse_main("include: [conf.d/*.yaml]\n", &res);
	assert_int_equal(res.rc, -EINVAL);
	assert_line(res.diag,
		    "conf/conf.d/10.yaml:1:1: an included file must be a mapping with the keys sets and rules, found a list");
	parsed_free(&res);
}

/* Messages in an included file, syntax errors too, are under its path at its own lines. */
static void test_errors_inside_included_file(void **state)
{
	struct parsed res;

	(void)state;
	put("conf/conf.d/10-bad.yaml",
	    "rules:\n"
	    "  - name: a\n"
	    "    port: 70000\n"
	    "  - name: b\n"
	    "    port: 1\n"
	    "    port: 2\n");
	put("conf/conf.d/20-syntax.yaml", "rules:\n  - name: c\n   port: [1\n");
	parse_main("include: [conf.d/*.yaml]\nrules:\n  - name: main\n    port: 9\n", &res);
	assert_int_equal(res.rc, -EINVAL);
	assert_non_null(strstr(res.diag, "conf/conf.d/10-bad.yaml:3:11: rule \"a\": port 70000"));
	assert_line(res.diag,
		    "conf/conf.d/10-bad.yaml:6:5: rule \"b\": duplicate key \"port\" (first at line 5); give each key once");
	assert_non_null(strstr(res.diag, "conf/conf.d/20-syntax.yaml:3:"));
	assert_null(strstr(res.diag, MAIN ":"));
	parsed_free(&res);
}

/* A list file named in an included file: relative to that file, messages under the list's name. */
static void test_list_file_of_included_file(void **state)
{
	struct parsed res;

	(void)state;
	put("conf/conf.d/10.yaml",
	    "sets:\n  bad: {file: lists/bad.txt}\nrules:\n  - name: bad\n    src: \"@bad\"\n");
	put("conf/conf.d/lists/bad.txt", "198.19.100.0/24\nnonsense\n");
	parse_main("include: [conf.d/*.yaml]\n", &res);
	assert_int_equal(res.rc, -EINVAL);
	assert_non_null(strstr(res.diag, "conf/conf.d/lists/bad.txt:2:1: "));
	assert_int_equal(count_lines(res.diag), 1);
	parsed_free(&res);
}

/* Each file once: the config matched by its own glob, a file matched by two patterns. */
static void test_each_file_once(void **state)
{
	struct parsed res;

	(void)state;
	put("conf/conf.d/10.yaml", "rules:\n  - name: a\n    port: 1\n");
	parse_main("include: [\"*.yaml\", conf.d/*.yaml, conf.d/10.yaml]\ninterfaces:\n  - name: eth0\n",
		   &res);
	if (res.rc || res.diag_len)
		fail_msg("rc %d\n%s", res.rc, res.diag);
	assert_int_equal(res.cfg.rules.count, 1);
	assert_int_equal(res.cfg.sources.file_count, 2);
	assert_int_equal(res.cfg.sources.pattern_count, 3);
	parsed_free(&res);
}

/* The fast lane reads an included file it takes whole; libyaml reads the others, with the same result. */
static void test_readers_agree(void **state)
{
	static const char *const included[] = {
		"rules:\n  - name: a\n    port: 1\n",
		"rules:\n  - {name: a, port: 1}\n",             /* flow: libyaml only */
		"# caf\xc3\xa9\nrules:\n  - name: a\n    port: 1\n", /* not ASCII */
		"rules:\n  - name: a\n    port: 1\n    bogus: 2\n",
		"sets: {s: {elements: [198.18.0.0/15]}}\nrules:\n  - name: a\n    src: \"@s\"\n",
		"rules:\n  - name: a\n    port: [1\n",
		"\xff\n",
		"",
		"---\nrules: []\n---\nrules: []\n",
	};
	static const char *const mains[] = {
		"include: [conf.d/*.yaml]\nrules:\n  - name: m\n    port: 9\n",
		"include: [conf.d/*.yaml]\nrules:\n  - {name: m, port: 9}\n",
		"include: conf.d/*.yaml\nrules:\n  - name: a\n    port: 1\n",
	};
	struct parsed res;

	(void)state;
	for (size_t m = 0; m < sizeof(mains) / sizeof(mains[0]); m++)
		for (size_t i = 0; i < sizeof(included) / sizeof(included[0]); i++) {
			put("conf/conf.d/10.yaml", included[i]);
			put("conf/conf.d/20.yaml", "\n\nrules:\n  - name: z\n    port: 2\n");
			parse_main(mains[m], &res); /* fails unless the readers agree */
			parsed_free(&res);
		}
}

/* skip_list_files (fuzzers): the patterns are checked and listed, no file is opened. */
static void test_skip_opens_nothing(void **state)
{
	const struct fw_config_options opts = { .reader = FW_READER_AUTO, .skip_list_files = true };
	static const char text[] = "include: [missing.yaml, conf.d/*.yaml]\n";
	struct fw_config cfg;
	int rc;

	(void)state;
	put("conf/conf.d/10.yaml", "interfaces: [broken\n");
	rc = fw_config_parse_opts(MAIN, text, strlen(text), &opts, &cfg, NULL, NULL);
	assert_int_equal(rc, 0);
	assert_int_equal(cfg.sources.file_count, 1);
	assert_int_equal(cfg.sources.pattern_count, 2);
	assert_string_equal(cfg.sources.patterns[0], "conf/missing.yaml");
	fw_config_free(&cfg);
}

static void test_bad_include_values(void **state)
{
	struct parsed res;

	(void)state;
	parse_main("include: {a: b}\n", &res);
	assert_int_equal(res.rc, -EINVAL);
	assert_line(res.diag,
		    MAIN ":1:10: include must be a list of files or globs like [conf.d/*.yaml], found a mapping");
	parsed_free(&res);
	parse_main("include: [\"\", [x]]\ninclude: []\n", &res);
	assert_int_equal(res.rc, -EINVAL);
	assert_non_null(strstr(res.diag, MAIN ":1:11: include: the pattern is empty"));
	assert_non_null(strstr(res.diag, MAIN ":1:15: include: "));
	assert_non_null(strstr(res.diag, MAIN ":2:1: duplicate key \"include\" (first at line 1)"));
	parsed_free(&res);
	parse_main("include:\nrules:\n  - name: a\n    port: 1\n", &res); /* empty: nothing */
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.diag_len, 0);
	parsed_free(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_order_lines_and_sources, folder_setup,
						folder_teardown),
		cmocka_unit_test_setup_teardown(test_load_sources, folder_setup, folder_teardown),
		cmocka_unit_test_setup_teardown(test_one_string_and_absolute, folder_setup,
						folder_teardown),
		cmocka_unit_test_setup_teardown(test_missing_literal_is_an_error, folder_setup,
						folder_teardown),
		cmocka_unit_test_setup_teardown(test_glob_without_match_warns, folder_setup,
						folder_teardown),
		cmocka_unit_test_setup_teardown(test_duplicates_across_files, folder_setup,
						folder_teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_between_included_files, folder_setup,
						folder_teardown),
		cmocka_unit_test_setup_teardown(test_included_file_holds_sets_and_rules_only,
						folder_setup, folder_teardown),
		cmocka_unit_test_setup_teardown(test_errors_inside_included_file, folder_setup,
						folder_teardown),
		cmocka_unit_test_setup_teardown(test_list_file_of_included_file, folder_setup,
						folder_teardown),
		cmocka_unit_test_setup_teardown(test_each_file_once, folder_setup, folder_teardown),
		cmocka_unit_test_setup_teardown(test_readers_agree, folder_setup, folder_teardown),
		cmocka_unit_test_setup_teardown(test_skip_opens_nothing, folder_setup,
						folder_teardown),
		cmocka_unit_test_setup_teardown(test_bad_include_values, folder_setup,
						folder_teardown),
	};

	return cmocka_run_group_tests_name("config_include", tests, NULL, NULL);
}

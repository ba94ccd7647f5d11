// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "conf_parse.h"

void conf_parse(const char *name, const char *text, size_t len, enum fw_config_reader reader,
		struct parsed *res)
{
	FILE *diag = open_memstream(&res->diag, &res->diag_len);

	assert_non_null(diag);
	memset(&res->cfg, 0xa5, sizeof(res->cfg)); /* must be reset whatever it held */
	res->fast = true;
	res->rc = fw_config_parse_with(name, text, len, reader, &res->cfg, diag, &res->fast);
	fclose(diag);
}

void parsed_free(struct parsed *res)
{
	fw_config_free(&res->cfg);
	free(res->diag);
}

void conf_parse_both(const char *name, const char *text, conf_same_fn *same, struct parsed *res)
{
	struct parsed slow;

	conf_parse(name, text, strlen(text), FW_READER_AUTO, res);
	conf_parse(name, text, strlen(text), FW_READER_LIBYAML, &slow);
	if (res->rc != slow.rc || strcmp(res->diag, slow.diag))
		fail_msg("the readers differ on:\n%s\nauto rc %d:\n%s\nlibyaml rc %d:\n%s", text,
			 res->rc, res->diag, slow.rc, slow.diag);
	same(&res->cfg, &slow.cfg);
	parsed_free(&slow);
}

void conf_parse_valid(const char *name, const char *text, conf_same_fn *same, struct parsed *res)
{
	conf_parse_both(name, text, same, res);
	if (res->rc || res->diag_len)
		fail_msg("rc %d on:\n%s\n%s", res->rc, text, res->diag);
}

size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

const char *nth_line(const char *s, size_t index, char *buf, size_t size)
{
	const char *end;

	while (index-- && (s = strchr(s, '\n')))
		s++;
	assert_non_null(s);
	end = strchr(s, '\n');
	assert_non_null(end);
	assert_true((size_t)(end - s) < size);
	memcpy(buf, s, (size_t)(end - s));
	buf[end - s] = '\0';
	return buf;
}

void assert_messages(const char *what, const char *diag, const char *name,
		     const struct want *want, size_t n, bool exact)
{
	char line[1024], prefix[256];

	for (size_t i = 0; i < n; i++) {
		nth_line(diag, i, line, sizeof(line));
		snprintf(prefix, sizeof(prefix), "%s:%s: ", name, want[i].where);
		if (strncmp(line, prefix, strlen(prefix)) || !strstr(line, want[i].phrase))
			fail_msg("%s: want \"%s%s\", got \"%s\"", what, prefix, want[i].phrase, line);
		if (exact && i == 0 && strcmp(line + strlen(prefix), want[i].phrase))
			fail_msg("%s: want exactly \"%s\", got \"%s\"", what, want[i].phrase,
				 line + strlen(prefix));
	}
}

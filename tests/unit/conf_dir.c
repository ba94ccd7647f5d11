// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "conf_dir.h"

void conf_dir_init(struct conf_dir *d)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->path, sizeof(d->path), "/tmp/xdpfw-unit.XXXXXX");
	if (!mkdtemp(d->path)) {
		perror("mkdtemp");
		abort();
	}
}

static char *conf_dir_path(struct conf_dir *d, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", d->path, name);
	for (size_t i = 0; i < d->count; i++)
		if (!strcmp(d->files[i], path))
			return d->files[i];
	if (d->count == CONF_DIR_FILES)
		abort();
	return strcpy(d->files[d->count++], path);
}

const char *conf_dir_write(struct conf_dir *d, const char *name, const char *text)
{
	const char *path = conf_dir_path(d, name);
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(path);
		abort();
	}
	return path;
}

void conf_dir_unlink(struct conf_dir *d, const char *name)
{
	unlink(conf_dir_path(d, name));
}

void conf_dir_free(struct conf_dir *d)
{
	for (size_t i = 0; i < d->count; i++)
		unlink(d->files[i]);
	rmdir(d->path);
	d->count = 0;
}

unsigned int conf_line_of(const char *text, const char *needle)
{
	const char *at = strstr(text, needle);
	unsigned int line = 1;

	if (!at)
		return 0;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

/* SPDX-License-Identifier: GPL-2.0 */
/* A temporary folder of configs and list files, for tests that read them from disk. */
#ifndef TEST_CONF_DIR_H
#define TEST_CONF_DIR_H

#include <limits.h>
#include <stddef.h>

#define CONF_DIR_FILES 8

struct conf_dir {
	char path[64];
	char files[CONF_DIR_FILES][PATH_MAX];
	size_t count;
};

/* Makes the folder under /tmp; aborts if it cannot. */
void conf_dir_init(struct conf_dir *d);

/* Writes (or rewrites) name in the folder; returns its path. */
const char *conf_dir_write(struct conf_dir *d, const char *name, const char *text);

/* Removes a file written before, to test what a missing one does. */
void conf_dir_unlink(struct conf_dir *d, const char *name);

/* Removes every file written and the folder. */
void conf_dir_free(struct conf_dir *d);

/* The 1-based line of text on which needle first appears; 0 if it does not. */
unsigned int conf_line_of(const char *text, const char *needle);

#endif /* TEST_CONF_DIR_H */

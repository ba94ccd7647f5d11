// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "log.h"
#include "ready_file.h"

int fw_ready_file_create(const char *path, const char *config)
{
	char tmp[4096];
	FILE *f;
	int err = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		fw_error("--ready-file %s: the path is too long", path);
		return -ENAMETOOLONG;
	}
	f = fopen(tmp, "we");
	if (!f) {
		err = -errno;
		fw_error("--ready-file %s: cannot create %s: %s; does its folder exist?", path, tmp,
			 strerror(-err));
		return err;
	}
	fprintf(f, "enforcing %s\n", config);
	if (fclose(f))
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		unlink(tmp);
		fw_error("--ready-file %s: cannot write it: %s", path, strerror(-err));
	}
	return err;
}

void fw_ready_file_remove(const char *path)
{
	if (unlink(path) && errno != ENOENT)
		fw_error("--ready-file %s: cannot remove it: %s", path, strerror(errno));
}

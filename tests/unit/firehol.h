/* SPDX-License-Identifier: GPL-2.0 */
/* Where the FireHOL level1 snapshot is: ../shared/data, or $XDPFW_FIREHOL. */
#ifndef TEST_FIREHOL_H
#define TEST_FIREHOL_H

#include <limits.h>

/* Fills path with the list's real path; -1 (and a message) when it is nowhere. */
int firehol_list_path(char path[PATH_MAX]);

#endif /* TEST_FIREHOL_H */

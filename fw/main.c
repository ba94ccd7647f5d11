// SPDX-License-Identifier: GPL-2.0
/* xdpfw: the command table. */
#include <stdio.h>
#include <string.h>
#include "xdpfw.h"

static void fw_usage(FILE *out)
{
	fprintf(out,
		"Usage: xdpfw [--pin-dir DIR] [-j|--json] [-v] COMMAND ...\n"
		"       xdpfw --version | --help\n");
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--version")) {
		printf("xdpfw %s\n", XDPFW_VERSION);
		return 0;
	}
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fw_usage(stdout);
		return 0;
	}
	fw_usage(stderr);
	return 2;
}

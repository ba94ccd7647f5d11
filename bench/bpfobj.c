// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "bpfobj.h"

/* Warnings and errors only: xdp-filter's objects carry sections libbpf skips. */
static int bench_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level != LIBBPF_WARN || strstr(fmt, "skipping unrecognized"))
		return 0;
	return vfprintf(stderr, fmt, args);
}

struct bpf_object *bench_obj_load(const char *path, const struct bench_map_size *sizes)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	struct bpf_object *obj;
	struct bpf_map *map;
	int err;

	libbpf_set_print(bench_libbpf_print);
	obj = bpf_object__open_file(path, &opts);

	if (!obj) {
		fprintf(stderr, "bench: opening %s: %s\n", path, strerror(errno));
		return NULL;
	}
	/* Private maps only: xdp-filter's objects ask to pin their stats map by name. */
	bpf_object__for_each_map(map, obj)
		bpf_map__set_pin_path(map, NULL);
	for (const struct bench_map_size *s = sizes; s && s->name; s++) {
		struct bpf_map *map = bpf_object__find_map_by_name(obj, s->name);

		if (!map || bpf_map__set_max_entries(map, s->max_entries)) {
			fprintf(stderr, "bench: %s: cannot size map %s\n", path, s->name);
			bpf_object__close(obj);
			return NULL;
		}
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "bench: loading %s: %s\n", path, strerror(-err));
		bpf_object__close(obj);
		return NULL;
	}
	return obj;
}

int bench_obj_prog(struct bpf_object *obj, const char *name)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, name);

	if (!prog) {
		fprintf(stderr, "bench: no program %s\n", name);
		exit(1);
	}
	return bpf_program__fd(prog);
}

int bench_obj_map(struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);

	if (!map) {
		fprintf(stderr, "bench: no map %s\n", name);
		exit(1);
	}
	return bpf_map__fd(map);
}

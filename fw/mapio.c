// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "mapio.h"

#define FW_DUMP_CHUNK 16384

static int fw_grow(void **buf, size_t *cap, size_t need, size_t elem)
{
	void *grown;

	if (need <= *cap)
		return 0;
	while (*cap < need)
		*cap = *cap ? *cap * 2 : FW_DUMP_CHUNK;
	grown = realloc(*buf, *cap * elem);
	if (!grown)
		return -ENOMEM;
	*buf = grown;
	return 0;
}

int fw_map_dump(int fd, size_t key_size, size_t value_size, void **keys, void **values,
		size_t *count)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	size_t key_cap = 0, value_cap = 0, n = 0;
	uint64_t token[8];
	bool first = true;
	int err = 0;

	*keys = NULL;
	*values = NULL;
	for (;;) {
		__u32 chunk = FW_DUMP_CHUNK;
		bool done;
		int ret;

		err = fw_grow(keys, &key_cap, n + chunk, key_size);
		if (!err)
			err = fw_grow(values, &value_cap, n + chunk, value_size);
		if (err)
			break;
		ret = bpf_map_lookup_batch(fd, first ? NULL : token, token,
					   (uint8_t *)*keys + n * key_size,
					   (uint8_t *)*values + n * value_size, &chunk, &opts);
		done = ret && errno == ENOENT;
		if (ret && !done) {
			err = -errno;
			break;
		}
		first = false;
		n += chunk;
		if (done)
			break;
	}
	if (err) {
		free(*keys);
		free(*values);
		*keys = *values = NULL;
		n = 0;
	}
	*count = n;
	return err;
}

int fw_map_write(int fd, const void *keys, const void *values, size_t count)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = BPF_ANY);
	__u32 n = count;

	if (!count)
		return 0;
	return bpf_map_update_batch(fd, keys, values, &n, &opts) ? -errno : 0;
}

int fw_map_delete(int fd, const void *keys, size_t count)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 n = count;

	if (!count)
		return 0;
	return bpf_map_delete_batch(fd, keys, &n, &opts) ? -errno : 0;
}

int fw_map_clear(int fd)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	struct bpf_map_info info = { 0 };
	__u32 info_len = sizeof(info);
	void *keys = NULL, *values = NULL;
	uint64_t token[8];
	bool first = true;
	int err = 0;

	if (bpf_obj_get_info_by_fd(fd, &info, &info_len))
		return -errno;
	keys = malloc((size_t)FW_DUMP_CHUNK * info.key_size);
	values = malloc((size_t)FW_DUMP_CHUNK * info.value_size);
	if (!keys || !values)
		err = -ENOMEM;
	while (!err) {
		__u32 chunk = FW_DUMP_CHUNK;

		if (!bpf_map_lookup_and_delete_batch(fd, first ? NULL : token, token, keys, values,
						     &chunk, &opts)) {
			first = false;
			continue;
		}
		if (errno != ENOENT)
			err = -errno;
		break;
	}
	free(keys);
	free(values);
	return err;
}

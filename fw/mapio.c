// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "mapio.h"

#define FW_DUMP_CHUNK 16384
#define FW_WRITE_SPLIT_MIN 65536 /* below this, threads cost more than they save */
#define FW_WRITE_THREADS 4

static int fw_map_write_batch(int fd, const void *keys, const void *values, size_t count)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = BPF_ANY);
	__u32 n = count;

	if (!count)
		return 0;
	return bpf_map_update_batch(fd, keys, values, &n, &opts) ? -errno : 0;
}

struct fw_write_part {
	int fd;
	const void *keys;
	const void *values;
	size_t count;
	int err;
	bool threaded;
};

static void *fw_write_part_run(void *arg)
{
	struct fw_write_part *part = arg;

	part->err = fw_map_write_batch(part->fd, part->keys, part->values, part->count);
	return NULL;
}

/*
 * Large batches are split across CPUs: each insert takes its own bucket
 * lock, so writers on different CPUs rarely meet.
 */
int fw_map_write(int fd, const void *keys, const void *values, size_t count)
{
	struct fw_write_part parts[FW_WRITE_THREADS];
	pthread_t threads[FW_WRITE_THREADS];
	struct bpf_map_info info = { 0 };
	__u32 info_len = sizeof(info);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nparts, share, done = 0;
	int err = 0;

	if (count < FW_WRITE_SPLIT_MIN || cpus < 2)
		return fw_map_write_batch(fd, keys, values, count);
	if (bpf_obj_get_info_by_fd(fd, &info, &info_len))
		return -errno;
	nparts = cpus < FW_WRITE_THREADS ? (size_t)cpus : FW_WRITE_THREADS;
	share = (count + nparts - 1) / nparts;
	for (size_t i = 0; i < nparts; i++) {
		size_t n = count - done < share ? count - done : share;

		parts[i] = (struct fw_write_part){
			.fd = fd,
			.keys = (const uint8_t *)keys + done * info.key_size,
			.values = (const uint8_t *)values + done * info.value_size,
			.count = n,
		};
		done += n;
	}
	for (size_t i = 1; i < nparts; i++) {
		parts[i].threaded = !pthread_create(&threads[i], NULL, fw_write_part_run, &parts[i]);
		if (!parts[i].threaded)
			fw_write_part_run(&parts[i]);
	}
	fw_write_part_run(&parts[0]);
	for (size_t i = 0; i < nparts; i++) {
		if (parts[i].threaded)
			pthread_join(threads[i], NULL);
		err = err ?: parts[i].err;
	}
	return err;
}

int fw_map_delete(int fd, const void *keys, size_t count)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 n = count;

	if (!count)
		return 0;
	return bpf_map_delete_batch(fd, keys, &n, &opts) ? -errno : 0;
}

/* Room for at least one more chunk of entries; grown by doubling. */
static int fw_dump_grow(void **keys, void **values, size_t key_size, size_t value_size,
			size_t count, size_t *room)
{
	size_t want = *room;
	void *k, *v;

	while (want < count + FW_DUMP_CHUNK)
		want = want ? want * 2 : FW_DUMP_CHUNK;
	if (want == *room)
		return 0;
	k = realloc(*keys, want * key_size);
	if (k)
		*keys = k;
	v = realloc(*values, want * value_size);
	if (v)
		*values = v;
	if (!k || !v)
		return -ENOMEM;
	*room = want;
	return 0;
}

int fw_map_dump(int fd, size_t key_size, size_t value_size, void **keys, void **values,
		size_t *count)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	uint64_t token[8]; /* a bucket number, or a key for the generic batch of tries and arrays */
	size_t room = 0, n = 0;
	bool first = true;
	int err = 0;

	*keys = NULL;
	*values = NULL;
	while (!err) {
		__u32 chunk = FW_DUMP_CHUNK;

		err = fw_dump_grow(keys, values, key_size, value_size, n, &room);
		if (err)
			break;
		if (!bpf_map_lookup_batch(fd, first ? NULL : token, token,
					  (uint8_t *)*keys + n * key_size,
					  (uint8_t *)*values + n * value_size, &chunk, &opts)) {
			n += chunk;
			first = false;
			continue;
		}
		err = errno == ENOENT ? 0 : -errno;
		n += chunk; /* the last batch ends with ENOENT and what it read */
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

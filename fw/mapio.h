/* SPDX-License-Identifier: GPL-2.0 */
/* Batch writes and deletes, and whole-map clears. */
#ifndef FW_MAPIO_H
#define FW_MAPIO_H

#include <stddef.h>

int fw_map_write(int fd, const void *keys, const void *values, size_t count);
/* Deletes these keys, every one of which the map holds. */
int fw_map_delete(int fd, const void *keys, size_t count);
/*
 * Reads every entry of a map (hash, LPM trie or array) in batches: *keys and
 * *values are malloc'd arrays of *count entries of key_size and value_size.
 */
int fw_map_dump(int fd, size_t key_size, size_t value_size, void **keys, void **values,
		size_t *count);
/* Deletes every entry of a hash map. */
int fw_map_clear(int fd);

#endif /* FW_MAPIO_H */

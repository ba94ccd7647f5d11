/* SPDX-License-Identifier: GPL-2.0 */
/* Whole-map reads and batch writes. */
#ifndef FW_MAPIO_H
#define FW_MAPIO_H

#include <stddef.h>

/* Reads every entry of a hash map; the caller frees *keys and *values. */
int fw_map_dump(int fd, size_t key_size, size_t value_size, void **keys, void **values,
		size_t *count);
int fw_map_write(int fd, const void *keys, const void *values, size_t count);
int fw_map_delete(int fd, const void *keys, size_t count);
/* Deletes every entry of a hash map. */
int fw_map_clear(int fd);

#endif /* FW_MAPIO_H */

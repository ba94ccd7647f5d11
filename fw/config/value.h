/* SPDX-License-Identifier: GPL-2.0 */
/* The value layer: what a scalar means, and which keys a mapping holds. Internal to fw/config/. */
#ifndef FW_CONFIG_VALUE_H
#define FW_CONFIG_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "nodes.h"

#define CFG_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The words of an enum: names[value], listed in messages in the order given. */
struct cfg_words {
	const char *const *names; /* indexed by value */
	const int *order;         /* the values a config may name, most useful first */
	size_t count;             /* of order */
};

const char *cfg_kind_name(const struct cfg_node *n);
bool cfg_is_null(const struct cfg_node *n);
bool cfg_is_text(const struct cfg_node *n);
const struct cfg_node *cfg_find(const struct cfg_node *map, const char *key);
bool cfg_text(struct cfg_diags *d, const struct cfg_node *n, const struct cfg_ctx *ctx,
	      const char *key);
/* true or false (YAML 1.1 also reads yes/no, on/off as booleans); false once reported. */
bool cfg_bool(struct cfg_diags *d, const struct cfg_node *n, const struct cfg_ctx *ctx,
	      const char *key, bool *out);
bool cfg_uint(struct cfg_diags *d, const struct cfg_node *n, const struct cfg_ctx *ctx,
	      const char *key, uint32_t min, uint32_t max, uint32_t *out);
bool cfg_enum(struct cfg_diags *d, const struct cfg_node *n, const struct cfg_ctx *ctx,
	      const char *key, const struct cfg_words *words, int *out);
/* A duration (fw_duration_parse()) from min to max ns; false once reported. */
bool cfg_duration(struct cfg_diags *d, const struct cfg_node *n, const struct cfg_ctx *ctx,
		  const char *key, uint64_t min, uint64_t max, uint64_t *out);
/* Whether len bytes make a valid rule or set name. */
bool cfg_name_valid(const char *name, size_t len);
/* A rule's or a set's name: 1-63 letters, digits and _ . : -; false once reported. */
bool cfg_name(struct cfg_diags *d, const struct cfg_node *n, const struct cfg_ctx *ctx,
	      const char *key);
/* values[k] is the value of known[k], or NULL; other keys are reported. */
void cfg_fields(struct cfg_diags *d, const struct cfg_node *map, const struct cfg_ctx *ctx,
		const char *const *known, size_t nknown, const struct cfg_node **values);
const char *cfg_suggest(const char *word, const char *const *known, size_t nknown);
void cfg_unknown_key(struct cfg_diags *d, const struct cfg_node *key, const struct cfg_ctx *ctx,
		     const char *const *known, size_t nknown);

#endif /* FW_CONFIG_VALUE_H */

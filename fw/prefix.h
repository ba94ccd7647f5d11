/* SPDX-License-Identifier: GPL-2.0 */
/* Addresses and prefixes in the 16-byte form rules use: parse, mask, compare, print. */
#ifndef FW_PREFIX_H
#define FW_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ruleset.h"

enum fw_prefix_error {
	FW_PREFIX_OK = 0,
	FW_PREFIX_SYNTAX,    /* neither an address nor address/len */
	FW_PREFIX_BAD_LEN,   /* a length past 32 (IPv4) or 128 (IPv6), or not a number */
	FW_PREFIX_ZERO_LEN,  /* /0 (::ffff:0:0/96 too, IPv4's): leave src out instead */
	FW_PREFIX_HOST_BITS, /* bits set past the length; out holds the masked prefix */
};

/*
 * Parses "198.18.0.1", "198.18.0.0/15", "2001:2::/48" (len bytes of text,
 * not necessarily NUL-terminated). On FW_PREFIX_HOST_BITS, out holds the
 * prefix with the host bits cleared, to suggest.
 */
enum fw_prefix_error fw_prefix_parse(const char *text, size_t len, struct fw_prefix *out);

/* Clears the bits of addr past len (a fw_prefix len, 0-128). */
void fw_prefix_mask(uint8_t addr[16], unsigned int len);

/* Whether addr (16-byte form) lies inside p. */
bool fw_prefix_contains(const struct fw_prefix *p, const uint8_t addr[16]);

static inline bool fw_prefix_is_v4(const struct fw_prefix *p)
{
	return p->len >= 96 && fw_addr_is_v4_mapped(p->addr);
}

/* "198.18.0.0/15", "2001:2::/48"; one address prints without a length. */
#define FW_PREFIX_TEXT_MAX 64
const char *fw_prefix_format(const struct fw_prefix *p, char buf[FW_PREFIX_TEXT_MAX]);

/* The length as written: IPv4 prefixes count 0-32. */
static inline unsigned int fw_prefix_written_len(const struct fw_prefix *p)
{
	return fw_prefix_is_v4(p) ? p->len - 96u : p->len;
}

#endif /* FW_PREFIX_H */

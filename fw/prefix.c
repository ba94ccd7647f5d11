// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "prefix.h"

void fw_prefix_mask(uint8_t addr[16], unsigned int len)
{
	for (unsigned int byte = 0; byte < 16; byte++) {
		unsigned int keep = len > byte * 8 ? len - byte * 8 : 0;

		if (keep < 8)
			addr[byte] &= (uint8_t)(0xff00u >> keep);
	}
}

bool fw_prefix_contains(const struct fw_prefix *p, const uint8_t addr[16])
{
	uint8_t masked[16];

	memcpy(masked, addr, sizeof(masked));
	fw_prefix_mask(masked, p->len);
	return !memcmp(masked, p->addr, sizeof(masked));
}

static bool fw_prefix_len_parse(const char *text, unsigned int max, unsigned int *len)
{
	unsigned int value = 0;

	if (!*text || strlen(text) > 3)
		return false;
	for (; *text; text++) {
		if (*text < '0' || *text > '9')
			return false;
		value = value * 10 + (unsigned int)(*text - '0');
	}
	*len = value;
	return value <= max;
}

enum fw_prefix_error fw_prefix_parse(const char *text, size_t len, struct fw_prefix *out)
{
	char buf[FW_PREFIX_TEXT_MAX];
	char *slash;
	struct in6_addr v6;
	struct in_addr v4;
	unsigned int bits = 0, max, base;
	uint8_t masked[16];

	memset(out, 0, sizeof(*out));
	if (len == 0 || len >= sizeof(buf))
		return FW_PREFIX_SYNTAX;
	memcpy(buf, text, len);
	buf[len] = '\0';
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (inet_pton(AF_INET, buf, &v4) == 1) {
		fw_addr_from_ipv4(out->addr, &v4);
		max = 32;
		base = 96;
	} else if (inet_pton(AF_INET6, buf, &v6) == 1) {
		memcpy(out->addr, &v6, sizeof(out->addr));
		max = 128;
		base = 0;
	} else {
		return FW_PREFIX_SYNTAX;
	}
	bits = max;
	if (slash && !fw_prefix_len_parse(slash + 1, max, &bits))
		return FW_PREFIX_BAD_LEN;
	out->len = (uint8_t)(base + bits);
	/* ::ffff:0:0/96 is IPv4's /0 written as IPv6. */
	if (bits == 0 || (fw_prefix_is_v4(out) && out->len == 96))
		return FW_PREFIX_ZERO_LEN;
	memcpy(masked, out->addr, sizeof(masked));
	fw_prefix_mask(masked, out->len);
	if (memcmp(masked, out->addr, sizeof(masked))) {
		memcpy(out->addr, masked, sizeof(masked));
		return FW_PREFIX_HOST_BITS;
	}
	return FW_PREFIX_OK;
}

const char *fw_prefix_format(const struct fw_prefix *p, char buf[FW_PREFIX_TEXT_MAX])
{
	char addr[INET6_ADDRSTRLEN];
	bool v4 = fw_prefix_is_v4(p);

	if (v4)
		inet_ntop(AF_INET, &p->addr[12], addr, sizeof(addr));
	else
		inet_ntop(AF_INET6, p->addr, addr, sizeof(addr));
	if (p->len == 128)
		snprintf(buf, FW_PREFIX_TEXT_MAX, "%s", addr);
	else
		snprintf(buf, FW_PREFIX_TEXT_MAX, "%s/%u", addr, fw_prefix_written_len(p));
	return buf;
}

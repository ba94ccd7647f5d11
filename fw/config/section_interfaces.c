// SPDX-License-Identifier: GPL-2.0
/* Config parsing: the interfaces section. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hashtab.h"
#include "section.h"

enum cfg_interface_key { IK_NAME, IK_MODE, IK_COUNT };

static const char *const cfg_interface_keys[IK_COUNT] = { "name", "mode" };

static const char *const cfg_mode_names[] = {
	[FW_MODE_AUTO] = "auto",
	[FW_MODE_NATIVE] = "native",
	[FW_MODE_GENERIC] = "generic",
};
static const int cfg_mode_order[] = { FW_MODE_NATIVE, FW_MODE_GENERIC, FW_MODE_AUTO };
static const struct cfg_words cfg_modes = { cfg_mode_names, cfg_mode_order,
					    CFG_COUNT(cfg_mode_order) };

/* What the kernel's dev_valid_name() accepts. */
static bool cfg_interface_name_valid(const char *name, size_t len)
{
	size_t i;

	if (!len || len >= IF_NAMESIZE || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == ':' || isspace((unsigned char)name[i]))
			return false;
	return true;
}

static bool cfg_interface_named(const void *interfaces, uint32_t item, const void *name)
{
	return !strcmp(((const struct fw_interface *)interfaces)[item].name, name);
}

static struct fw_interface *cfg_new_interface(struct cfg_parser *p, const struct cfg_node *item)
{
	struct fw_config *cfg = p->cfg;
	struct fw_interface *iface;

	if (cfg->interface_count == p->interfaces_cap) {
		size_t cap = p->interfaces_cap ? p->interfaces_cap * 2 : 4;
		struct fw_interface *grown = realloc(cfg->interfaces, cap * sizeof(*grown));

		if (!grown) {
			p->diags.err = -ENOMEM;
			return NULL;
		}
		cfg->interfaces = grown;
		p->interfaces_cap = cap;
	}
	iface = &cfg->interfaces[cfg->interface_count++];
	memset(iface, 0, sizeof(*iface));
	iface->mode = FW_MODE_AUTO;
	iface->line = item->line;
	iface->col = item->col;
	return iface;
}

/* Sets the name of iface, list item idx, unless it is invalid or taken (names holds the others). */
static void cfg_interface_name(struct cfg_parser *p, struct fw_interface *iface,
			       const struct cfg_node *name, size_t idx, struct fw_hashtab *names)
{
	const struct cfg_ctx ctx = { .section = "interface", .number = idx + 1 };
	const struct fw_interface *interfaces = p->cfg->interfaces;
	uint32_t self = (uint32_t)(iface - interfaces), first;

	if (!name) {
		cfg_error(&p->diags, iface->line, iface->col,
			  "interface #%zu has no name; add \"name: eth0\" with the device's name",
			  idx + 1);
		return;
	}
	if (!cfg_text(&p->diags, name, &ctx, "name"))
		return;
	if (!cfg_interface_name_valid(name->text, name->len)) {
		cfg_error(&p->diags, name->line, name->col,
			  "interface name \"%s\" is not a valid device name; use 1-15 characters without '/', ':' or spaces",
			  name->text);
		return;
	}
	first = fw_hashtab_add_unique(names, fw_hash_bytes(name->text, name->len), self,
				      cfg_interface_named, interfaces, name->text);
	if (first != self) {
		cfg_error(&p->diags, name->line, name->col,
			  "interface \"%s\" is listed twice (first at line %d); list each interface once",
			  name->text, interfaces[first].line);
		return;
	}
	memcpy(iface->name, name->text, name->len + 1);
}

static void cfg_read_interface(struct cfg_parser *p, const struct cfg_node *item, size_t idx,
			       struct fw_hashtab *names)
{
	struct cfg_ctx ctx = { .section = "interface", .number = idx + 1 };
	const struct cfg_node *values[IK_COUNT], *name;
	struct fw_interface *iface;
	int mode;

	if (item->kind != CFG_MAPPING) {
		if (item->kind != CFG_BROKEN)
			cfg_error(&p->diags, item->line, item->col,
				  "each interface must be a mapping like \"- name: eth0\", found %s",
				  cfg_kind_name(item));
		return;
	}
	iface = cfg_new_interface(p, item);
	if (!iface)
		return;
	name = cfg_find(item, "name");
	cfg_interface_name(p, iface, name, idx, names);
	if (name && cfg_is_text(name) && cfg_interface_name_valid(name->text, name->len))
		ctx.name = name->text;
	cfg_fields(&p->diags, item, &ctx, cfg_interface_keys, IK_COUNT, values);
	if (values[IK_MODE] && cfg_enum(&p->diags, values[IK_MODE], &ctx, "mode", &cfg_modes, &mode))
		iface->mode = (enum fw_xdp_mode)mode;
}

void cfg_read_interfaces(struct cfg_parser *p, const struct cfg_node *list)
{
	struct fw_hashtab names; /* the named interfaces, to find one listed twice */
	size_t i;
	int err;

	if (list->kind != CFG_SEQUENCE) {
		cfg_error(&p->diags, list->line, list->col,
			  "interfaces must be a list like \"- name: eth0\", found %s",
			  cfg_kind_name(list));
		return;
	}
	err = fw_hashtab_init(&names, list->nkids);
	if (err) {
		p->diags.err = err;
		return;
	}
	for (i = 0; i < list->nkids && !p->diags.err; i++)
		cfg_read_interface(p, list->kids[i], i, &names);
	fw_hashtab_free(&names);
}


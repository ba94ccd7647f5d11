// SPDX-License-Identifier: GPL-2.0
/* `xdpfw sets`: the named sets in force, their sizes, files and the rules that use them. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "identity.h"
#include "set_info.h"
#include "show.h"
#include "text.h"

/* The rules of the set in force that name a set, grouped by it, in config order. */
struct fw_set_users {
	struct fw_rule_info *infos;
	size_t count;
};

static int fw_user_cmp(const void *a, const void *b)
{
	const struct fw_rule_info *x = a, *y = b;

	if (x->set_id != y->set_id)
		return x->set_id < y->set_id ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return strncmp(x->name, y->name, sizeof(x->name));
}

static int fw_set_users_read(const struct fw_datapath *dp, uint32_t active,
			     struct fw_set_users *users)
{
	uint32_t *ids = NULL;
	size_t all = 0;
	int err = fw_rule_infos_dump(dp, &ids, &users->infos, &all);

	free(ids);
	users->count = 0;
	for (size_t i = 0; i < all && !err; i++)
		if ((users->infos[i].sets & (1u << active)) && users->infos[i].has_src &&
		    users->infos[i].set_id)
			users->infos[users->count++] = users->infos[i];
	if (!err)
		qsort(users->infos, users->count, sizeof(*users->infos), fw_user_cmp);
	return err;
}

/* The users of set_id: a run of users->infos, from *at on. */
static size_t fw_set_users_of(const struct fw_set_users *users, uint32_t set_id, size_t *at)
{
	size_t n = 0;

	while (*at < users->count && users->infos[*at].set_id < set_id)
		(*at)++;
	while (*at + n < users->count && users->infos[*at + n].set_id == set_id)
		n++;
	return n;
}

static struct json_object *fw_set_json(const struct fw_set_info *set,
				       const struct fw_rule_info *users, size_t n)
{
	struct json_object *obj = json_object_new_object(), *rules = json_object_new_array();

	if (!obj || !rules) {
		json_object_put(obj);
		json_object_put(rules);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		json_object_array_add(rules, json_object_new_string_len(
						     users[i].name,
						     (int)strnlen(users[i].name, sizeof(users[i].name))));
	json_object_object_add(obj, "name", json_object_new_string_len(
						    set->name, (int)fw_set_info_name_len(set)));
	json_object_object_add(obj, "file", set->file[0] ? json_object_new_string_len(
								   set->file,
								   (int)fw_set_info_file_len(set))
							 : NULL);
	json_object_object_add(obj, "line", json_object_new_int64(set->line));
	json_object_object_add(obj, "ipv4", json_object_new_int64(set->v4));
	json_object_object_add(obj, "ipv6", json_object_new_int64(set->v6));
	json_object_object_add(obj, "elements", json_object_new_uint64(fw_set_info_elements(set)));
	json_object_object_add(obj, "rules", rules);
	return obj;
}

static int fw_sets_json(FILE *out, const struct fw_set_info *sets,
			const struct fw_set_users *users)
{
	struct json_object *doc = json_object_new_array();
	size_t at = 0;

	if (!doc)
		return -ENOMEM;
	for (uint32_t i = 0; i < FW_MAX_NAMED_SETS; i++) {
		size_t n = fw_set_users_of(users, i + 1, &at);
		struct json_object *obj;

		if (!sets[i].name[0])
			continue;
		obj = fw_set_json(&sets[i], &users->infos[at], n);
		if (!obj) {
			json_object_put(doc);
			return -ENOMEM;
		}
		json_object_array_add(doc, obj);
	}
	if (fw_json_print(out, doc, JSON_C_TO_STRING_PRETTY))
		return -ENOMEM;
	fputc('\n', out);
	return 0;
}

/* Where the set's elements come from: its list file, or the config's `elements:`. */
static const char *fw_set_origin(const struct fw_set_info *set, char *buf, size_t size)
{
	char file[FW_ESCAPED_SIZE(FW_SET_FILE_MAX)];

	if (set->file[0])
		snprintf(buf, size, "%s", fw_escape(file, sizeof(file), set->file,
						    fw_set_info_file_len(set)));
	else
		snprintf(buf, size, "elements: at line %u", set->line);
	return buf;
}

/* The users' names, escaped, comma-separated; "-" for none. */
static void fw_users_print(FILE *out, const struct fw_rule_info *users, size_t n)
{
	char name[FW_ESCAPED_SIZE(FW_RULE_NAME_MAX)];

	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? ", " : "",
			fw_escape(name, sizeof(name), users[i].name,
				  strnlen(users[i].name, sizeof(users[i].name))));
	fputs(n ? "\n" : "-\n", out);
}

static void fw_sets_table(FILE *out, const struct fw_set_info *sets,
			  const struct fw_set_users *users)
{
	char name[FW_ESCAPED_SIZE(FW_RULE_NAME_MAX)], origin[FW_ESCAPED_SIZE(FW_SET_FILE_MAX)];
	int name_w = 4, origin_w = 4;
	size_t count = 0, at = 0;

	for (uint32_t i = 0; i < FW_MAX_NAMED_SETS; i++) {
		int len;

		if (!sets[i].name[0])
			continue;
		count++;
		len = (int)strlen(fw_escape(name, sizeof(name), sets[i].name,
					    fw_set_info_name_len(&sets[i])));
		name_w = len > name_w ? len : name_w;
		len = (int)strlen(fw_set_origin(&sets[i], origin, sizeof(origin)));
		origin_w = len > origin_w ? len : origin_w;
	}
	fprintf(out, "%zu sets in force\n\n", count);
	fprintf(out, "%-*s  %10s  %10s  %-*s  %s\n", name_w, "NAME", "IPV4", "IPV6", origin_w,
		"FROM", "RULES");
	for (uint32_t i = 0; i < FW_MAX_NAMED_SETS; i++) {
		size_t n = fw_set_users_of(users, i + 1, &at);

		if (!sets[i].name[0])
			continue;
		fprintf(out, "%-*s  %10u  %10u  %-*s  ", name_w,
			fw_escape(name, sizeof(name), sets[i].name, fw_set_info_name_len(&sets[i])),
			sets[i].v4, sets[i].v6, origin_w,
			fw_set_origin(&sets[i], origin, sizeof(origin)));
		fw_users_print(out, &users->infos[at], n);
	}
}

int fw_show_sets(FILE *out, const struct fw_datapath *dp, bool json)
{
	struct fw_set_info *sets = calloc(FW_MAX_NAMED_SETS, sizeof(*sets));
	struct fw_set_users users = { 0 };
	uint32_t word = 0;
	int err = sets ? fw_param_read(dp, FW_PARAM_ACTIVE, &word) : -ENOMEM;

	if (!err)
		err = fw_set_infos_read(dp, word & FW_ACTIVE_SET, sets);
	if (!err)
		err = fw_set_users_read(dp, word & FW_ACTIVE_SET, &users);
	if (!err && json)
		err = fw_sets_json(out, sets, &users);
	else if (!err)
		fw_sets_table(out, sets, &users);
	free(users.infos);
	free(sets);
	return err;
}

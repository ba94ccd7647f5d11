// SPDX-License-Identifier: GPL-2.0
/* Config parsing: what the config was read from, for `run --watch` (struct fw_config_sources). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "section.h"

static bool cfg_push_path(struct cfg_parser *p, char ***list, size_t *count, size_t *cap,
			  const char *path)
{
	char *copy = strdup(path);

	if (copy && *count == *cap) {
		size_t grown_cap = *cap ? *cap * 2 : 8;
		char **grown = realloc(*list, grown_cap * sizeof(*grown));

		if (!grown) {
			free(copy);
			copy = NULL;
		} else {
			*list = grown;
			*cap = grown_cap;
		}
	}
	if (!copy) {
		p->diags.err = -ENOMEM;
		return false;
	}
	(*list)[(*count)++] = copy;
	return true;
}

bool cfg_source_file(struct cfg_parser *p, const char *path)
{
	struct fw_config_sources *s = &p->cfg->sources;

	return cfg_push_path(p, &s->files, &s->file_count, &p->files_cap, path);
}

const char *fw_config_file_name(const struct fw_config *cfg, uint16_t defined_in)
{
	if (defined_in && defined_in < cfg->sources.file_count)
		return cfg->sources.files[defined_in];
	return cfg->path;
}

bool cfg_source_pattern(struct cfg_parser *p, const char *pattern)
{
	struct fw_config_sources *s = &p->cfg->sources;

	return cfg_push_path(p, &s->patterns, &s->pattern_count, &p->patterns_cap, pattern);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `xdpfw explain ADDR [PORT[/PROTO] | PROTO]`: which rule decides for such a
 * packet (or a ban), at which precedence step, through which prefix or set
 * element, and a limit rule's limit; from a config (fw_classify_explain())
 * or from the maps in force (fw_lookup_packet()).
 */
#ifndef FW_EXPLAIN_H
#define FW_EXPLAIN_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include "classify.h"
#include "datapath.h"
#include "prefix.h"
#include "text.h"

/* The packet asked about. */
struct fw_explain_query {
	struct fw_frame_facts pkt; /* kind FW_FRAME_IP, never a fragment; tcp_syn for PORT/syn */
	bool ipv6;                 /* an IPv6 packet, from a v4-mapped source too */
};

/*
 * Reads ADDR and the optional PORT[/PROTO] or PROTO (args[0], args[1] or
 * NULL); PORT/syn is a TCP SYN (SYN set, ACK clear). Says what is wrong
 * and returns -EINVAL for a bad argument.
 */
int fw_explain_parse(const char *addr, const char *port, struct fw_explain_query *q);

/* Room for a list file's path, escaped, and the words around it. */
#define FW_EXPLAIN_NOTE_MAX (FW_ESCAPED_SIZE(FW_SET_FILE_MAX) + 512)

struct fw_explain_answer {
	enum fw_stat reason;                /* the stat slot: the verdict and who gave it */
	bool by_rule;
	char rule[FW_RULE_NAME_MAX + 1];
	uint32_t rule_line;                 /* where the config defines it; 0 = not known */
	char rule_file[PATH_MAX];           /* the included file defining it; empty: the config */
	int step;                           /* DESIGN §1's 1-7, 8 = default_action */
	bool has_prefix;
	struct fw_prefix prefix;            /* the rule's prefix, or its set's element, that matched */
	bool has_set;
	char set[FW_RULE_NAME_MAX + 1];
	char file[PATH_MAX];                /* where the element is written: list file or config */
	uint32_t line;                      /* its line there; 0 = not known */
	char note[FW_EXPLAIN_NOTE_MAX];     /* why the element is not known, or may be stale */
	bool from_config;                   /* read from a config, else from the maps in force */
	char source[PATH_MAX];              /* the config's path, or the pin dir */
	bool banned;                        /* a ban decides (maps only): step 0, prefix is it */
	char ban_origin[FW_RULE_NAME_MAX + 1];
	uint64_t ban_expires_in;            /* ns from now; 0 = until unbanned */
	uint64_t ban_age;                   /* ns since it was made */
	bool has_limit;                     /* the rule has a limit */
	struct fw_rule_limit limit;
	bool limit_now;                     /* from the maps: reason is what a packet now meets */
};

/* As the config at path decides; prints its errors to stderr. -EINVAL: invalid config. */
int fw_explain_config(const char *path, const struct fw_explain_query *q,
		      struct fw_explain_answer *a);

/* As the maps in force decide: the datapath's own lookup, replayed. */
int fw_explain_maps(const struct fw_datapath *dp, const char *pin_dir,
		    const struct fw_explain_query *q, struct fw_explain_answer *a);

int fw_explain_print(FILE *out, const struct fw_explain_query *q,
		     const struct fw_explain_answer *a, bool json);

/* The precedence step a rule decides at, from its match: 1-7. */
int fw_explain_step(bool has_src, bool has_port, bool has_proto);

/* "a ban, before every rule", "source prefix + port + proto" ... "default_action": steps 0-8. */
const char *fw_explain_step_text(int step);

#endif /* FW_EXPLAIN_H */

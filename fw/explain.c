// SPDX-License-Identifier: GPL-2.0
/* `xdpfw explain`: the query, the answer from a config, and how both print. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "config.h"
#include "explain.h"
#include "duration.h"
#include "limit_text.h"
#include "log.h"
#include "names.h"
#include "show.h"
#include "text.h"

/* What a packet can carry, by enum fw_proto: "any" is a rule's word, never a packet's. */
static const char *const fw_packet_protos[FW_PROTO_COUNT] = {
	[FW_PROTO_TCP] = "tcp",   [FW_PROTO_UDP] = "udp",       [FW_PROTO_ICMP] = "icmp",
	[FW_PROTO_ICMPV6] = "icmpv6", [FW_PROTO_OTHER] = "other",
};

static const char *const fw_step_texts[] = {
	[0] = "a ban, before every rule",
	[1] = "source prefix + port + proto",
	[2] = "source prefix + port",
	[3] = "source prefix + proto",
	[4] = "source prefix",
	[5] = "port + proto",
	[6] = "port",
	[7] = "proto",
	[8] = "default_action",
};

int fw_explain_step(bool has_src, bool has_port, bool has_proto)
{
	return 1 + (has_src ? 0 : 4) + (has_port ? 0 : 2) + (has_proto ? 0 : 1);
}

const char *fw_explain_step_text(int step)
{
	return step >= 0 && step <= 8 ? fw_step_texts[step] : "?";
}

static int fw_packet_proto(const char *word, size_t len)
{
	for (int p = FW_PROTO_TCP; p < FW_PROTO_COUNT; p++)
		if (fw_packet_protos[p] && strlen(fw_packet_protos[p]) == len && !strncmp(word, fw_packet_protos[p], len))
			return p;
	return -1;
}

/* A decimal port, 1-65535, nothing else; 0 if text is not one. */
static uint16_t fw_port_number(const char *text, size_t len)
{
	unsigned long port = 0;

	if (!len || len > 5)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return 0;
		port = port * 10 + (unsigned long)(text[i] - '0');
	}
	return port <= 65535 ? (uint16_t)port : 0;
}

/* PORT, PORT/tcp, PORT/udp, PORT/syn, or a protocol without ports: icmp, icmpv6, other. */
static int fw_explain_parse_port(const char *text, struct fw_explain_query *q)
{
	const char *slash = strchr(text, '/');
	bool numeric = text[0] >= '0' && text[0] <= '9';
	size_t number_len = slash ? (size_t)(slash - text) : numeric ? strlen(text) : 0;
	const char *word = slash ? slash + 1 : numeric ? "tcp" : text;
	bool syn = !strcmp(word, "syn");
	int proto = syn ? FW_PROTO_TCP : fw_packet_proto(word, strlen(word));
	char shown[FW_ESCAPED_SIZE(64)];

	fw_escape(shown, sizeof(shown), text, strnlen(text, 64));
	if (proto < 0 || (!numeric && slash)) {
		fw_error("explain: \"%s\" is none of PORT, PORT/tcp, PORT/udp, PORT/syn, icmp, "
			 "icmpv6 and other", shown);
		return -EINVAL;
	}
	if (syn && !number_len) {
		fw_error("explain: a SYN is a TCP packet, which has a port; write PORT/syn, as in "
			 "22/syn");
		return -EINVAL;
	}
	q->pkt.tcp_syn = syn;
	if (number_len && proto != FW_PROTO_TCP && proto != FW_PROTO_UDP) {
		fw_error("explain: %s carries no port; write %s alone", fw_packet_protos[proto],
			 fw_packet_protos[proto]);
		return -EINVAL;
	}
	if (!number_len && (proto == FW_PROTO_TCP || proto == FW_PROTO_UDP)) {
		fw_error("explain: a %s packet has a port; write PORT/%s, as in 22/%s",
			 fw_packet_protos[proto], fw_packet_protos[proto], fw_packet_protos[proto]);
		return -EINVAL;
	}
	q->pkt.proto = (uint8_t)proto;
	if (number_len && !(q->pkt.dport = fw_port_number(text, number_len))) {
		fw_error("explain: \"%s\": the port must be a number from 1 to 65535", shown);
		return -EINVAL;
	}
	return 0;
}

int fw_explain_parse(const char *addr, const char *port, struct fw_explain_query *q)
{
	char shown[FW_ESCAPED_SIZE(64)];
	struct fw_prefix p;

	memset(q, 0, sizeof(*q));
	fw_escape(shown, sizeof(shown), addr, strnlen(addr, 64));
	if (strchr(addr, '/') || fw_prefix_parse(addr, strlen(addr), &p) != FW_PREFIX_OK) {
		fw_error("explain: \"%s\" is not an IPv4 or IPv6 address%s", shown,
			 strchr(addr, '/') ? "; give one address of the prefix" : "");
		return -EINVAL;
	}
	q->pkt.kind = FW_FRAME_IP;
	memcpy(q->pkt.src, p.addr, sizeof(q->pkt.src));
	/* The datapath reads ::ffff:a.b.c.d as a.b.c.d, but the packet is still IPv6. */
	q->ipv6 = strchr(addr, ':') != NULL;
	q->pkt.proto = q->ipv6 ? FW_PROTO_ICMPV6 : FW_PROTO_ICMP;
	if (port && fw_explain_parse_port(port, q))
		return -EINVAL;
	if (q->pkt.proto == (q->ipv6 ? FW_PROTO_ICMP : FW_PROTO_ICMPV6)) {
		fw_error("explain: %s travels in %s; for %s write %s", fw_packet_protos[q->pkt.proto],
			 q->ipv6 ? "IPv4" : "IPv6", shown, q->ipv6 ? "icmpv6" : "icmp");
		return -EINVAL;
	}
	return 0;
}

static void fw_answer_copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

int fw_explain_config(const char *path, const struct fw_explain_query *q,
		      struct fw_explain_answer *a)
{
	struct fw_config cfg = { 0 };
	struct fw_explanation x;
	int err = fw_config_load(path, &cfg, stderr);

	if (err)
		return err;
	memset(a, 0, sizeof(*a));
	a->from_config = true;
	fw_answer_copy(a->source, sizeof(a->source), path);
	x = fw_classify_explain(&cfg.rules, &q->pkt);
	a->reason = x.verdict.reason;
	a->step = x.step;
	if (x.verdict.rule >= 0) {
		const struct fw_rule *r = &cfg.rules.rules[x.verdict.rule];

		a->by_rule = true;
		fw_answer_copy(a->rule, sizeof(a->rule), r->name);
		a->rule_line = r->line > 0 ? (uint32_t)r->line : 0;
		if (r->defined_in)
			fw_answer_copy(a->rule_file, sizeof(a->rule_file),
				       fw_config_file_name(&cfg, r->defined_in));
		a->has_limit = r->limit.interval != 0;
		a->limit = r->limit;
	}
	a->has_prefix = x.matched.len > 0;
	a->prefix = x.matched;
	if (x.set >= 0 && (size_t)x.set < cfg.rules.set_count) {
		const struct fw_set *set = &cfg.rules.sets[x.set];

		a->has_set = true;
		fw_answer_copy(a->set, sizeof(a->set), set->name);
		fw_answer_copy(a->file, sizeof(a->file),
			       set->file ? set->file : fw_config_file_name(&cfg, set->defined_in));
		if (x.element >= 0 && (size_t)x.element < set->count)
			a->line = set->elements[x.element].line;
	}
	fw_config_free(&cfg);
	return 0;
}

static const char *fw_query_addr(const struct fw_explain_query *q, char buf[INET6_ADDRSTRLEN])
{
	if (q->ipv6)
		return inet_ntop(AF_INET6, q->pkt.src, buf, INET6_ADDRSTRLEN);
	return inet_ntop(AF_INET, &q->pkt.src[12], buf, INET6_ADDRSTRLEN);
}

static const char *fw_verdict_word(const struct fw_explain_answer *a)
{
	return fw_stat_is_drop(a->reason) ? "drop" : "pass";
}

static const char *fw_decider(const struct fw_explain_answer *a)
{
	return a->banned ? "ban" : a->by_rule ? "rule" : "default";
}

/* What the limit does to the packet: within it now, over it now, or (a config) either. */
static const char *fw_limit_effect(const struct fw_explain_answer *a)
{
	if (!a->limit_now)
		return "packets within it pass, the excess drops";
	if (a->reason != FW_STAT_DROP_LIMIT)
		return "a packet now is within it, and passes";
	return a->limit.ban_for ? "a packet now is over it: it drops, and its source is banned"
				: "a packet now is over it, and drops";
}

/* Seconds, for JSON; null when none. */
static struct json_object *fw_json_seconds(uint64_t ns)
{
	return ns ? json_object_new_double((double)ns / 1e9) : NULL;
}

static struct json_object *fw_ban_json(const struct fw_explain_answer *a)
{
	struct json_object *obj = json_object_new_object();
	char prefix[FW_PREFIX_TEXT_MAX];

	if (!obj)
		return NULL;
	json_object_object_add(obj, "prefix", json_object_new_string(
						      fw_prefix_format(&a->prefix, prefix)));
	json_object_object_add(obj, "origin", json_object_new_string(a->ban_origin));
	json_object_object_add(obj, "expires_in", fw_json_seconds(a->ban_expires_in));
	json_object_object_add(obj, "age", json_object_new_double((double)a->ban_age / 1e9));
	return obj;
}

static struct json_object *fw_json_text(const char *text)
{
	return text && *text ? json_object_new_string(text) : NULL;
}

static int fw_explain_json(FILE *out, const struct fw_explain_query *q,
			   const struct fw_explain_answer *a)
{
	struct json_object *doc = json_object_new_object();
	char addr[INET6_ADDRSTRLEN], prefix[FW_PREFIX_TEXT_MAX];

	if (!doc)
		return -ENOMEM;
	json_object_object_add(doc, "address", json_object_new_string(fw_query_addr(q, addr)));
	json_object_object_add(doc, "port", q->pkt.dport ? json_object_new_int(q->pkt.dport) : NULL);
	json_object_object_add(doc, "proto", json_object_new_string(fw_packet_protos[q->pkt.proto]));
	if (q->pkt.tcp_syn)
		json_object_object_add(doc, "tcp_flags", json_object_new_string("syn"));
	json_object_object_add(doc, "verdict", json_object_new_string(fw_verdict_word(a)));
	json_object_object_add(doc, "reason", json_object_new_string(fw_stat_name(a->reason)));
	json_object_object_add(doc, "decided_by", json_object_new_string(fw_decider(a)));
	json_object_object_add(doc, "rule", json_object_new_string(a->by_rule ? a->rule
									       : fw_decider(a)));
	if (a->banned)
		json_object_object_add(doc, "ban", fw_ban_json(a));
	if (a->has_limit) {
		fw_limit_json_add(doc, &a->limit);
		if (a->limit_now)
			json_object_object_add(doc, "within_limit", json_object_new_boolean(
						   a->reason != FW_STAT_DROP_LIMIT));
	}
	json_object_object_add(doc, "line", a->rule_line ? json_object_new_int64(a->rule_line)
							 : NULL);
	if (a->from_config)
		json_object_object_add(doc, "rule_file", a->by_rule ? fw_json_text(
						       a->rule_file[0] ? a->rule_file : a->source) : NULL);
	json_object_object_add(doc, "step", json_object_new_int(a->step));
	json_object_object_add(doc, "step_text",
			       json_object_new_string(fw_explain_step_text(a->step)));
	json_object_object_add(doc, "prefix", a->has_prefix ? json_object_new_string(
								      fw_prefix_format(&a->prefix, prefix))
							    : NULL);
	json_object_object_add(doc, "set", a->has_set ? json_object_new_string(a->set) : NULL);
	json_object_object_add(doc, "file", fw_json_text(a->file));
	json_object_object_add(doc, "file_line", a->line ? json_object_new_int64(a->line) : NULL);
	if (a->note[0])
		json_object_object_add(doc, "note", json_object_new_string(a->note));
	json_object_object_add(doc, "from", json_object_new_string(a->from_config ? "config"
										 : "maps"));
	json_object_object_add(doc, a->from_config ? "config" : "pin_dir",
			       json_object_new_string(a->source));
	if (fw_json_print(out, doc, JSON_C_TO_STRING_PRETTY))
		return -ENOMEM;
	fputc('\n', out);
	return 0;
}

/* The matched line: the prefix, and for a set rule the element's set and place. */
static void fw_explain_matched(FILE *out, const struct fw_explain_answer *a)
{
	char prefix[FW_PREFIX_TEXT_MAX], set[FW_ESCAPED_SIZE(FW_RULE_NAME_MAX)];
	char file[FW_ESCAPED_SIZE(256)];

	fputs("matched  ", out);
	if (a->banned) {
		fprintf(out, "%s, banned\n", fw_prefix_format(&a->prefix, prefix));
		return;
	}
	if (!a->has_prefix && !a->has_set) {
		fputs(a->step >= 5 ? "- (no source named)\n" : "-\n", out);
		return;
	}
	if (a->has_prefix)
		fputs(fw_prefix_format(&a->prefix, prefix), out);
	else
		fputs("an element", out);
	if (a->has_set) {
		fprintf(out, "%s @%s", a->has_prefix ? ", element of" : " of",
			fw_escape(set, sizeof(set), a->set, strlen(a->set)));
		if (a->file[0] && a->line)
			fprintf(out, " at %s:%u",
				fw_escape(file, sizeof(file), a->file, strnlen(a->file, 256)),
				a->line);
	}
	fputc('\n', out);
}

/* Whole seconds are enough to say when a ban ends, unless less than one is left. */
static uint64_t fw_whole_seconds(uint64_t ns)
{
	return ns >= FW_NS_PER_SEC ? ns - ns % FW_NS_PER_SEC : ns;
}

/* "rule     ban (origin limit:ssh, expires in 9m58s; banned 2s ago)" */
static void fw_explain_ban(FILE *out, const struct fw_explain_answer *a)
{
	char origin[FW_ESCAPED_SIZE(FW_RULE_NAME_MAX)], expires[FW_DURATION_TEXT_MAX];
	char age[FW_DURATION_TEXT_MAX];

	fw_escape(origin, sizeof(origin), a->ban_origin, strlen(a->ban_origin));
	fprintf(out, "rule     ban (origin %s, %s%s; banned %s ago)\n", origin,
		a->ban_expires_in ? "expires in " : "until unbanned",
		a->ban_expires_in ? fw_duration_format(fw_whole_seconds(a->ban_expires_in), expires)
				  : "",
		fw_duration_format(a->ban_age - a->ban_age % FW_NS_PER_SEC, age));
}

int fw_explain_print(FILE *out, const struct fw_explain_query *q,
		     const struct fw_explain_answer *a, bool json)
{
	char addr[INET6_ADDRSTRLEN], name[FW_ESCAPED_SIZE(FW_RULE_NAME_MAX)];
	char limit[FW_LIMIT_TEXT_MAX];
	char source[FW_ESCAPED_SIZE(256)], file[FW_ESCAPED_SIZE(256)];

	if (json)
		return fw_explain_json(out, q, a);
	fprintf(out, "packet   from %s, ", fw_query_addr(q, addr));
	if (q->pkt.dport)
		fprintf(out, "to port %u/%s%s\n", q->pkt.dport, fw_packet_protos[q->pkt.proto],
			q->pkt.tcp_syn ? " SYN" : "");
	else
		fprintf(out, "%s (no port)\n", fw_packet_protos[q->pkt.proto]);
	fprintf(out, "verdict  %s\n", fw_verdict_word(a));
	if (a->banned)
		fw_explain_ban(out, a);
	else if (a->by_rule && a->rule_line && a->rule_file[0])
		fprintf(out, "rule     %s (%s:%u)\n",
			fw_escape(name, sizeof(name), a->rule, strlen(a->rule)),
			fw_escape(file, sizeof(file), a->rule_file, strnlen(a->rule_file, 256)),
			a->rule_line);
	else if (a->by_rule && a->rule_line)
		fprintf(out, "rule     %s (line %u)\n",
			fw_escape(name, sizeof(name), a->rule, strlen(a->rule)), a->rule_line);
	else if (a->by_rule)
		fprintf(out, "rule     %s\n", fw_escape(name, sizeof(name), a->rule, strlen(a->rule)));
	else
		fprintf(out, "rule     default (no rule matches; default_action %s)\n",
			fw_verdict_word(a));
	if (a->has_limit)
		fprintf(out, "limit    %s: %s\n", fw_limit_text(limit, sizeof(limit), &a->limit),
			fw_limit_effect(a));
	if (a->banned)
		fprintf(out, "step     %s\n", fw_explain_step_text(0));
	else
		fprintf(out, "step     %d of 8: %s\n", a->step, fw_explain_step_text(a->step));
	fw_explain_matched(out, a);
	if (a->note[0])
		fprintf(out, "note     %s\n", a->note);
	fprintf(out, "from     %s %s\n", a->from_config ? "the config" : "the maps in force under",
		fw_escape(source, sizeof(source), a->source, strnlen(a->source, 256)));
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include <json-c/json.h>
#include "event_text.h"
#include "names.h"
#include "text.h"

const char *fw_rfc3339_ms(uint64_t unix_ns, char buf[FW_RFC3339_MS_MAX])
{
	time_t secs = (time_t)(unix_ns / 1000000000ull);
	struct tm tm;

	if (!gmtime_r(&secs, &tm) ||
	    !strftime(buf, FW_RFC3339_MS_MAX, "%Y-%m-%dT%H:%M:%S", &tm))
		buf[0] = '\0';
	else
		snprintf(buf + strlen(buf), FW_RFC3339_MS_MAX - strlen(buf), ".%03uZ",
			 (unsigned int)(unix_ns / 1000000ull % 1000));
	return buf;
}

static void fw_proto_text(uint8_t ipproto, char buf[8])
{
	switch (ipproto) {
	case IPPROTO_TCP:
		strcpy(buf, "tcp");
		break;
	case IPPROTO_UDP:
		strcpy(buf, "udp");
		break;
	case IPPROTO_ICMP:
		strcpy(buf, "icmp");
		break;
	case IPPROTO_ICMPV6:
		strcpy(buf, "icmpv6");
		break;
	default:
		snprintf(buf, 8, "%u", ipproto);
	}
}

static void fw_addr_text(const __be32 addr[4], bool v6, char buf[INET6_ADDRSTRLEN])
{
	if (!inet_ntop(v6 ? AF_INET6 : AF_INET, addr, buf, INET6_ADDRSTRLEN))
		strcpy(buf, "?");
}

void fw_event_words(struct fw_event_names *names, const struct fw_event *ev,
		    struct fw_event_words *out)
{
	memset(out, 0, sizeof(*out));
	if (ev->rule == FW_EVENT_NO_RULE)
		fw_event_origin_name(names, ev->origin, out->origin);
	else
		fw_event_rule_name(names, ev->rule, out->rule);
	fw_rfc3339_ms(fw_event_wall_ns(names, ev->time), out->time);
	out->action = fw_stat_is_drop(ev->reason) ? "drop" : "pass";
	out->reason = fw_stat_name(ev->reason);
	fw_event_ifname(names, ev->ifindex, out->interface);
	fw_proto_text(ev->ipproto, out->proto);
	fw_addr_text(ev->src, ev->v6, out->src);
	fw_addr_text(ev->dst, ev->v6, out->dst);
	out->sport = ev->sport;
	out->dport = ev->dport;
	out->len = ev->len;
}

struct fw_line {
	char *buf;
	size_t size, used;
};

static void fw_line_add(struct fw_line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fw_line_add(struct fw_line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->used >= l->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->used, l->size - l->used, fmt, ap);
	va_end(ap);
	l->used = n < 0 ? l->size : l->used + (size_t)n;
}

/* key=value, the value quoted when it has to be: a ban's --reason may say anything. */
static void fw_line_pair(struct fw_line *l, const char *key, const char *value)
{
	char escaped[FW_ESCAPED_SIZE(FW_RULE_NAME_MAX + 12)];
	bool quote = !*value || strpbrk(value, " \"=") != NULL;

	fw_escape(escaped, sizeof(escaped), value, strlen(value));
	quote = quote || strcmp(escaped, value);
	fw_line_add(l, "%s%s=%s", l->used ? " " : "", key, quote ? "\"" : "");
	for (const char *c = escaped; quote && *c; c++)
		fw_line_add(l, "%s%c", *c == '"' ? "\\" : "", *c);
	fw_line_add(l, "%s", quote ? "\"" : escaped);
}

void fw_event_line(const struct fw_event_words *w, bool with_time, char *buf, size_t size)
{
	struct fw_line l = { buf, size, 0 };

	if (size)
		buf[0] = '\0';
	if (with_time)
		fw_line_pair(&l, "time", w->time);
	if (w->rule[0])
		fw_line_pair(&l, "rule", w->rule);
	else
		fw_line_pair(&l, "origin", w->origin);
	fw_line_pair(&l, "action", w->action);
	fw_line_pair(&l, "reason", w->reason);
	fw_line_pair(&l, "interface", w->interface);
	fw_line_pair(&l, "proto", w->proto);
	fw_line_pair(&l, "src", w->src);
	if (fw_event_words_have_ports(w))
		fw_line_add(&l, " sport=%u", w->sport);
	fw_line_pair(&l, "dst", w->dst);
	if (fw_event_words_have_ports(w))
		fw_line_add(&l, " dport=%u", w->dport);
	fw_line_add(&l, " len=%u", w->len);
}

static struct json_object *fw_json_text(const char *text)
{
	return *text ? json_object_new_string(text) : NULL;
}

static struct json_object *fw_json_port(const struct fw_event_words *w, uint16_t port)
{
	return fw_event_words_have_ports(w) ? json_object_new_int(port) : NULL;
}

struct json_object *fw_event_json(const struct fw_event_words *w)
{
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	json_object_object_add(obj, "time", json_object_new_string(w->time));
	json_object_object_add(obj, "rule", fw_json_text(w->rule));
	json_object_object_add(obj, "origin", fw_json_text(w->origin));
	json_object_object_add(obj, "action", json_object_new_string(w->action));
	json_object_object_add(obj, "reason", json_object_new_string(w->reason));
	json_object_object_add(obj, "interface", json_object_new_string(w->interface));
	json_object_object_add(obj, "proto", json_object_new_string(w->proto));
	json_object_object_add(obj, "src", json_object_new_string(w->src));
	json_object_object_add(obj, "sport", fw_json_port(w, w->sport));
	json_object_object_add(obj, "dst", json_object_new_string(w->dst));
	json_object_object_add(obj, "dport", fw_json_port(w, w->dport));
	json_object_object_add(obj, "len", json_object_new_int64(w->len));
	return obj;
}

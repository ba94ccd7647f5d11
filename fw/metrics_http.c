// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's /metrics: libmicrohttpd serves it from a thread of its own,
 * and each scrape streams the text a piece at a time (fw/metrics_text.c),
 * read from the pins without the lock, so it never waits for a reload.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <microhttpd.h>
#include "config.h"
#include "log.h"
#include "metrics.h"
#include "metrics_text.h"
#include "prom_text.h"

/* Bytes libmicrohttpd asks a scrape for at a time: what one connection holds. */
#define FW_METRICS_BLOCK (64 * 1024)
/* Scrapes at once; Prometheus sends one per target at a time. */
#define FW_METRICS_CONNECTIONS 16
/* Seconds a scraper may stall before its connection, and the maps it holds, are let go. */
#define FW_METRICS_TIMEOUT 30

union fw_sockaddr {
	struct sockaddr sa;
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
};

struct fw_metrics_server {
	struct MHD_Daemon *mhd;
	char *pin_dir;
	union fw_sockaddr addr;
	bool started;      /* libmicrohttpd's messages go to -v from then on */
	char why[256];     /* its message while starting: why it could not */
};

/* settings.metrics as a socket address; -EINVAL for a host that is no address literal. */
static int fw_metrics_sockaddr(const struct fw_metrics_listen *listen, union fw_sockaddr *out)
{
	memset(out, 0, sizeof(*out));
	if (listen->family == AF_INET6) {
		out->v6.sin6_family = AF_INET6;
		out->v6.sin6_port = htons(listen->port);
		return inet_pton(AF_INET6, listen->host, &out->v6.sin6_addr) == 1 ? 0 : -EINVAL;
	}
	out->v4.sin_family = AF_INET;
	out->v4.sin_port = htons(listen->port);
	return inet_pton(AF_INET, listen->host, &out->v4.sin_addr) == 1 ? 0 : -EINVAL;
}

static void fw_metrics_log(void *cls, const char *fmt, va_list ap)
{
	struct fw_metrics_server *srv = cls;
	char msg[sizeof(srv->why)];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	if (!__atomic_load_n(&srv->started, __ATOMIC_ACQUIRE))
		memcpy(srv->why, msg, sizeof(msg));
	else
		fw_debug("metrics: %s", msg);
}

static enum MHD_Result fw_metrics_reply(struct MHD_Connection *c, unsigned int status,
					const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
								 MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static ssize_t fw_metrics_body(void *cls, uint64_t pos, char *buf, size_t max)
{
	ssize_t n = fw_scrape_read(cls, buf, max);

	(void)pos;
	if (n < 0) {
		fw_error("metrics: reading the maps failed mid-scrape: %s; the scrape is cut short",
			 strerror((int)-n));
		return MHD_CONTENT_READER_END_WITH_ERROR;
	}
	return n ? n : MHD_CONTENT_READER_END_OF_STREAM;
}

static void fw_metrics_body_free(void *cls)
{
	fw_scrape_close(cls);
}

static enum MHD_Result fw_metrics_answer(void *cls, struct MHD_Connection *c, const char *url,
					 const char *method, const char *version,
					 const char *upload_data, size_t *upload_data_size,
					 void **req_cls)
{
	struct fw_metrics_server *srv = cls;
	struct MHD_Response *r;
	struct fw_scrape *s;
	enum MHD_Result ret;
	int err;

	(void)version, (void)upload_data, (void)upload_data_size, (void)req_cls;
	if (strcmp(url, "/metrics"))
		return fw_metrics_reply(c, MHD_HTTP_NOT_FOUND, "Not found: the metrics are on /metrics\n");
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return fw_metrics_reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "Only GET and HEAD\n");
	err = fw_scrape_open(srv->pin_dir, &s);
	if (err)
		return fw_metrics_reply(c, MHD_HTTP_SERVICE_UNAVAILABLE,
					err == -ENOENT ? "Nothing is pinned: no rules in force\n"
						       : "Reading the maps failed; see the daemon's log\n");
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, FW_METRICS_BLOCK, fw_metrics_body, s,
					      fw_metrics_body_free);
	if (!r) {
		fw_scrape_close(s);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, FW_PROM_CONTENT_TYPE);
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

int fw_metrics_start(const char *pin_dir, const struct fw_metrics_listen *listen,
		     struct fw_metrics_server **out)
{
	struct fw_metrics_server *srv = calloc(1, sizeof(*srv));
	unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	int err = srv ? 0 : -ENOMEM;

	*out = NULL;
	if (!err && !(srv->pin_dir = strdup(pin_dir)))
		err = -ENOMEM;
	if (!err)
		err = fw_metrics_sockaddr(listen, &srv->addr);
	if (!err) {
		srv->mhd = MHD_start_daemon(flags | (listen->family == AF_INET6 ? MHD_USE_IPv6 : 0),
					    listen->port, NULL, NULL, fw_metrics_answer, srv,
					    MHD_OPTION_SOCK_ADDR, &srv->addr.sa,
					    MHD_OPTION_EXTERNAL_LOGGER, fw_metrics_log, srv,
					    MHD_OPTION_CONNECTION_LIMIT, FW_METRICS_CONNECTIONS,
					    MHD_OPTION_CONNECTION_TIMEOUT, FW_METRICS_TIMEOUT,
					    MHD_OPTION_END);
		err = srv->mhd ? 0 : -EADDRNOTAVAIL;
	}
	if (err) {
		fw_error("settings.metrics %s (line %d): cannot serve /metrics there: %s; free "
			 "that address or set another one (under systemd, a port other than 9740 "
			 "needs a drop-in: man xdpfw, METRICS); the rules are in force all the same",
			 listen->text, listen->line,
			 srv && srv->why[0] ? srv->why : strerror(-err));
		fw_metrics_stop(srv);
		return err;
	}
	__atomic_store_n(&srv->started, true, __ATOMIC_RELEASE);
	fw_info("serving Prometheus metrics on http://%s/metrics", listen->text);
	*out = srv;
	return 0;
}

bool fw_metrics_serves(const struct fw_metrics_server *server,
		       const struct fw_metrics_listen *listen)
{
	union fw_sockaddr addr;

	if (!server || fw_metrics_sockaddr(listen, &addr) || addr.sa.sa_family !=
							   server->addr.sa.sa_family)
		return false;
	if (addr.sa.sa_family == AF_INET6)
		return addr.v6.sin6_port == server->addr.v6.sin6_port &&
		       !memcmp(&addr.v6.sin6_addr, &server->addr.v6.sin6_addr,
			       sizeof(addr.v6.sin6_addr));
	return addr.v4.sin_port == server->addr.v4.sin_port &&
	       addr.v4.sin_addr.s_addr == server->addr.v4.sin_addr.s_addr;
}

void fw_metrics_stop(struct fw_metrics_server *server)
{
	if (!server)
		return;
	if (server->mhd)
		MHD_stop_daemon(server->mhd);
	free(server->pin_dir);
	free(server);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The /metrics server over a pinned datapath, through libcurl: GET
 * /metrics answers 200 with the exposition format's content type and the
 * text of `stats --prometheus`; other paths 404, other methods 405; a
 * second server on a taken address fails, naming it and its config line;
 * fw_metrics_serves() knows its own address, however it is written. And
 * fw_reloads through its pin: each sync counted with its time, and nothing
 * said when nothing is pinned.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>
#include <curl/curl.h>
#include "config.h"
#include "harness.h"
#include "metrics.h"
#include "pin.h"
#include "reloads.h"
#include "sync.h"

static char pin_dir[64];

struct reply {
	long status;
	char type[128];
	char *body;
	size_t len;
};

static size_t reply_body(char *data, size_t size, size_t n, void *cls)
{
	struct reply *r = cls;

	r->body = realloc(r->body, r->len + size * n + 1);
	assert_non_null(r->body);
	memcpy(r->body + r->len, data, size * n);
	r->len += size * n;
	r->body[r->len] = '\0';
	return size * n;
}

static struct reply fetch(const char *method, const char *url)
{
	struct reply r = { 0 };
	CURL *curl = curl_easy_init();
	char *type = NULL;

	assert_non_null(curl);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, reply_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
	assert_int_equal(curl_easy_perform(curl), CURLE_OK);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
	curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
	snprintf(r.type, sizeof(r.type), "%s", type ? type : "");
	curl_easy_cleanup(curl);
	return r;
}

/* A port nothing listens on now, on addr of family. */
static uint16_t free_port(int family, const char *addr)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	struct sockaddr *sa = family == AF_INET6 ? (struct sockaddr *)&a6 : (struct sockaddr *)&a4;
	socklen_t len = family == AF_INET6 ? sizeof(a6) : sizeof(a4);
	int fd = socket(family, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(inet_pton(family, addr, family == AF_INET6 ? (void *)&a6.sin6_addr
								    : (void *)&a4.sin_addr), 1);
	assert_int_equal(bind(fd, sa, len), 0);
	assert_int_equal(getsockname(fd, sa, &len), 0);
	close(fd);
	return ntohs(family == AF_INET6 ? a6.sin6_port : a4.sin_port);
}

static struct fw_metrics_listen listen_on(int family, const char *host, uint16_t port,
					  char *text, size_t size)
{
	struct fw_metrics_listen l = { .text = text, .port = port, .family = family, .line = 7 };

	snprintf(l.host, sizeof(l.host), "%s", host);
	snprintf(text, size, family == AF_INET6 ? "[%s]:%u" : "%s:%u", host, port);
	return l;
}

/* A datapath with two rules in force, pinned in a pin dir of its own. */
static int pin_setup(void **state)
{
	static const struct rule_spec specs[] = {
		{ "web", NULL, 80, FW_PROTO_TCP, FW_ACTION_PASS },
		{ "dns", NULL, 53, FW_PROTO_UDP, FW_ACTION_PASS },
	};
	struct fw_datapath *dp = harness_datapath(64);
	struct fw_compiled compiled;
	struct fw_ruleset rs;
	int lock_fd;

	(void)state;
	snprintf(pin_dir, sizeof(pin_dir), "/sys/fs/bpf/xdpfw-unit-metrics-%d", (int)getpid());
	harness_ruleset(&rs, specs, 2, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);
	if (fw_compile(&rs, &compiled) || fw_rules_sync(dp, &rs, &compiled, NULL, NULL))
		return -1;
	fw_compiled_free(&compiled);
	free(rs.rules);
	fw_counter_add(dp, 0, &(struct fw_counter){ 5, 500 });
	if (fw_pin_lock(pin_dir, true, &lock_fd))
		return -1;
	fw_pin_unlock(lock_fd);
	return fw_pin_stage(pin_dir, dp) || fw_pin_promote(pin_dir) ? -1 : 0;
}

static int pin_teardown(void **state)
{
	(void)state;
	return fw_pin_remove_all(pin_dir);
}

static void test_serves_metrics(void **state)
{
	char text[64], url[128];
	uint16_t port = free_port(AF_INET, "127.0.0.1");
	struct fw_metrics_listen l = listen_on(AF_INET, "127.0.0.1", port, text, sizeof(text));
	struct fw_metrics_server *srv;
	struct reply r;
	char *cli;
	size_t cli_len;
	FILE *out;

	(void)state;
	assert_int_equal(fw_metrics_start(pin_dir, &l, &srv), 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/metrics", port);
	r = fetch("GET", url);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.type, "text/plain; version=0.0.4; charset=utf-8");
	assert_non_null(strstr(r.body, "\nxdpfw_rules 2\n"));
	assert_non_null(strstr(r.body, "\nxdpfw_rule_packets_total{rule=\"web\",action=\"pass\"} 5\n"));

	/* What `stats --prometheus` prints is the same text. */
	out = open_memstream(&cli, &cli_len);
	assert_non_null(out);
	assert_int_equal(fw_metrics_write(out, pin_dir), 0);
	fclose(out);
	assert_string_equal(cli, r.body);
	free(cli);
	free(r.body);

	r = fetch("HEAD", url);
	assert_int_equal(r.status, 200);
	free(r.body);
	r = fetch("POST", url);
	assert_int_equal(r.status, 405);
	free(r.body);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/", port);
	r = fetch("GET", url);
	assert_int_equal(r.status, 404);
	free(r.body);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/metricsx", port);
	r = fetch("GET", url);
	assert_int_equal(r.status, 404);
	free(r.body);
	fw_metrics_stop(srv);
}

static void test_serves_knows_its_address(void **state)
{
	char text[64], other[64];
	uint16_t port = free_port(AF_INET, "127.0.0.1");
	struct fw_metrics_listen l = listen_on(AF_INET, "127.0.0.1", port, text, sizeof(text));
	struct fw_metrics_listen same = listen_on(AF_INET, "127.0.0.1", port, other, sizeof(other));
	struct fw_metrics_server *srv;

	(void)state;
	assert_int_equal(fw_metrics_start(pin_dir, &l, &srv), 0);
	assert_true(fw_metrics_serves(srv, &same));
	same.port = port + 1;
	assert_false(fw_metrics_serves(srv, &same));
	same = listen_on(AF_INET, "127.0.0.2", port, other, sizeof(other));
	assert_false(fw_metrics_serves(srv, &same));
	same = listen_on(AF_INET6, "::1", port, other, sizeof(other));
	assert_false(fw_metrics_serves(srv, &same));
	assert_false(fw_metrics_serves(NULL, &l));
	fw_metrics_stop(srv);
	fw_metrics_stop(NULL);
}

static void test_ipv6(void **state)
{
	char text[64], url[128];
	int probe = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 lo = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct fw_metrics_listen l, written;
	struct fw_metrics_server *srv;
	uint16_t port;
	struct reply r;

	(void)state;
	if (probe < 0 || bind(probe, (struct sockaddr *)&lo, sizeof(lo))) {
		if (probe >= 0)
			close(probe);
		skip(); /* no ::1 here */
	}
	close(probe);
	port = free_port(AF_INET6, "::1");
	l = listen_on(AF_INET6, "::1", port, text, sizeof(text));
	assert_int_equal(fw_metrics_start(pin_dir, &l, &srv), 0);
	written = l;
	snprintf(written.host, sizeof(written.host), "0:0::0:1");
	assert_true(fw_metrics_serves(srv, &written));
	snprintf(url, sizeof(url), "http://[::1]:%u/metrics", port);
	r = fetch("GET", url);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\nxdpfw_rules 2\n"));
	free(r.body);
	fw_metrics_stop(srv);
}

/* What fn writes to stderr (fd 2), as a string the caller frees. */
static char *stderr_of(int (*fn)(void *), void *arg, int *ret)
{
	char path[] = "/tmp/xdpfw-unit-metrics-XXXXXX", *text;
	int fd = mkstemp(path), saved = dup(2);
	off_t len;

	assert_true(fd >= 0 && saved >= 0);
	unlink(path);
	fflush(stderr);
	dup2(fd, 2);
	*ret = fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	len = lseek(fd, 0, SEEK_END);
	text = calloc(1, (size_t)len + 1);
	assert_non_null(text);
	assert_int_equal(pread(fd, text, (size_t)len, 0), len);
	close(fd);
	return text;
}

static int start_second(void *arg)
{
	struct fw_metrics_server *srv = (void *)1;
	int err = fw_metrics_start(pin_dir, arg, &srv);

	assert_null(srv);
	return err;
}

static void test_taken_address_fails(void **state)
{
	char text[64], want[96];
	uint16_t port = free_port(AF_INET, "127.0.0.1");
	struct fw_metrics_listen l = listen_on(AF_INET, "127.0.0.1", port, text, sizeof(text));
	struct fw_metrics_server *srv;
	char *said;
	int err;

	(void)state;
	assert_int_equal(fw_metrics_start(pin_dir, &l, &srv), 0);
	said = stderr_of(start_second, &l, &err);
	assert_true(err < 0);
	snprintf(want, sizeof(want), "settings.metrics 127.0.0.1:%u (line 7)", port);
	assert_non_null(strstr(said, want));
	assert_non_null(strstr(said, "Address already in use"));
	free(said);
	fw_metrics_stop(srv);
}

static int record_unpinned(void *arg)
{
	(void)arg;
	fw_reloads_record("/sys/fs/bpf/xdpfw-unit-metrics-nothing-here", true);
	return 0;
}

static void test_reloads_counted(void **state)
{
	struct fw_reload_stats r;
	uint64_t before = (uint64_t)time(NULL);
	char *said;
	int ret;

	(void)state;
	assert_int_equal(fw_reloads_read(pin_dir, &r), 0);
	assert_int_equal(r.succeeded, 0);
	assert_int_equal(r.last_success, 0);
	fw_reloads_record(pin_dir, true);
	fw_reloads_record(pin_dir, true);
	fw_reloads_record(pin_dir, false);
	assert_int_equal(fw_reloads_read(pin_dir, &r), 0);
	assert_int_equal(r.succeeded, 2);
	assert_int_equal(r.failed, 1);
	assert_in_range(r.last_success, before, (uint64_t)time(NULL));
	assert_in_range(r.last_failure, before, (uint64_t)time(NULL));

	assert_int_equal(fw_reloads_read("/sys/fs/bpf/xdpfw-unit-metrics-nothing-here", &r),
			 -ENOENT);
	said = stderr_of(record_unpinned, NULL, &ret);
	assert_string_equal(said, "");
	free(said);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serves_metrics),
		cmocka_unit_test(test_serves_knows_its_address),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_taken_address_fails),
		cmocka_unit_test(test_reloads_counted),
	};

	return cmocka_run_group_tests(tests, pin_setup, pin_teardown);
}

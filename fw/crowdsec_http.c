// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crowdsec_http.h"
#include "xdpfw.h"

/* A startup stream of a million decisions is ~200 MB; past 1 GiB something is wrong. */
#define FW_CS_BODY_MAX (1ul << 30)

static size_t fw_cs_http_write(char *data, size_t size, size_t count, void *arg)
{
	struct fw_cs_http *h = arg;
	size_t n = size * count;

	if (h->len + n + 1 > h->cap) {
		size_t cap = h->cap ? h->cap : 64 * 1024;
		char *body;

		while (cap < h->len + n + 1)
			cap *= 2;
		if (cap > FW_CS_BODY_MAX) {
			h->too_large = true;
			return 0; /* curl ends the transfer with CURLE_WRITE_ERROR */
		}
		body = realloc(h->body, cap);
		if (!body)
			return 0;
		h->body = body;
		h->cap = cap;
	}
	memcpy(h->body + h->len, data, n);
	h->len += n;
	h->body[h->len] = '\0';
	return n;
}

int fw_cs_http_init(struct fw_cs_http *h, const atomic_bool *stop)
{
	memset(h, 0, sizeof(*h));
	h->stop = stop;
	h->multi = curl_multi_init();
	h->easy = curl_easy_init();
	if (!h->multi || !h->easy) {
		fw_cs_http_close(h);
		return -ENOMEM;
	}
	curl_easy_setopt(h->easy, CURLOPT_NOSIGNAL, 1L); /* a thread of a daemon with signalfd */
	curl_easy_setopt(h->easy, CURLOPT_WRITEFUNCTION, fw_cs_http_write);
	curl_easy_setopt(h->easy, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(h->easy, CURLOPT_ERRORBUFFER, h->curl_err);
	curl_easy_setopt(h->easy, CURLOPT_USERAGENT, "xdpfw-bouncer/" XDPFW_VERSION);
	curl_easy_setopt(h->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h->easy, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	/* No total timeout (a startup stream can be large), but not a stalled one either. */
	curl_easy_setopt(h->easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h->easy, CURLOPT_LOW_SPEED_TIME, 30L);
	curl_easy_setopt(h->easy, CURLOPT_ACCEPT_ENCODING, ""); /* whatever this libcurl decodes */
	return 0;
}

void fw_cs_http_close(struct fw_cs_http *h)
{
	if (h->easy)
		curl_easy_cleanup(h->easy);
	if (h->multi)
		curl_multi_cleanup(h->multi);
	free(h->body);
	memset(h, 0, sizeof(*h));
}

/* Runs the transfer h->easy is set up for; 0 or -ECANCELED, the result in *code. */
static int fw_cs_http_run(struct fw_cs_http *h, CURLcode *code)
{
	int running = 1, err = 0;
	CURLMsg *msg;
	int left;

	curl_multi_add_handle(h->multi, h->easy);
	while (running) {
		if (atomic_load(h->stop)) {
			err = -ECANCELED;
			break;
		}
		if (curl_multi_perform(h->multi, &running) != CURLM_OK)
			break;
		if (running)
			curl_multi_poll(h->multi, NULL, 0, 1000, NULL);
	}
	*code = CURLE_RECV_ERROR;
	while ((msg = curl_multi_info_read(h->multi, &left)))
		if (msg->msg == CURLMSG_DONE && msg->easy_handle == h->easy)
			*code = msg->data.result;
	curl_multi_remove_handle(h->multi, h->easy);
	return err;
}

int fw_cs_http_get(struct fw_cs_http *h, const char *url, const char *key, long *status,
		   char *err, size_t err_size)
{
	struct curl_slist *headers = NULL;
	char header[512];
	CURLcode code;
	int ret;

	snprintf(header, sizeof(header), "X-Api-Key: %s", key);
	headers = curl_slist_append(headers, header);
	explicit_bzero(header, sizeof(header));
	if (!headers)
		return -ENOMEM;
	h->len = 0;
	if (h->body)
		h->body[0] = '\0';
	h->too_large = false;
	h->curl_err[0] = '\0';
	curl_easy_setopt(h->easy, CURLOPT_URL, url);
	curl_easy_setopt(h->easy, CURLOPT_HTTPHEADER, headers);
	ret = fw_cs_http_run(h, &code);
	curl_easy_setopt(h->easy, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(headers);
	if (ret)
		return ret;
	if (code != CURLE_OK) {
		snprintf(err, err_size, "%s", h->too_large ? "the answer is larger than 1 GiB" :
					      h->curl_err[0] ? h->curl_err : curl_easy_strerror(code));
		return -EIO;
	}
	curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, status);
	if (!h->body) /* an empty answer: still a string */
		fw_cs_http_write("", 0, 0, h);
	return h->body ? 0 : -ENOMEM;
}

void fw_cs_http_wait(struct fw_cs_http *h, int ms)
{
	curl_multi_poll(h->multi, NULL, 0, ms, NULL);
}

void fw_cs_http_wake(struct fw_cs_http *h)
{
	curl_multi_wakeup(h->multi);
}

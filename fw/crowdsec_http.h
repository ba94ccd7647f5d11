/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bouncer's HTTP client: libcurl's multi interface, so one wait serves
 * both a transfer and the pause between polls, and another thread can cut
 * either short (curl_multi_wakeup).
 */
#ifndef FW_CROWDSEC_HTTP_H
#define FW_CROWDSEC_HTTP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <curl/curl.h>

struct fw_cs_http {
	CURLM *multi;
	CURL *easy; /* kept between polls, so its connection is reused */
	char *body; /* the last answer, NUL-terminated */
	size_t len;
	size_t cap;
	bool too_large;
	const atomic_bool *stop; /* set by another thread, which then calls fw_cs_http_wake() */
	char curl_err[CURL_ERROR_SIZE];
};

/* Call curl_global_init() first, once, before any thread starts. */
int fw_cs_http_init(struct fw_cs_http *h, const atomic_bool *stop);
void fw_cs_http_close(struct fw_cs_http *h);

/*
 * GETs url with the header X-Api-Key: key into h->body. 0 with the HTTP
 * status in *status; -EIO when no answer came (why in err); -ECANCELED
 * when stopped.
 */
int fw_cs_http_get(struct fw_cs_http *h, const char *url, const char *key, long *status,
		   char *err, size_t err_size);

/* Waits ms, or until fw_cs_http_wake(). */
void fw_cs_http_wait(struct fw_cs_http *h, int ms);
/* Ends a wait or a transfer's wait at once; safe from any thread. */
void fw_cs_http_wake(struct fw_cs_http *h);

#endif /* FW_CROWDSEC_HTTP_H */

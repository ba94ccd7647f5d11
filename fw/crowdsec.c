// SPDX-License-Identifier: GPL-2.0
/*
 * The bouncer's thread: polls GET {url}v1/decisions/stream, puts what it
 * says in force, and waits poll_ms, or a backoff while the Local API fails.
 * It never holds the daemon up: a reload or a stop only wakes it.
 *
 * startup=true asks for the whole set, startup=false for what changed since
 * this bouncer's last pull, which the Local API keeps in its database. The
 * whole set is asked for at start, after a new url or key, and after any
 * failed poll: an outage may hide a new Local API behind the same url (a
 * fleet's failover, a restored or fresh database), for which "since the
 * last pull" means nothing, and an answer lost on the way cannot be asked
 * for again. The whole set is then reconciled: CrowdSec bans it no longer
 * holds are lifted (fw_cs_apply). It costs one large answer per outage.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crowdsec.h"
#include "crowdsec_http.h"
#include "log.h"
#include "text.h"

#define FW_CS_DEFAULT_POLL_MS 10000u
#define FW_CS_BACKOFF_MIN_MS 1000u
#define FW_CS_BACKOFF_MAX_MS 60000u
#define FW_CS_KEY_MAX 256

struct fw_cs_settings {
	char *url; /* ends in '/' */
	char *key_file;
	uint32_t poll_ms;
};

/* How the last poll went; each change is logged once. */
enum fw_cs_state {
	FW_CS_STARTING,
	FW_CS_OK,
	FW_CS_KEY_FILE,   /* the key file cannot be read, or holds no key */
	FW_CS_DOWN,       /* no answer: refused, timed out, DNS, TLS */
	FW_CS_REJECTED,   /* 401 or 403: the key is wrong */
	FW_CS_HTTP_ERROR, /* any other status but 200 */
	FW_CS_BAD_ANSWER, /* 200, but not a decision stream */
	FW_CS_NOT_APPLIED,
	FW_CS_CUT,        /* stopped, or new settings: the answer is lost */
};

struct fw_cs_bouncer {
	pthread_t thread;
	pthread_mutex_t lock;
	struct fw_cs_settings next;  /* under lock: what fw_cs_configure() gave */
	bool changed;                /* under lock */
	struct fw_cs_settings given; /* under lock: the last settings given, to compare */
	atomic_bool stop;
	atomic_bool cut; /* ends the transfer in flight: a stop, or a new url or key file */
	struct fw_cs_http http;
	char *pin_dir;
	/* The thread's own. */
	struct fw_cs_settings cur;
	enum fw_cs_state state;
	bool whole;  /* ask for the whole set next */
	uint32_t backoff_ms;
	char key[FW_CS_KEY_MAX];
	bool ignored_said;
};

static void fw_cs_settings_free(struct fw_cs_settings *s)
{
	free(s->url);
	free(s->key_file);
	memset(s, 0, sizeof(*s));
}

/* a + b, malloc'd; NULL when out of memory. */
static char *fw_cs_concat(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *out = malloc(na + nb + 1);

	if (out) {
		memcpy(out, a, na);
		memcpy(out + na, b, nb + 1);
	}
	return out;
}

static int fw_cs_settings_from(const struct fw_config *cfg, struct fw_cs_settings *out)
{
	const struct fw_crowdsec *cs = &cfg->crowdsec;
	size_t n = strlen(cs->url);

	out->url = fw_cs_concat(cs->url, n && cs->url[n - 1] == '/' ? "" : "/");
	/* Relative to the config's folder already: the parser made it so. */
	out->key_file = strdup(cs->api_key_file);
	out->poll_ms = cs->poll_ms ? cs->poll_ms : FW_CS_DEFAULT_POLL_MS;
	if (!out->url || !out->key_file) {
		fw_cs_settings_free(out);
		return -ENOMEM;
	}
	return 0;
}

/* Why text (n bytes) is no bouncer key, or NULL: one word of printable ASCII. */
static const char *fw_cs_key_problem(const char *text, size_t n)
{
	if (!n)
		return "the file is empty; write there the bouncer key that 'cscli bouncers add "
		       "NAME -o raw' prints";
	if (n >= FW_CS_KEY_MAX)
		return "longer than any bouncer key";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)text[i] <= ' ' || (unsigned char)text[i] >= 0x7f)
			return "not a bouncer key: it must be one word of printable text";
	return NULL;
}

/* The key in path, surrounding space trimmed; a message naming path in err when none. */
static int fw_cs_read_key(const char *path, char key[FW_CS_KEY_MAX], char *err, size_t err_size)
{
	char buf[FW_CS_KEY_MAX + 1];
	FILE *f = fopen(path, "re");
	const char *problem;
	size_t n = 0, start = 0;
	int e = f ? 0 : errno;

	if (f) {
		n = fread(buf, 1, sizeof(buf), f);
		e = ferror(f) ? errno : 0; /* a directory, say */
		fclose(f);
	}
	if (e) {
		snprintf(err, err_size, "%s: cannot read the bouncer key: %s; write there the key "
			 "that 'cscli bouncers add NAME -o raw' prints", path, strerror(e));
		return -e;
	}
	while (n > 0 && strchr(" \t\r\n", buf[n - 1]))
		n--;
	while (start < n && strchr(" \t\r\n", buf[start]))
		start++;
	problem = fw_cs_key_problem(buf + start, n - start);
	if (problem) {
		snprintf(err, err_size, "%s: %s", path, problem);
	} else {
		memcpy(key, buf + start, n - start);
		key[n - start] = '\0';
	}
	explicit_bzero(buf, sizeof(buf));
	return problem ? -EINVAL : 0;
}

static void fw_cs_say_ignored(struct fw_cs_bouncer *b, const struct fw_cs_stream *s)
{
	if (s->ignored && !b->ignored_said && s->ignored_example[0]) {
		fw_debug("crowdsec: ignoring decisions other than bans of scope Ip or Range (%zu "
			 "now, e.g. %s); said once", s->ignored, s->ignored_example);
		b->ignored_said = true;
	}
	if (s->invalid)
		fw_error("crowdsec: skipped %zu decision%s xdpfw cannot read (the first: %s)",
			 s->invalid, s->invalid == 1 ? "" : "s", s->invalid_example);
}

/* The longest wait between failed polls: a minute, or poll if longer. */
static uint32_t fw_cs_backoff_max(const struct fw_cs_bouncer *b)
{
	return b->cur.poll_ms > FW_CS_BACKOFF_MAX_MS ? b->cur.poll_ms : FW_CS_BACKOFF_MAX_MS;
}

/* Logs a change of state, once. */
static void fw_cs_report(struct fw_cs_bouncer *b, enum fw_cs_state state, const char *msg)
{
	const char *url = b->cur.url;
	unsigned int max_s = fw_cs_backoff_max(b) / 1000;

	if (state == b->state)
		return;
	switch (state) {
	case FW_CS_OK:
		if (b->state == FW_CS_STARTING)
			fw_info("crowdsec: bouncing for the Local API at %s, polling every %u ms",
				url, b->cur.poll_ms);
		else
			fw_info("crowdsec: %s answers again; in step with its whole set", url);
		break;
	case FW_CS_KEY_FILE:
		fw_error("crowdsec: %s; retrying with backoff", msg);
		break;
	case FW_CS_DOWN:
		fw_error("crowdsec: cannot reach the Local API at %s: %s; the bans in force stay, "
			 "retrying with backoff (every %u s at most)", url, msg, max_s);
		break;
	case FW_CS_REJECTED:
		fw_error("crowdsec: CrowdSec rejected the bouncer key in %s (%s): check it with "
			 "cscli bouncers list; retrying with backoff", b->cur.key_file, msg);
		break;
	case FW_CS_HTTP_ERROR:
		fw_error("crowdsec: the Local API at %s answered %s; retrying with backoff", url,
			 msg);
		break;
	case FW_CS_BAD_ANSWER:
		fw_error("crowdsec: the Local API at %s sent no decision stream (%s); retrying "
			 "with backoff", url, msg);
		break;
	case FW_CS_NOT_APPLIED:
		fw_error("crowdsec: cannot put decisions in force in %s: %s; asking for the whole "
			 "set again", b->pin_dir, msg);
		break;
	case FW_CS_STARTING:
	case FW_CS_CUT:
		break;
	}
	b->state = state;
}

/* Parses the answer in b->http.body and puts it in force. */
static enum fw_cs_state fw_cs_take(struct fw_cs_bouncer *b, double asked, char *msg,
				   size_t msg_size)
{
	struct fw_cs_stream s;
	struct fw_cs_applied done;
	double got = fw_now_ms();
	int err = fw_cs_stream_parse(b->http.body, b->http.len, &s, msg, msg_size);

	if (err == -ENOMEM)
		snprintf(msg, msg_size, "out of memory for %zu bytes of decisions", b->http.len);
	if (err)
		return FW_CS_BAD_ANSWER;
	fw_cs_say_ignored(b, &s);
	err = fw_cs_apply(b->pin_dir, &s, b->whole, &done);
	if (err) {
		snprintf(msg, msg_size, "%s", strerror(-err));
		fw_cs_stream_free(&s);
		return FW_CS_NOT_APPLIED;
	}
	fw_cs_report(b, FW_CS_OK, ""); /* "bouncing", "answers again": before what it did */
	if (b->whole || done.banned || done.unbanned || done.refused)
		fw_info("crowdsec: %s%zu banned, %zu lifted, %zu refused (answered in %.0f ms, "
			"applied in %.0f ms)", b->whole ? "the whole set: " : "", done.banned,
			done.unbanned, done.refused, got - asked, fw_now_ms() - got);
	fw_debug("crowdsec: %zu fw_bans_add() calls for %zu bans", done.calls, s.ban_count);
	fw_cs_stream_free(&s);
	return FW_CS_OK;
}

/* One poll; msg says why when it fails. */
static enum fw_cs_state fw_cs_poll(struct fw_cs_bouncer *b, char *msg, size_t msg_size)
{
	char key[FW_CS_KEY_MAX], url[PATH_MAX];
	double asked = fw_now_ms();
	long status = 0;
	int err;

	if (fw_cs_read_key(b->cur.key_file, key, msg, msg_size))
		return FW_CS_KEY_FILE;
	if (strcmp(key, b->key)) { /* a new key: maybe a new bouncer, whose delta starts over */
		memcpy(b->key, key, sizeof(key));
		b->whole = true;
	}
	explicit_bzero(key, sizeof(key));
	snprintf(url, sizeof(url), "%sv1/decisions/stream?startup=%s", b->cur.url,
		 b->whole ? "true" : "false");
	err = fw_cs_http_get(&b->http, url, b->key, &status, msg, msg_size);
	if (err == -ECANCELED)
		return FW_CS_CUT;
	if (err == -ENOMEM)
		snprintf(msg, msg_size, "out of memory");
	if (err)
		return FW_CS_DOWN;
	if (status == 401 || status == 403) {
		snprintf(msg, msg_size, "HTTP %ld", status);
		return FW_CS_REJECTED;
	}
	if (status != 200) {
		char body[FW_ESCAPED_SIZE(100)];

		snprintf(msg, msg_size, "HTTP %ld: %s", status,
			 fw_escape(body, sizeof(body), b->http.body, strnlen(b->http.body, 100)));
		return FW_CS_HTTP_ERROR;
	}
	return fw_cs_take(b, asked, msg, msg_size);
}

static bool fw_cs_same_api(const struct fw_cs_settings *a, const struct fw_cs_settings *b)
{
	return !strcmp(a->url, b->url) && !strcmp(a->key_file, b->key_file);
}

/* Takes the settings a reload gave, if any. */
static void fw_cs_take_settings(struct fw_cs_bouncer *b)
{
	struct fw_cs_settings next = { 0 };
	bool changed;

	pthread_mutex_lock(&b->lock);
	changed = b->changed;
	if (changed) {
		next = b->next;
		memset(&b->next, 0, sizeof(b->next));
		b->changed = false;
	}
	pthread_mutex_unlock(&b->lock);
	if (!changed)
		return;
	if (!fw_cs_same_api(&next, &b->cur)) {
		b->whole = true;
		b->state = FW_CS_STARTING; /* say where it bounces now */
		b->backoff_ms = 0;
	}
	fw_cs_settings_free(&b->cur);
	b->cur = next;
}

/* Sleeps ms, or less when stopped or given new settings. */
static void fw_cs_sleep(struct fw_cs_bouncer *b, uint32_t ms)
{
	double end = fw_now_ms() + ms;

	for (;;) {
		double left = end - fw_now_ms();
		bool changed;

		if (left <= 0 || atomic_load(&b->stop))
			return;
		fw_cs_http_wait(&b->http, (int)ceil(left));
		pthread_mutex_lock(&b->lock);
		changed = b->changed;
		pthread_mutex_unlock(&b->lock);
		if (changed)
			return;
	}
}

static void *fw_cs_main(void *arg)
{
	struct fw_cs_bouncer *b = arg;
	char msg[512];

	while (!atomic_load(&b->stop)) {
		enum fw_cs_state state;

		atomic_store(&b->cut, false); /* before taking the settings that set it */
		fw_cs_take_settings(b);
		msg[0] = '\0';
		state = fw_cs_poll(b, msg, sizeof(msg));
		if (state == FW_CS_CUT) { /* the Local API may count it as pulled: start over */
			b->whole = true;
			continue;
		}
		fw_cs_report(b, state, msg);
		if (state == FW_CS_OK) {
			b->whole = false;
			b->backoff_ms = 0;
			fw_cs_sleep(b, b->cur.poll_ms);
			continue;
		}
		b->whole = true;
		b->backoff_ms = b->backoff_ms ? b->backoff_ms * 2 : FW_CS_BACKOFF_MIN_MS;
		if (b->backoff_ms > fw_cs_backoff_max(b))
			b->backoff_ms = fw_cs_backoff_max(b);
		fw_cs_sleep(b, b->backoff_ms);
	}
	return NULL;
}

static void fw_cs_free(struct fw_cs_bouncer *b)
{
	fw_cs_http_close(&b->http);
	fw_cs_settings_free(&b->cur);
	fw_cs_settings_free(&b->next);
	fw_cs_settings_free(&b->given);
	pthread_mutex_destroy(&b->lock);
	explicit_bzero(b->key, sizeof(b->key));
	free(b->pin_dir);
	free(b);
	curl_global_cleanup();
}

struct fw_cs_bouncer *fw_cs_start(const char *pin_dir, const struct fw_config *cfg)
{
	struct fw_cs_bouncer *b;
	int err;

	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		fw_error("crowdsec: libcurl failed to start; no bouncer");
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		curl_global_cleanup();
		fw_error("crowdsec: out of memory; no bouncer");
		return NULL;
	}
	pthread_mutex_init(&b->lock, NULL);
	atomic_init(&b->stop, false);
	atomic_init(&b->cut, false);
	b->whole = true;
	b->pin_dir = strdup(pin_dir);
	err = b->pin_dir ? fw_cs_settings_from(cfg, &b->cur) : -ENOMEM;
	if (!err)
		err = fw_cs_settings_from(cfg, &b->given);
	if (!err)
		err = fw_cs_http_init(&b->http, &b->cut);
	if (!err)
		err = -pthread_create(&b->thread, NULL, fw_cs_main, b);
	if (err) {
		fw_error("crowdsec: cannot start the bouncer: %s", strerror(-err));
		fw_cs_free(b);
		return NULL;
	}
	return b;
}

void fw_cs_configure(struct fw_cs_bouncer *b, const struct fw_config *cfg)
{
	struct fw_cs_settings next, given;
	bool same;

	if (fw_cs_settings_from(cfg, &next)) {
		fw_error("crowdsec: out of memory; the bouncer keeps its settings");
		return;
	}
	if (fw_cs_settings_from(cfg, &given)) {
		fw_cs_settings_free(&next);
		fw_error("crowdsec: out of memory; the bouncer keeps its settings");
		return;
	}
	pthread_mutex_lock(&b->lock);
	same = fw_cs_same_api(&b->given, &given);
	fw_cs_settings_free(&b->next);
	fw_cs_settings_free(&b->given);
	b->next = next;
	b->given = given;
	b->changed = true; /* and so polls now: a reload also retries at once */
	if (!same) /* a wait on the old Local API is not worth finishing */
		atomic_store(&b->cut, true);
	pthread_mutex_unlock(&b->lock);
	fw_cs_http_wake(&b->http);
}

void fw_cs_stop(struct fw_cs_bouncer *b)
{
	if (!b)
		return;
	atomic_store(&b->stop, true);
	atomic_store(&b->cut, true);
	fw_cs_http_wake(&b->http);
	pthread_join(b->thread, NULL);
	fw_cs_free(b);
}

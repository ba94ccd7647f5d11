/* SPDX-License-Identifier: GPL-2.0 */
/* Decisions of the Local API's stream, as JSON text for the bouncer's tests. */
#ifndef CROWDSEC_JSON_H
#define CROWDSEC_JSON_H

/* A "new" ban decision. */
#define CS_BAN(duration, scenario, scope, value)                                          \
	"{\"duration\":\"" duration "\",\"scenario\":\"" scenario "\",\"scope\":\"" scope \
	"\",\"type\":\"ban\",\"value\":\"" value "\"}"
/* A "deleted" one: the stream says no more than this of what matters. */
#define CS_GONE(scope, value) "{\"scope\":\"" scope "\",\"type\":\"ban\",\"value\":\"" value "\"}"

#endif /* CROWDSEC_JSON_H */

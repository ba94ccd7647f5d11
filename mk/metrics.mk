# Prometheus metrics: the daemon serves /metrics through libmicrohttpd
# (fw/metrics_http.c). tests/netns/test_prometheus.sh scrapes it with a real
# Prometheus server, feeds `stats --prometheus` to node_exporter's textfile
# collector, and checks the text and the shipped alert rules with promtool.
DEB_PACKAGES += libmicrohttpd-dev prometheus prometheus-node-exporter curl
LDLIBS += -lmicrohttpd

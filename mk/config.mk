# The config parser checks crowdsec.url with libcurl's URL parser, the one the bouncer connects with.
DEB_PACKAGES += libcurl4-openssl-dev
LDLIBS += -lcurl

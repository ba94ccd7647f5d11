# tests/lint/test_shellcheck.sh, which make test runs, needs shellcheck.
DEB_PACKAGES += shellcheck

# The unit tests again, built with AddressSanitizer and UBSan into
# build/asan/: their own libxdpfw.a, helpers and test binaries, from the same
# sources and rules (a sub-make with BUILD=build/asan), so the sanitized build
# follows the plain one. The flags ride on CC, which every compile and link
# uses. UBSan aborts at the first finding; make test runs them.
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: asan-tests
asan-tests:
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/asan CC='$(CC) $(SAN_FLAGS)' unit-tests

TEST_BUILD += asan-tests

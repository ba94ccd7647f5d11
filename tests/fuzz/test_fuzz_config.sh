#!/bin/bash
# Smoke-fuzzes the config harness (tests/fuzz/fuzz_config.c); see fuzz.sh.
exec bash "$(dirname "$0")/fuzz.sh" config

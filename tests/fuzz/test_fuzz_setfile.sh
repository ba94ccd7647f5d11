#!/bin/bash
# Smoke-fuzzes the list-file reader (tests/fuzz/fuzz_setfile.c); see fuzz.sh.
exec bash "$(dirname "$0")/fuzz.sh" setfile

#!/bin/bash
# Smoke-fuzzes the frame harness (tests/fuzz/fuzz_frame.c); see fuzz.sh.
exec bash "$(dirname "$0")/fuzz.sh" frame

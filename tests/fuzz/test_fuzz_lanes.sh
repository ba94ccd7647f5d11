#!/bin/bash
# Smoke-fuzzes the lanes harness (tests/fuzz/fuzz_lanes.c); see fuzz.sh. The seeds must
# all be read by the fast lane, or the harness would compare libyaml with itself.
exec bash "$(dirname "$0")/fuzz.sh" lanes FUZZ_LANES_EXPECT_FAST=1

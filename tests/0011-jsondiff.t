#!/bin/sh
# Reads tests/fixtures/json-*.txt relative to the source tree.
cd "$(dirname "$0")/.." || exit 1
CM_TESTS=tests exec "${CM_BUILD:?}/tests/jsondiff"

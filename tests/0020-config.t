#!/bin/sh
# The config file's unit tests, run from the top of the tree: they read
# tests/fixtures/config.
build=$(cd "${CM_BUILD:?}" && pwd) || exit 1
cd "$(dirname "$0")/.." && exec "$build/tests/config"

#!/bin/sh
# The app's tests: each compares greet's output with what it must print.
set -e
. "$(dirname "$0")/greet.sh"
[ "$(greet)" = "hello, world" ] || { echo "FAIL: greet with no name"; exit 1; }
[ "$(greet db)" = "hello, db" ] || { echo "FAIL: greet db"; exit 1; }
echo "ok: 2 tests"

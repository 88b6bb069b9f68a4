#!/usr/bin/env bash
# The whole test suite, as README.md states it and .ci/run runs it:
#  1. every package with the race detector (engine tests, e2e, fault suite);
#  2. the faults that restart dockerd (build tag daemonrestart), alone and
#     after everything else, because a restart disturbs every test that is
#     using the engine. They bring the daemon back as it was.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
go test -race -count=1 -timeout 40m ./...
go test -race -count=1 -timeout 10m -tags daemonrestart -run 'TestFaultDaemon' ./e2e/

#!/usr/bin/env bash
# The whole test suite, as README.md states it and .ci/run runs it:
#  1. every package with the race detector (engine tests, e2e, fault suite);
#  2. the build tests again with the docker buildx plugin installed, the way
#     a Docker Desktop user has it (scripts/buildx.sh builds it once, cached);
#  3. the faults that restart dockerd (build tag daemonrestart), alone and
#     after everything else, because a restart disturbs every test that is
#     using the engine. They bring the daemon back as it was.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
case ":$PATH:" in *:/usr/local/go/bin:*) ;; *) export PATH="$PATH:/usr/local/go/bin" ;; esac

go test -race -count=1 -timeout 40m ./...

plugins=$(bash scripts/buildx.sh)
config=$(mktemp -d)
trap 'rm -rf "$config"' EXIT
mkdir -p "$config/cli-plugins"
ln -s "$plugins/docker-buildx" "$config/cli-plugins/docker-buildx"
echo "test.sh: build tests again with $(DOCKER_CONFIG=$config docker buildx version)"
DOCKER_CONFIG=$config go test -race -count=1 -timeout 20m -run 'Build|Stage|Prune' ./stack/

echo "test.sh: faults that restart dockerd"
go test -race -count=1 -timeout 10m -tags daemonrestart -run 'TestFaultDaemon' -v ./e2e/

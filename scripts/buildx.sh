#!/usr/bin/env bash
# Builds the docker buildx plugin v0.38.2 from its Go module (the Go module
# proxy is the only source reachable here) into a cache folder, once, and
# prints the path of a CLI plugins folder holding it as docker-buildx. Tests
# that exercise the buildx path point DOCKER_CONFIG at a temporary config
# whose cli-plugins folder links to it; nothing is installed system-wide.
set -euo pipefail
VERSION=v0.38.2
CACHE=${DEVSTACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/devstack}
PLUGINS=$CACHE/buildx-$VERSION/cli-plugins
BIN=$PLUGINS/docker-buildx
if [ -x "$BIN" ] && "$BIN" version >/dev/null 2>&1; then
  echo "$PLUGINS"
  exit 0
fi
mkdir -p "$PLUGINS"
exec 9>"$CACHE/buildx.lock"
flock 9
if [ -x "$BIN" ]; then echo "$PLUGINS"; exit 0; fi
export PATH="$PATH:/usr/local/go/bin"
src=$(GOFLAGS=-mod=mod go mod download -json "github.com/docker/buildx@$VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
[ -d "$src" ] || { echo "buildx.sh: could not download github.com/docker/buildx@$VERSION" >&2; exit 1; }
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cp -r "$src/." "$work/"
chmod -R u+w "$work"
(cd "$work" && CGO_ENABLED=0 go build -trimpath -mod=mod \
  -ldflags "-s -w -X github.com/docker/buildx/version.Version=$VERSION -X github.com/docker/buildx/version.Package=github.com/docker/buildx" \
  -o "$BIN.tmp" ./cmd/buildx) >&2
mv "$BIN.tmp" "$BIN"
echo "$PLUGINS"

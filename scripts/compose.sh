#!/usr/bin/env bash
# Builds Docker Compose v5.6.0 from its Go module (the Go module proxy is the
# only source reachable here) into a cache folder, once, and prints the
# binary's path. The compatibility tests run it against stacks devstack made.
set -euo pipefail
VERSION=v5.6.0
CACHE=${DEVSTACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/devstack}
BIN=$CACHE/docker-compose-$VERSION
if [ -x "$BIN" ] && "$BIN" version >/dev/null 2>&1; then
  echo "$BIN"
  exit 0
fi
mkdir -p "$CACHE"
exec 9>"$CACHE/compose.lock"
flock 9
if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
export PATH="$PATH:/usr/local/go/bin"
src=$(GOFLAGS=-mod=mod go mod download -json "github.com/docker/compose/v5@$VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
[ -d "$src" ] || { echo "compose.sh: could not download github.com/docker/compose/v5@$VERSION" >&2; exit 1; }
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cp -r "$src/." "$work/"
chmod -R u+w "$work"
(cd "$work" && CGO_ENABLED=0 go build -trimpath \
  -ldflags "-s -w -X github.com/docker/compose/v5/internal.Version=$VERSION" \
  -o "$BIN.tmp" ./cmd) >&2
mv "$BIN.tmp" "$BIN"
echo "$BIN"

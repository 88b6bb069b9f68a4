#!/usr/bin/env bash
# Runs devstack's benchmarks against the real engine and prints their
# figures next to the floors and budgets they compare to (design.md,
# "Performance budgets"). On demand only: CI's pass/fail does not depend on
# timings. Results are also kept in bench/out/<date>.txt.
#
#   bash bench/run.sh            # everything (about 5 minutes)
#   bash bench/run.sh up logs    # some groups: up logs stats tui watch pull startup build devloop
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PATH:/usr/local/go/bin"
bash scripts/fixtures.sh busybox loadgen >/dev/null
mkdir -p bench/out
out=bench/out/$(date -u +%Y%m%dT%H%M%SZ).txt
groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(up logs stats tui watch pull startup build devloop)
run() { echo "== $*" | tee -a "$out"; go test -run XXX "$@" 2>&1 | grep -vE '^(goos|goarch|pkg|cpu):' | tee -a "$out"; }
for g in "${groups[@]}"; do
  case $g in
  up)    run ./stack -bench 'BenchmarkUp(Cold10|Noop)$' -benchtime 5x ;;
  logs)  run ./stack -bench 'BenchmarkLogsFlood|BenchmarkCopyLogsParse' -benchtime 1x ;;
  stats) run ./stack -bench 'BenchmarkStatsScheduler' -benchtime 1x ;;
  tui)   run ./tui -bench . -benchmem ;;
  watch) run ./e2e -bench 'BenchmarkDashboardWatch30' -benchtime 1x ;;
  pull)  run ./stack -bench 'BenchmarkPull6$' -benchtime 3x
         run ./cmd/devstack -bench 'BenchmarkPullView' -benchmem ;;
  startup) run ./e2e -bench 'BenchmarkUpNoopProcess' -benchtime 15x ;;
  # The example app's Dockerfile: BuildKit, classic, compose+buildx (about 2 minutes).
  build) run ./stack -bench 'BenchmarkBuildAppDB' -benchtime 1x ;;
  # develop.watch against docker compose watch (needs scripts/compose.sh, ~3 min)
  devloop) run ./stack -bench 'BenchmarkWatch(SaveToVisible|Idle20k)$' -benchtime 1x -timeout 30m ;;
  *) echo "bench: unknown group $g (up logs stats tui watch pull startup build devloop)" >&2; exit 2 ;;
  esac
done
echo "figures kept in $out"

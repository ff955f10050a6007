#!/usr/bin/env bash
# Two or more builds of the server against each other and the yardstick, in one run: for each round,
# each build just started (fresh ledger) and then warm (a second run on the same server), the builds
# alternated, with the yardstick's first run before and after the rounds. Prints every run, then each
# build's mean headline and its ratio to the yardstick (the mean of its two runs).
# NAME=DIR names a checkout whose server is built (DIR/server/target/quarkus-app); the load generator
# is always this checkout's. The servers run as the README starts them (-XX:TieredStopAtLevel=1).
# Usage: bench/compare.sh [--rounds N] NAME=DIR NAME=DIR…   e.g.
#   git worktree add /tmp/before HEAD~1 && (cd /tmp/before && ./mvnw -q -DskipTests package -pl server -am)
#   bench/compare.sh --rounds 2 before=/tmp/before now=.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=2
if [ "${1:-}" = --rounds ]; then rounds=$2; shift 2; fi
[ $# -ge 1 ] || { sed -n 2,10p "$0" | sed 's/^# \{0,1\}//'; exit 2; }
out=$(mktemp -d)
port=${QUARKUS_HTTP_PORT:-8080}
results="$out/results"
. bench/runs.sh
declare -A dir=()
names=()
for pair in "$@"; do
  name=${pair%%=*}; dir[$name]=${pair#*=}; names+=("$name")
  [ -f "${dir[$name]}/server/target/quarkus-app/quarkus-run.jar" ] || { echo "no server built in ${dir[$name]}"; exit 2; }
done

yardstick() {
  settle
  local ypid; ypid=$(start_yardstick "$out/yardstick.log")
  timed_run yardstick "$out/yardstick.$1" "$ypid"
  stop "$ypid"
}
echo "== yardstick, first run"
yardstick 1
for round in $(seq 1 "$rounds"); do
  echo "== round $round"
  for name in "${names[@]}"; do
    settle
    pid=$(start_server "$out/$name.$round.log" java -XX:TieredStopAtLevel=1 -jar "${dir[$name]}/server/target/quarkus-app/quarkus-run.jar")
    timed_run "$name-first" "$out/$name.$round.first" "$pid" --server-url "http://localhost:$port"
    settle
    timed_run "$name-warm" "$out/$name.$round.warm" "$pid" --server-url "http://localhost:$port"
    stop "$pid"
  done
done
echo "== yardstick, first run again"
yardstick 2
awk '$1 == "yardstick" { y += $2; ny++ } $1 != "yardstick" { sum[$1] += $2; n[$1]++ }
  END { for (c in sum) printf "%-20s mean headline %6.2f s, ratio to the yardstick (mean %.2f s) %.2f\n", c,
        sum[c] / n[c], y / ny, sum[c] / n[c] / (y / ny) }' "$results" | sort

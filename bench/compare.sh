#!/usr/bin/env bash
# Two or more builds of the server against each other and the yardstick, in one run: each round runs the
# yardstick, then each build, each of them just started (a fresh process, a fresh ledger) and then warm
# (a second run on the same process), so that the machine's drift falls on all of them alike. Prints
# every run, then each one's mean headline and its ratio to the yardstick's mean in the same state
# (just started to just started, warm to warm).
# NAME=DIR names a checkout whose server is built (DIR/server/target/quarkus-app); the load generator
# is always this checkout's. The servers run as the README starts them ($server_jvm in bench/runs.sh).
# Usage: bench/compare.sh [--rounds N] NAME=DIR NAME=DIR…   e.g.
#   git worktree add /tmp/before HEAD~1 && (cd /tmp/before && ./mvnw -q -DskipTests package -pl server -am)
#   bench/compare.sh --rounds 2 before=/tmp/before now=.
#   bench/compare.sh --rounds 3 now=.      (this build alone against the yardstick)
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

yardstick() { # round
  settle
  local ypid; ypid=$(start_yardstick "$out/yardstick.log")
  timed_run yardstick-first "$out/yardstick.$1.first" "$ypid"
  settle
  timed_run yardstick-warm "$out/yardstick.$1.warm" "$ypid"
  stop "$ypid"
}
for round in $(seq 1 "$rounds"); do
  echo "== round $round"
  yardstick "$round"
  for name in "${names[@]}"; do
    settle
    pid=$(start_server "$out/$name.$round.log" java $server_jvm -jar "${dir[$name]}/server/target/quarkus-app/quarkus-run.jar")
    timed_run "$name-first" "$out/$name.$round.first" "$pid" --server-url "http://localhost:$port"
    settle
    timed_run "$name-warm" "$out/$name.$round.warm" "$pid" --server-url "http://localhost:$port"
    stop "$pid"
  done
done
awk '{ sum[$1] += $2; n[$1]++ }
  END { for (c in sum) { state = c; sub(/.*-/, "", state); y = sum["yardstick-" state] / n["yardstick-" state]
          printf "%-20s mean headline %6.2f s over %d runs, ratio to the yardstick %s (%.2f s): %.2f\n", c,
            sum[c] / n[c], n[c], state, y, sum[c] / n[c] / y } }' "$results" | sort

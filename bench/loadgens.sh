#!/usr/bin/env bash
# Two or more builds of the load generator against each other, in one run, each driving the same
# yardstick (../shared/tools/yardstick.sh, started once) with 20,000 voters, 1,000 per connection, runs
# alternated so that the machine's drift falls on all of them alike. Prints every run (headline, whole
# command, the yardstick's, the broker's and the load generator's CPU), then each build's means.
# NAME=DIR names a checkout whose load generator is built (DIR/loadtest/target/quarkus-app); each runs
# as the README starts it ($loadtest_java's flags in bench/runs.sh).
# Usage: bench/loadgens.sh [--rounds N] NAME=DIR NAME=DIR…   e.g.
#   git worktree add /tmp/before HEAD~1 && (cd /tmp/before && ./mvnw -q -DskipTests package -pl loadtest -am)
#   bench/loadgens.sh --rounds 4 before=/tmp/before now=.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3
if [ "${1:-}" = --rounds ]; then rounds=$2; shift 2; fi
[ $# -ge 1 ] || { sed -n 2,10p "$0" | sed 's/^# \{0,1\}//'; exit 2; }
out=$(mktemp -d)
results="$out/results"
. bench/runs.sh
names=()
declare -A dir=()
for pair in "$@"; do
  name=${pair%%=*}; dir[$name]=$(cd "${pair#*=}" && pwd); names+=("$name")
  [ -f "${dir[$name]}/loadtest/target/quarkus-app/quarkus-run.jar" ] || { echo "no load generator built in ${dir[$name]}"; exit 2; }
done
flags=${loadtest_java#java }
flags=${flags% -jar *}

ypid=$(start_yardstick "$out/yardstick.log")
on_exit "stop $ypid"
for round in $(seq 1 "$rounds"); do
  echo "== round $round"
  for name in "${names[@]}"; do
    settle
    loadtest_java="java $flags -jar ${dir[$name]}/loadtest/target/quarkus-app/quarkus-run.jar"
    timed_run "$name" "$out/$name.$round" "$ypid" | tee -a "$out/lines"
  done
done
echo "== means over $rounds rounds"
for name in "${names[@]}"; do
  awk -v n="$name" '$1 == n {h += $3; w += $6; l += $17; b += $13; c++}
    END {printf "%-14s headline %7.2f s  whole %6.2f s  broker CPU %6.2f s  load generator CPU %6.2f s\n", n, h/c, w/c, b/c, l/c}' "$out/lines"
done

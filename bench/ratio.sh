#!/usr/bin/env bash
# The vote path against the yardstick, in one run (issue #13, #19): the same load generator drives
#   1. ../shared/tools/yardstick.sh (the least work a vote server can do), 20,000 voters, twice;
#   2. our server just started (fresh ledger), 20,000 voters, then again warm, then 20,000 voters that
#      each also follow the broadcast (--subscribe);
#   3. the yardstick started again, 20,000 voters with --subscribe.
# and prints each run's headline, the server's CPU per run, and the ratios to the yardstick. Each pair
# of runs it divides follows one another: the machine's speed drifts within minutes, and a --subscribe
# run between the two plain pairs put a minute or more of drift into their ratio.
# Usage: bench/ratio.sh   (after ./mvnw -DskipTests package; the broker as for the programs)
# The server runs as the README starts it ($server_jvm in bench/runs.sh: the quick compiler, the serial
# collector); SERVER_JAVA_OPTS= bench/ratio.sh   runs it with the JVM's defaults instead
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/runs.sh
out=$(mktemp -d)

run() { # name pid file [loadtest flags]
  settle
  local name=$1 pid=$2 file=$3; shift 3
  local before; before=$(cpu "$pid")
  /usr/bin/time -f "whole command %e s" -o "$file.time" bash -c "$(declare -f loadtest); loadtest $*" > "$file" 2>&1 \
    || echo "($name: load generator exit status $?)"
  grep -E "wall time|phases|votes/s|resident memory|publish → answer|unanswered|^PASS|^FAIL" "$file" | sed "s/^/  /"
  echo "  $(cat "$file.time"), server CPU $(awk -v a="$before" -v b="$(cpu "$pid")" 'BEGIN {printf "%.2f", b - a}') s"
}

echo "== yardstick"
ypid=$(start_yardstick "$out/yardstick.log")
on_exit 'stop $ypid'
run "yardstick first" "$ypid" "$out/y1"
run "yardstick again" "$ypid" "$out/y2"
stop "$ypid"
echo "== our server, just started"
spid=$(start_server "$out/server.log" java $server_jvm -jar server/target/quarkus-app/quarkus-run.jar)
on_exit 'stop $spid'
# Our server tells its tally over HTTP, so the run needs not wait for a broadcast before voting.
url="--server-url http://localhost:${QUARKUS_HTTP_PORT:-8080}"
run "server first" "$spid" "$out/s1" $url
echo "== our server, warm"
run "server again" "$spid" "$out/s2" $url
echo "== our server, --subscribe"
run "server subscribe" "$spid" "$out/s3" $url --subscribe --timeout 120
metrics=$(curl -s "localhost:${QUARKUS_HTTP_PORT:-8080}/q/metrics" | grep -E '^votacao_(ledger_batch_entries_(sum|count)|broadcasts_deferred_total|broadcast_confirm_seconds_(sum|count))' | awk '{printf "%s=%s ", $1, $2}')
stop "$spid"
echo "== yardstick, --subscribe"
ypid=$(start_yardstick "$out/yardstick.log")
run "yardstick subscribe" "$ypid" "$out/y3" --subscribe --timeout 120
stop "$ypid"
y=$(headline "$out/y1"); y2=$(headline "$out/y2"); y3=$(headline "$out/y3"); s1=$(headline "$out/s1"); s2=$(headline "$out/s2"); s3=$(headline "$out/s3")
awk -v y="$y" -v y2="$y2" -v y3="$y3" -v s1="$s1" -v s2="$s2" -v s3="$s3" 'BEGIN {
  printf "ratio, server just started / yardstick first: %.2f\n", s1 / y
  printf "ratio, server warm / yardstick again:         %.2f\n", s2 / y2
  printf "ratio, --subscribe, server / yardstick:       %.2f\n", s3 / y3
  printf "ratio, --subscribe / plain (warm server):     %.2f\n", s3 / s2 }'
echo "server metrics: $metrics"

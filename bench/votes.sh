#!/usr/bin/env bash
# The benchmark of issue #4 and #5: a server on a fresh ledger, then the load generator at 20,000
# voters (plain, twice, and --subscribe), 100,000 voters, and the legacy mode, each printing its table.
# bench/channel-cost.sh shows what the broker alone pays for one channel per voter.
# Usage: bench/votes.sh   (after ./mvnw -DskipTests package; broker as for the programs)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/runs.sh
server=server/target/quarkus-app/quarkus-run.jar
loadtest="/usr/bin/time -f %MKiB-max-RSS $loadtest_java --server-url http://localhost:${QUARKUS_HTTP_PORT:-8080}"
log=$(mktemp)
pid=$(start_server "$log" java $server_jvm -jar "$server")
on_exit 'stop $pid'

# The broker drops a finished run's channels and queues in the background: settle (bench/runs.sh) waits
# for that before the next.
# A failed run is reported in its table; the next ones still run. Each prints its whole time and the
# load generator's peak memory last.
run() { settle; echo "== $1"; shift; local t0; t0=$(date +%s.%N); "$@" || echo "(exit status $?)";
  echo "whole command $(echo "$(date +%s.%N) - $t0" | bc) s"; }
run "warm-up (2,000 voters)" $loadtest --clients 2000 --per-connection 1000
run "20,000 voters, 1,000 per connection" $loadtest --clients 20000 --per-connection 1000
# The server's JVM is still compiling its hot paths during the first run (the native executable has no
# such warm-up); the same run again shows the steady state.
run "20,000 voters again, server warm" $loadtest --clients 20000 --per-connection 1000
run "20,000 voters, --subscribe" $loadtest --clients 20000 --per-connection 1000 --subscribe --timeout 120
run "100,000 voters" $loadtest --clients 100000 --per-connection 1000 --timeout 300
run "20,000 voters, --legacy" $loadtest --clients 20000 --per-connection 1000 --legacy

# The legacy votes await no answer, so they are still being decided: let the server finish them (the
# count of decided votes stops moving) rather than leave them in the queue for the next start.
decided() { curl -s "localhost:${QUARKUS_HTTP_PORT:-8080}/q/metrics" | awk '/^votacao_vote_processing_seconds_count/ {print $2}' || true; }
before=""
for _ in $(seq 1 120); do
  kill -0 "$pid" 2>/dev/null || break
  now=$(decided)
  [ -n "$now" ] && [ "$now" = "$before" ] && break
  before=$now
  sleep 2
done
echo "server decided ${before:-?} votes in all"

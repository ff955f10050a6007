#!/usr/bin/env bash
# Warm-up, in one run (issue #13): the same 20,000-voter run (1,000 per connection) against a server
# just started, for each way of starting the JVM, next to the yardstick's first run:
#   jdk17-c1       java 17 as the README starts the server ($server_jvm: the quick compiler, the serial collector)
#   jdk25-c1       Temurin 25, the same flags and jar
#   jdk25-aot      Temurin 25 (serial collector, default compilers) with an AOT cache (JEP 483/514/515:
#                  classes loaded and linked, method profiles) trained by one 20,000-voter run, on
#                  Quarkus's aot-jar packaging
#   jdk25-aot-c1   the same cache with the quick compiler alone
# Each configuration runs ROUNDS times (default 2), the configurations alternated. Prints, per run, the
# server's start time, the headline, the whole command and the server's CPU, then the ratios to the yardstick.
# Usage: bench/warmup.sh [ROUNDS]   (after ./mvnw -DskipTests package; JAVA25 defaults to Temurin 25)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
java25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
out=$(mktemp -d)
port=${QUARKUS_HTTP_PORT:-8080}
. bench/runs.sh

echo "== building the aot-jar packaging (server/target/aot) and training its AOT cache"
./mvnw -q -B -DskipTests package -pl server -Dquarkus.package.jar.type=aot-jar -Dquarkus.package.output-directory=aot
rm -f server/target/aot/app.aot
pid=$(start_server "$out/train.log" "$java25" $server_jvm -XX:AOTCacheOutput=server/target/aot/app.aot -jar server/target/aot/quarkus-run.jar)
loadtest --server-url "http://localhost:$port" > "$out/train-run.txt" 2>&1 || { cat "$out/train-run.txt"; exit 1; }
stop "$pid" # the JVM writes the cache as it exits
ls server/target/aot/app.aot > /dev/null

declare -A command=(
  [jdk17-c1]="java $server_jvm -jar server/target/quarkus-app/quarkus-run.jar"
  [jdk25-c1]="$java25 $server_jvm -jar server/target/quarkus-app/quarkus-run.jar"
  [jdk25-aot]="$java25 -XX:+UseSerialGC -XX:AOTCache=server/target/aot/app.aot -jar server/target/aot/quarkus-run.jar"
  [jdk25-aot-c1]="$java25 $server_jvm -XX:AOTCache=server/target/aot/app.aot -jar server/target/aot/quarkus-run.jar"
)
configs=(jdk17-c1 jdk25-c1 jdk25-aot jdk25-aot-c1)
results="$out/results"


echo "== yardstick, first run"
settle
ypid=$(start_yardstick "$out/yardstick.log")
timed_run yardstick "$out/yardstick" "$ypid"
stop "$ypid"

for round in $(seq 1 "$rounds"); do
  echo "== round $round: our server, just started"
  for name in "${configs[@]}"; do
    settle
    # shellcheck disable=SC2086
    pid=$(start_server "$out/$name.$round.log" ${command[$name]})
    printf "%-14s ready %s ms after its launch\n" "$name" "$(cat "$out/$name.$round.log.ready-ms")"
    timed_run "$name" "$out/$name.$round" "$pid" --server-url "http://localhost:$port"
    stop "$pid"
  done
done

awk '$1 == "yardstick" { y = $2 } $1 != "yardstick" { sum[$1] += $2; n[$1]++ }
  END { for (c in sum) printf "ratio to the yardstick, %-14s %.2f (mean headline %.2f s)\n", c, sum[c] / n[c] / y, sum[c] / n[c] }' \
  "$results" | sort

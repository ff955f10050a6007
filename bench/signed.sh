#!/usr/bin/env bash
# What signed mode costs: 20,000 voters against a server in open mode and against one in signed mode
# (every vote's Ed25519 credential checked; the load generator signs them), alternated, in one run, on
# a private broker of their own. Needs the packaged programs: ./mvnw -DskipTests package
#   bench/signed.sh [VOTERS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/runs.sh # $loadtest_java: the load generator with the README's JVM flags
voters=${1:-20000}
rounds=${2:-2}
dir=target/bench-signed
rm -rf "$dir"
mkdir -p "$dir"
port=$(tools/rabbitmq-node start "$dir/broker" --fresh --until-pid $$)
export RABBITMQ_HOST=127.0.0.1 RABBITMQ_PORT=$port
server_jar=server/target/quarkus-app/quarkus-run.jar
java -jar "$server_jar" chaves --saida "$dir/keys" >/dev/null

run() { # MODE ROUND
  local mode=$1 round=$2 log="$dir/server-$1-$2.log" env=()
  env+=(VOTACAO_LEDGER_STREAM="$(bench_stream)" VOTACAO_DURACAO=600s QUARKUS_HTTP_PORT=8093)
  local extra=()
  if [ "$mode" = signed ]; then
    env+=(VOTACAO_IDENTIDADE=assinada VOTACAO_ENQUETE=bench VOTACAO_CHAVE_PUBLICA="$dir/keys/chave-publica.pem")
    extra=(--chave "$dir/keys/chave.pem" --enquete bench)
  fi
  env "${env[@]}" java $server_jvm -jar "$server_jar" >"$log" 2>&1 &
  local pid=$!
  until grep -q "Voting server ready" "$log"; do sleep 0.5; done
  $loadtest_java --clients "$voters" --per-connection 1000 \
    --server-url http://localhost:8093 --run-id "$mode-$round" "${extra[@]}" >"$dir/loadtest-$mode-$round.log" 2>&1 || true
  local cpu
  cpu=$(awk '{print ($14 + $15) / 100}' "/proc/$pid/stat")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local wall rate verdict
  wall=$(grep -m1 'wall time' "$dir/loadtest-$mode-$round.log" | awk '{print $3}')
  rate=$(grep -m1 'votes/s' "$dir/loadtest-$mode-$round.log" | awk '{print $2}')
  verdict=$(grep -E '^(PASS|FAIL)' "$dir/loadtest-$mode-$round.log" | cut -c1-60)
  printf '%-7s round %d: %8s s  %6s votes/s  server CPU %6.1f s  %s\n' "$mode" "$round" "$wall" "$rate" "$cpu" "$verdict"
}

for round in $(seq 1 "$rounds"); do
  run open "$round"
  run signed "$round"
done

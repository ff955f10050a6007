#!/usr/bin/env bash
# The whole system against the original's clock (issues #13, #14), in one run, on a private broker node
# of its own: the original Go server and load generator (20,000 votes published, no answer awaited,
# no confirm) against our server just started and our load generator (20,000 voters, each awaiting its
# confirmed answer, the tally checked), rounds alternated. Each run is timed as a whole command.
# Usage: bench/go-original.sh SERVER.go LOADTEST.go [rounds]
#   SERVER.go, LOADTEST.go: the original's server and load generator (single-file programs on
#   github.com/rabbitmq/amqp091-go; not part of this project). Only their broker address is changed,
#   to the private node's port. Needs Debian's golang-go and golang-github-rabbitmq-amqp091-go-dev, and
#   ./mvnw -DskipTests package.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 2,10p "$0" | sed 's/^# \{0,1\}//'; exit 2; }
rounds=${3:-2}
out=$(mktemp -d)
node=target/bench-go-node
. bench/runs.sh
port=$(tools/rabbitmq-node start "$node" --fresh)
# The servers' ledger streams are on this node, which the next run starts afresh: nothing to delete elsewhere.
on_exit 'tools/rabbitmq-node stop "$node" >/dev/null 2>&1; : > "$bench_streams"'
export RABBITMQ_PORT=$port RABBITMQ_USERNAME=admin RABBITMQ_PASSWORD=admin
ctl() { tools/rabbitmq-node ctl "$node" "$@" 2>/dev/null; }

build() { # name file: the Go program with the private node's address, built in GOPATH mode on Debian's packages
  mkdir -p "$out/src/$1"
  sed "s|amqp://admin:admin@localhost:5672/|amqp://admin:admin@localhost:$port/|" "$2" > "$out/src/$1/main.go"
  (cd "$out/src/$1" && GO111MODULE=off GOPATH=/usr/share/gocode go build -o "$out/$1" main.go)
}
build go-server "$1"
build go-loadtest "$2"

quiet() { # until the node has no client connection left and its CPU is back near idle
  for _ in $(seq 1 120); do [ -z "$(ctl list_connections -q name)" ] && break; sleep 0.5; done
  sleep 2
}
whole() { # file server-pid command…: runs it; writes its whole time (s) to file.time and where the CPU
  # went meanwhile (the load generator's, the server's and the broker's CPU seconds) to file.cpu
  local t0 s0 b0 beam; t0=$(date +%s%N); beam=$(cat "$node/pid"); s0=$(cpu "$2"); b0=$(cpu "$beam")
  /usr/bin/time -f "%U %S" -o "$1.self" "${@:3}" > "$1" 2>&1 || echo "(exit status $?)" >> "$1"
  awk -v t="$(( $(date +%s%N) - t0 ))" 'BEGIN {printf "%.2f", t / 1e9}' > "$1.time"
  awk -v s0="$s0" -v s1="$(cpu "$2")" -v b0="$b0" -v b1="$(cpu "$beam")" '{u = $1 + $2}
    END {printf "CPU: load generator %.1f s, server %.1f s, broker %.1f s", u, s1 - s0, b1 - b0}' "$1.self" > "$1.cpu"
}

for round in $(seq 1 "$rounds"); do
  echo "== round $round"
  quiet; ctl delete_queue votos >/dev/null || true
  VOTING_TIMEOUT=600s "$out/go-server" > "$out/go-server.$round.log" 2>&1 &
  gpid=$!
  until grep -qs "Servidor de votação iniciado" "$out/go-server.$round.log"; do sleep 0.2; done
  whole "$out/go.$round" $gpid "$out/go-loadtest"
  printf "original (Go)   whole command %6s s   (its own report: %s)\n" "$(cat "$out/go.$round.time")" \
    "$(grep -E '^Tempo' "$out/go.$round" | tr -d '\n')"
  echo "                $(cat "$out/go.$round.cpu")"
  kill $gpid; wait $gpid 2>/dev/null || true

  quiet; ctl delete_queue votos >/dev/null || true
  spid=$(start_server "$out/server.$round.log" java $server_jvm -jar server/target/quarkus-app/quarkus-run.jar)
  whole "$out/ours.$round" "$spid" $loadtest_java --clients 20000 --per-connection 1000 \
    --server-url "http://localhost:${QUARKUS_HTTP_PORT:-8080}"
  printf "ours            whole command %6s s   (headline %s s, %s)\n" "$(cat "$out/ours.$round.time")" \
    "$(headline "$out/ours.$round")" "$(grep -E '^(PASS|FAIL)' "$out/ours.$round" | cut -c1-60)"
  echo "                $(cat "$out/ours.$round.cpu")"
  echo "ratio ours / original: $(awk -v a="$(cat "$out/ours.$round.time")" -v b="$(cat "$out/go.$round.time")" 'BEGIN {printf "%.2f", a / b}')"
  stop "$spid"
done

#!/usr/bin/env bash
# A server's own CPU for each vote when the votes arrive at once (bench/VoteFlood.java: N votes from 20
# channels, every answer awaited), in one run: the yardstick (../shared/tools/yardstick.sh), then our
# server just started (round 1) and warm (the rounds after). bench/ratio.sh measures the user's clock,
# where the votes come as 20,000 channels open, a few at a time; this measures what the server spends.
# Usage: bench/server-cpu.sh [votes] [rounds]   (after ./mvnw -DskipTests package; the broker as for the programs)
#   SERVER_DIR=DIR   a checkout whose server/target/quarkus-app is run instead of this one's. An older build
#   may declare "votos" with other arguments than the broker holds: give it a node of its own, e.g.
#     port=$(tools/rabbitmq-node start target/bench-node --fresh)
#     RABBITMQ_PORT=$port RABBITMQ_USERNAME=admin RABBITMQ_PASSWORD=admin SERVER_DIR=/tmp/old bench/server-cpu.sh
#     tools/rabbitmq-node stop target/bench-node
set -euo pipefail
cd "$(dirname "$0")/.."
votes=${1:-20000}
rounds=${2:-3}
server=${SERVER_DIR:-.}/server/target/quarkus-app/quarkus-run.jar
. bench/runs.sh
. bench/amqp-program.sh
out=$(mktemp -d)
cp="$(amqp_classpath):$(ls src-shared/target/src-shared-*.jar | grep -v tests | head -1)"
uri=$(amqp_uri)
flood() { settle; java -cp "$cp" bench/VoteFlood.java "$uri" "$votes" "$1" "$rounds" 2>&1 | grep -E "^round|Exception|Error"; }

echo "== our server ($server), just started (round 1), then warm"
spid=$(start_server "$out/server.log" java $server_jvm -jar "$server")
on_exit 'stop $spid'
flood "$spid" | sed "s/^/server    /"
stop "$spid"
if [ "${RABBITMQ_HOST:-localhost}:${RABBITMQ_PORT:-5672}" != localhost:5672 ]; then
  echo "(no yardstick: it reaches only the broker on localhost:5672)"
  exit 0
fi
echo "== yardstick (after the server, which declares the queue votos on a broker that never had it)"
ypid=$(start_yardstick "$out/yardstick.log")
flood "$ypid" | sed "s/^/yardstick /"
stop "$ypid"

#!/usr/bin/env bash
# The broker's cost of acknowledging votes one at a time (as the messaging connector does) against one
# acknowledgement per ten (as the yardstick's batches do): RabbitMQ PerfTest publishes 20,000 persistent
# messages at 2,500 a second to a quorum queue like votos and consumes them, acknowledging every message
# or every tenth with multiple=true, alternated; prints the broker's CPU for each run. No server, no vote.
# Usage: bench/ack-cost.sh [rounds]   (broker from RABBITMQ_HOST/PORT/USERNAME/PASSWORD, default admin@localhost;
# it deletes the queue it made, votacao.bench.ack-cost, and nothing else)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
cp=$(./mvnw -q -f bench/perftest/pom.xml dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
uri="amqp://${RABBITMQ_USERNAME:-admin}:${RABBITMQ_PASSWORD:-admin}@${RABBITMQ_HOST:-localhost}:${RABBITMQ_PORT:-5672}/%2F"
queue=votacao.bench.ack-cost
. bench/runs.sh
on_exit 'rabbitmqctl -q delete_queue "$queue" < /dev/null > /dev/null 2>&1'
beam=$(broker_pid)
for round in $(seq 1 "$rounds"); do
  for every in 1 10; do
    before=$(cpu "$beam")
    java -cp "$cp" com.rabbitmq.perf.PerfTest --uri "$uri" --queue "$queue" --auto-delete false \
      --queue-args x-queue-type=quorum --producers 1 --consumers 1 --flag persistent --confirm 100 --qos 1000 \
      --multi-ack-every "$every" --size 80 --rate 2500 --pmessages 20000 --cmessages 20000 --id "ack-every-$every" \
      > /dev/null 2>&1
    printf "round %d, an acknowledgement every %2d messages: broker CPU %5.2f s for 20,000 messages\n" "$round" "$every" \
      "$(awk -v a="$before" -v b="$(cpu "$beam")" 'BEGIN {print b - a}')"
    sleep 3
  done
done

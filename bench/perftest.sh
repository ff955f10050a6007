#!/usr/bin/env bash
# The broker's own ceiling on this machine: RabbitMQ PerfTest publishing persistent messages with
# publisher confirms to a quorum queue and consuming them, for comparison with the load generator.
# Usage: bench/perftest.sh [seconds]   (broker from RABBITMQ_HOST/PORT/USERNAME/PASSWORD, default admin@localhost)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
cp=$(./mvnw -q -f bench/perftest/pom.xml dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
uri="amqp://${RABBITMQ_USERNAME:-admin}:${RABBITMQ_PASSWORD:-admin}@${RABBITMQ_HOST:-localhost}:${RABBITMQ_PORT:-5672}/%2F"
java -cp "$cp" com.rabbitmq.perf.PerfTest --uri "$uri" \
  --queue votacao.perftest --auto-delete false --queue-args x-queue-type=quorum \
  --producers 1 --consumers 1 --flag persistent --confirm 1000 --qos 200 --multi-ack-every 100 \
  --size 40 --time "$seconds" --id votacao-ceiling

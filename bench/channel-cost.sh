#!/usr/bin/env bash
# The broker's own cost of the load generator's shape: 20,000 persistent, confirmed messages into a
# quorum queue from 20 channels, then from 20,000 channels of one message each (one per voter), twice.
# The difference is the floor under any end-to-end figure of bench/votes.sh on the same machine.
# Usage: bench/channel-cost.sh [messages]   (broker from RABBITMQ_HOST/PORT/USERNAME/PASSWORD, default admin@localhost)
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${1:-20000}
cp=$(./mvnw -q -f bench/perftest/pom.xml dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
uri="amqp://${RABBITMQ_USERNAME:-admin}:${RABBITMQ_PASSWORD:-admin}@${RABBITMQ_HOST:-localhost}:${RABBITMQ_PORT:-5672}/%2F"
# The broker's CPU time is read from /proc when it runs on this machine.
broker_pid=$(pgrep -o beam.smp || echo -1)
java -cp "$cp" bench/ChannelCost.java "$uri" "$messages" "$broker_pid" 2>&1 | grep -E 'messages from|Exception|Error'

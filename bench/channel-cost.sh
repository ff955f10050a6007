#!/usr/bin/env bash
# The broker's own cost of the load generator's shape: 20,000 persistent, confirmed messages into a
# quorum queue from 20 channels, then from 20,000 channels of one message each (one per voter), twice.
# The difference is the floor under any end-to-end figure of bench/votes.sh on the same machine.
# Usage: bench/channel-cost.sh [messages]   (broker from RABBITMQ_HOST/PORT/USERNAME/PASSWORD, default admin@localhost)
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${1:-20000}
. bench/amqp-program.sh
amqp_program bench/ChannelCost.java "$messages" | grep -E 'messages from|Exception|Error'

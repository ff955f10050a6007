#!/usr/bin/env bash
# The broker's own cost of an audience (issue #19): N clients set up what a client following the
# results sets up (a channel, an exclusive queue, bound to the fanout, consumed, the fanout declared),
# one step more at a time, with no server and no vote. The per-client figure times 20,000 is the floor
# under bench/ratio.sh's --subscribe run on the same machine.
# Usage: bench/audience-cost.sh [clients]   (default 5000; broker from RABBITMQ_HOST/PORT/USERNAME/PASSWORD, default admin@localhost)
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-5000}
. bench/amqp-program.sh
amqp_program bench/AudienceCost.java "$clients" | grep -E 'clients:|Exception|Error'

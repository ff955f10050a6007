# Sourced by the bench scripts that run a single-file Java program on the AMQP client alone:
# amqp_program FILE.java COUNT  runs it with the broker's URI (RABBITMQ_HOST/PORT/USERNAME/PASSWORD,
# default admin@localhost), COUNT, and the broker's pid when it runs on this machine (its CPU time is
# read from /proc), else -1.
# amqp_classpath   the AMQP client's classpath (from bench/perftest/pom.xml)
# amqp_uri         the broker's URI, as above
amqp_classpath() { ./mvnw -q -f bench/perftest/pom.xml dependency:build-classpath -Dmdep.outputFile=/dev/stdout; }
amqp_uri() {
  echo "amqp://${RABBITMQ_USERNAME:-admin}:${RABBITMQ_PASSWORD:-admin}@${RABBITMQ_HOST:-localhost}:${RABBITMQ_PORT:-5672}/%2F"
}
amqp_program() {
  local broker_pid
  broker_pid=$(pgrep -o beam.smp || echo -1)
  java -cp "$(amqp_classpath)" "$1" "$(amqp_uri)" "$2" "$broker_pid" 2>&1
}

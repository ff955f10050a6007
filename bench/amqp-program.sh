# Sourced by the bench scripts that run a single-file Java program on the AMQP client alone:
# amqp_program FILE.java COUNT  runs it with the broker's URI (RABBITMQ_HOST/PORT/USERNAME/PASSWORD,
# default admin@localhost), COUNT, and the broker's pid when it runs on this machine (its CPU time is
# read from /proc), else -1.
amqp_program() {
  local cp uri broker_pid
  cp=$(./mvnw -q -f bench/perftest/pom.xml dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
  uri="amqp://${RABBITMQ_USERNAME:-admin}:${RABBITMQ_PASSWORD:-admin}@${RABBITMQ_HOST:-localhost}:${RABBITMQ_PORT:-5672}/%2F"
  broker_pid=$(pgrep -o beam.smp || echo -1)
  java -cp "$cp" "$1" "$uri" "$2" "$broker_pid" 2>&1
}

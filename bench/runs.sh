# Sourced by the bench scripts that time the load generator against a server (ratio.sh, warmup.sh).
# loadtest [FLAGS]   the 20,000-voter run, 1,000 per connection, with the JVM flags the README gives it
#                    ($loadtest_java; LOADTEST_JAVA_OPTS= runs it with the JVM's default compilers)
# cpu PID            the process's user + system CPU seconds so far
# broker_pid         the broker's process (its Erlang VM)
# headline FILE      the run's headline (wall time) from its table
# settle             waits until the broker has dropped the previous run's channels and queues (no load
#                    generator connection left, its CPU back near idle), so no run pays for the one before
# start_yardstick LOG   starts ../shared/tools/yardstick.sh, waits until it is ready, echoes its pid (on a
#                    broker without votos, this checkout's server runs once first to declare it)
# stop PID           SIGTERM, then waits until the process is gone (it may not be this shell's child)
# start_server LOG JAVA-AND-FLAGS…   starts a server on a fresh ledger, echoes its pid once it is ready
#                    (and its milliseconds from launch to ready in LOG.ready-ms)
# bench_stream       names a new ledger stream for a server started here and remembers it
# on_exit CMD        runs CMD when the script exits (stop a server there); then the remembered streams
#                    are deleted, so that a bench leaves none of its ledgers on the broker
# timed_run NAME FILE PID [FLAGS]   one loadtest run: prints its headline, whole command, the CPU the
#                    server, the broker and the load generator spent in it, and PASS/FAIL, and appends "NAME HEADLINE" to $results
# As the README runs the server ($server_jvm, SERVER_JAVA_OPTS= for the JVM's defaults): the quick compiler
# alone, and the serial collector: G1's barriers and refinement cost a 20,000-vote run 1.8 s of the server's
# 6.2-6.8 s of CPU on two cores (2026-12-03, alternated runs), for pauses that do not matter at its heap.
export server_jvm="${SERVER_JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
# As the README runs the load generator: the quick compiler alone (C2 took a quarter of its CPU), the
# serial collector (runs ended sooner in 5 of 6 rounds alternated with G1), a young generation that a
# 20,000-voter run (about 400 MB allocated) fills once, not four times with the last at its very end.
export loadtest_java="java ${LOADTEST_JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn300m} -jar loadtest/target/quarkus-app/quarkus-run.jar"
# Each server a bench starts writes a ledger of its own (a stream); the bench deletes them as it exits,
# after the commands given to on_exit (which stop the servers). Only the streams named here are deleted.
bench_streams=$(mktemp)
exit_commands=()
on_exit() { exit_commands+=("$1"); }
leave_nothing() {
  local command stream
  for command in "${exit_commands[@]}"; do eval "$command" || true; done
  # A broker still closing a large run's channels can time rabbitmqctl out: try again, then say what is left.
  while read -r stream; do
    for try in 1 2 3 4 5 6; do
      # (rabbitmqctl exits 64 for a queue not found: under pipefail only grep's answer may count)
      { rabbitmqctl -q -t 60 delete_queue "$stream" < /dev/null 2>&1 || true; } | grep -qE "deleted|not found" && break
      [ "$try" = 6 ] && echo "could not delete the bench's stream $stream: rabbitmqctl delete_queue $stream" >&2
      sleep 5
    done
  done < "$bench_streams"
  rm -f "$bench_streams"
}
trap leave_nothing EXIT
bench_stream() { local name; name="votacao.bench.$(date +%s%N)"; echo "$name" >> "$bench_streams"; echo "$name"; }
loadtest() { $loadtest_java --clients 20000 --per-connection 1000 "$@"; }
cpu() { awk '{printf "%.2f", ($14+$15)/100}' "/proc/$1/stat"; }
broker_pid() { pgrep -f beam.smp | head -1; }  # the broker's Erlang VM, whose CPU the benches read
headline() { awk '/wall time/ {print $3}' "$1"; }
settle() {
  for _ in $(seq 1 120); do
    rabbitmqctl list_connections client_properties 2>/dev/null | grep -q votacao-loadtest || break
    sleep 0.5
  done
  local beam a b; beam=$(broker_pid)
  for _ in $(seq 1 60); do
    a=$(cpu "$beam"); sleep 1; b=$(cpu "$beam")
    awk -v a="$a" -v b="$b" 'BEGIN { exit !(b - a < 0.2) }' && break
  done
}
start_yardstick() {
  # The yardstick consumes votos as the server declares it: on a broker that never ran a server, one runs first.
  if ! rabbitmqctl -q list_queues name 2>/dev/null | grep -qx votos; then
    local declarer; declarer=$(start_server "$1.declare" java $server_jvm -jar server/target/quarkus-app/quarkus-run.jar)
    stop "$declarer"
  fi
  : > "$1" # emptied first: a log reused from an earlier start already says "ready" (the job opens it later)
  ../shared/tools/yardstick.sh > "$1" 2>&1 &
  local job=$!
  until grep -qs "yardstick ready" "$1"; do
    sleep 0.3; kill -0 $job 2>/dev/null || { cat "$1" >&2; return 1; }
  done
  echo "$job" # yardstick.sh execs the JVM: the job is the yardstick (a pgrep could find an older one)
}
stop() { kill "$1" 2>/dev/null || true; while kill -0 "$1" 2>/dev/null; do sleep 0.2; done; }
start_server() { # log java-and-flags...: starts a server on a fresh ledger, echoes its pid once it is ready
  local log=$1; shift
  local t0; t0=$(date +%s%N)
  : > "$log" # as start_yardstick's
  VOTACAO_LEDGER_STREAM="$(bench_stream)" VOTACAO_DURACAO=3600s "$@" > "$log" 2>&1 &
  local pid=$!
  until grep -qs "Voting server ready" "$log"; do sleep 0.2; kill -0 $pid 2>/dev/null || { cat "$log" >&2; return 1; }; done
  echo $(( ($(date +%s%N) - t0) / 1000000 )) > "$log.ready-ms"
  echo $pid
}
timed_run() { # name file pid [flags]
  local name=$1 file=$2 pid=$3; shift 3
  local beam; beam=$(broker_pid)
  local before broker_before; before=$(cpu "$pid"); broker_before=$(cpu "$beam")
  /usr/bin/time -f "%e %U %S" -o "$file.time" bash -c "$(declare -f loadtest); loadtest $*" > "$file" 2>&1 || true
  local verdict; verdict=$(grep -qE "^PASS" "$file" && echo PASS || echo FAIL)
  printf "%-14s headline %7s s  whole %6s s  CPU: server %6s s  broker %6s s  load generator %6s s  %s\n" \
    "$name" "$(headline "$file")" "$(awk '{print $1}' "$file.time")" \
    "$(awk -v a="$before" -v b="$(cpu "$pid")" 'BEGIN {printf "%.2f", b - a}')" \
    "$(awk -v a="$broker_before" -v b="$(cpu "$beam")" 'BEGIN {printf "%.2f", b - a}')" \
    "$(awk '{printf "%.2f", $2 + $3}' "$file.time")" "$verdict"
  echo "$name $(headline "$file")" >> "$results"
}

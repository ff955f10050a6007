#!/usr/bin/env bash
# Where the CPU goes, native and kernel time included: async-profiler (Maven Central's
# tools.profiler:async-profiler, fetched once into target/async-profiler) samples one 20,000-voter run,
# 1,000 per connection, and bench/collapsed-cpu.py sums the samples up by thread, by component and by
# the frames where they ended. Java Flight Recorder sees Java code only: here a fifth of the server's
# CPU goes to the kernel switching its threads, and JFR drew its server profile from 43 samples.
#   bench/profile.sh server     our server (as the README starts it), warmed by one run first, is sampled
#                               during a second run (the agent is attached then)
#   bench/profile.sh server-first  our server from its launch through its first run (warm-up included)
#   bench/profile.sh loadtest   the load generator, from its start, against the yardstick
#                               (../shared/tools/yardstick.sh; needs the system broker on localhost:5672)
#   bench/profile.sh server --subscribe   the same, the sampled run with the load generator's flags
#                               given after the first word (every voter then follows the results)
# The stacks are kept in target/profile/ (collapsed: one line per stack, for flame-graph tools).
# Samples CPU time through perf events where the kernel lets a process read its own
# (kernel.perf_event_paranoid <= 2), else through a timer (no kernel frames then).
# After ./mvnw -DskipTests package; the broker as for the other benches (RABBITMQ_HOST, …).
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-}
shift || true
[ "$what" = server ] || [ "$what" = server-first ] || [ "$what" = loadtest ] || { sed -n 2,17p "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
. bench/runs.sh

version=4.1
agent=target/async-profiler/linux-x64/libasyncProfiler.so
if [ ! -f "$agent" ]; then
  ./mvnw -q -f bench/perftest/pom.xml dependency:copy -DoutputDirectory="$PWD/target/async-profiler" \
    -Dartifact="tools.profiler:async-profiler:$version:jar:linux-x64"
  (cd target/async-profiler && unzip -q -o "async-profiler-$version-linux-x64.jar" 'linux-x64/*')
fi
agent=$PWD/$agent
event=cpu
[ "$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo 3)" -le 2 ] || event=itimer
mkdir -p target/profile
stacks=$PWD/target/profile/$what-$(date +%Y%m%d-%H%M%S).collapsed
out=$(mktemp -d)
results=$out/results  # timed_run's list of headlines

if [ "$what" = server ]; then
  spid=$(start_server "$out/server.log" java $server_jvm -jar server/target/quarkus-app/quarkus-run.jar)
  on_exit 'stop $spid'
  url="--server-url http://localhost:${QUARKUS_HTTP_PORT:-8080}"
  settle
  loadtest $url > "$out/warm-up.txt" 2>&1
  settle
  java bench/Attach.java "$spid" "$agent" "start,event=$event,interval=500us,threads"
  timed_run "sampled run" "$out/run.txt" "$spid" $url "$@"
  java bench/Attach.java "$spid" "$agent" "stop,file=$stacks,collapsed"
  stop "$spid"
elif [ "$what" = server-first ]; then
  # The agent from the JVM's start; it writes the stacks when the server exits.
  spid=$(start_server "$out/server.log" java "-agentpath:$agent=start,event=$event,interval=500us,threads,file=$stacks,collapsed" \
    $server_jvm -jar server/target/quarkus-app/quarkus-run.jar)
  on_exit 'stop $spid'
  settle
  timed_run "sampled run" "$out/run.txt" "$spid" --server-url "http://localhost:${QUARKUS_HTTP_PORT:-8080}" "$@"
  stop "$spid"
else
  ypid=$(start_yardstick "$out/yardstick.log")
  on_exit 'stop $ypid'
  settle
  export loadtest_java="java -agentpath:$agent=start,event=$event,interval=500us,threads,file=$stacks,collapsed ${loadtest_java#java }"
  timed_run "sampled run" "$out/run.txt" "$ypid"
  stop "$ypid"
fi
echo "stacks: $stacks ($event samples every 0.5 ms of CPU)"
bench/collapsed-cpu.py "$stacks"

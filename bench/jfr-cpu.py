#!/usr/bin/env python3
"""Where a JFR recording's CPU went: execution samples grouped by the first frame (from the top of the
stack) that belongs to a known component, and the CPU of the threads by name (jdk.ThreadCPULoad).
Usage: bench/jfr-cpu.py recording.jfr   (needs the JDK's jfr on PATH or in JAVA_HOME)"""
import collections, json, os, re, shutil, subprocess, sys

COMPONENTS = [  # first match from the top of the stack wins
    ("jackson (JSON)", "com.fasterxml.jackson."),
    ("micrometer", "io.micrometer."),
    ("context propagation", "io.smallrye.context."),
    ("arc (CDI)", "io.quarkus.arc."),
    ("amqp client", "com.rabbitmq."),
    ("messaging connector", "io.smallrye.reactive.messaging."),
    ("mutiny", "io.smallrye.mutiny."),
    ("vert.x / netty", ("io.vertx.", "io.netty.")),
    ("votacao", "votacao."),
]

def jfr():
    home = os.environ.get("JAVA_HOME")
    return os.path.join(home, "bin", "jfr") if home else shutil.which("jfr")

def events(path, name):
    out = subprocess.run([jfr(), "print", "--json", "--stack-depth", "64", "--events", name, path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]

def component(frames):
    for frame in frames:
        method = frame["method"]
        qualified = method["type"]["name"]
        for label, prefix in COMPONENTS:
            if qualified.startswith(prefix):
                return label
    return "JDK / other"

def main(path):
    samples = events(path, "jdk.ExecutionSample")
    by = collections.Counter(component(e["values"]["stackTrace"]["frames"]) for e in samples
                             if e["values"].get("stackTrace"))
    total = sum(by.values()) or 1
    print(f"{total} execution samples (Java code only), by the first known component on the stack:")
    for label, n in by.most_common():
        print(f"  {label:24s} {n:6d}  {100 * n / total:5.1f} %")
    loads = events(path, "jdk.ThreadCPULoad")
    per = collections.defaultdict(float)
    for e in loads:
        v = e["values"]
        name = re.sub(r"[-#]?\d+$", "-N", v["eventThread"]["javaName"] or v["eventThread"]["osName"] or "?")
        per[name] += v["user"] + v["system"]
    share = sum(per.values()) or 1
    print("CPU by thread group (share of the sampled thread CPU load):")
    for name, load in sorted(per.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {name:40s} {100 * load / share:5.1f} %")

if __name__ == "__main__":
    main(sys.argv[1])

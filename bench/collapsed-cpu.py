#!/usr/bin/env python3
"""Where a process's CPU went, from async-profiler's collapsed stacks taken with its 'threads' option
(bench/profile.sh writes them): the share of each thread group, of each component (the first known one
from the top of the stack, as bench/jfr-cpu.py groups Java samples), of the kernel's switching between
threads, and the frames where the most samples ended. Unlike Java Flight Recorder, which samples Java
code only, these samples include native and kernel time (a fifth of a warm server's CPU here is the
kernel switching its threads).
Usage: bench/collapsed-cpu.py FILE [THREAD [FRAME]]
  THREAD: only the threads whose name contains it ('' for all); FRAME: also the share of the samples
  with a frame that contains it on their stack (e.g. WorkPool.setCapacities)"""
import collections, importlib.util, os, re, signal, sys

signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # piped into head: stop quietly

spec = importlib.util.spec_from_file_location("jfr_cpu", os.path.join(os.path.dirname(__file__), "jfr-cpu.py"))
jfr_cpu = importlib.util.module_from_spec(spec)
spec.loader.exec_module(jfr_cpu)

def component(frames):
    for frame in reversed(frames):  # collapsed stacks run from the root to the leaf
        qualified = frame.replace("/", ".")
        for label, prefix in jfr_cpu.COMPONENTS:
            if qualified.startswith(prefix):
                return label
    return "JDK / JVM / kernel"

def main(path, only=None, frame=None):
    threads, components, leaves = collections.Counter(), collections.Counter(), collections.Counter()
    switching = total = holding = 0
    for line in open(path):
        stack, count = line.rstrip().rsplit(" ", 1)
        frames, n = stack.split(";"), int(count)
        thread = re.sub(r"\d+", "N", frames[0].strip("[]").split(" tid=")[0])
        if only and only not in thread:
            continue
        total += n
        threads[thread] += n
        components[component(frames[1:])] += n
        leaves[frames[-1]] += n
        if any(f.startswith(("finish_task_switch", "__schedule", "schedule_")) for f in frames):
            switching += n
        if frame and any(frame in f for f in frames):
            holding += n
    if not total:
        sys.exit(f"no samples{' for threads named *' + only + '*' if only else ''} in {path}")
    share = lambda n: f"{100 * n / total:5.1f} %"
    print(f"{total} samples{' of threads named *' + only + '*' if only else ''}; "
          f"{share(switching)} of them in the kernel switching threads")
    if frame:
        print(f"{share(holding)} of them with {frame} on their stack")
    print("by thread group:")
    for name, n in threads.most_common(10):
        print(f"  {name:40s} {share(n)}")
    print("by the first known component from the top of the stack:")
    for name, n in components.most_common():
        print(f"  {name:40s} {share(n)}")
    print("frames where the most samples ended:")
    for name, n in leaves.most_common(12):
        print(f"  {name[:90]:90s} {share(n)}")

if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None,
         sys.argv[3] if len(sys.argv) > 3 else None)

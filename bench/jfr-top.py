#!/usr/bin/env python3
"""Top frames of a JFR recording (as made by JMH's `-prof jfr`), with only the JDK's `jfr` tool.

  bench/jfr-top.py FILE.jfr [--event jdk.ExecutionSample|jdk.ObjectAllocationSample] [--top 25]

Prints (1) self frames: the method on top of the stack, (2) "first nodedoctor frame": the innermost
dev.nodedoctor method on each stack, which answers "which of our code paths pays", with JDK frames
folded into their nodedoctor caller. jdk.ExecutionSample counts samples of threads running Java code (not
time inside system calls); jdk.ObjectAllocationSample is weighted by the sampled allocation size.
"""
import collections
import json
import subprocess
import sys


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        sys.exit(2)
    path = args[0]
    event = "jdk.ExecutionSample"
    top = 25
    if "--event" in args:
        event = args[args.index("--event") + 1]
    if "--top" in args:
        top = int(args[args.index("--top") + 1])
    raw = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", event, path],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]
    self_w = collections.Counter()
    ours_w = collections.Counter()
    thread_w = collections.Counter()
    total = 0
    for e in events:
        v = e["values"]
        weight = v.get("weight", 1) if event == "jdk.ObjectAllocationSample" else 1
        frames = (v.get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        total += weight
        name = lambda f: f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"]
        self_w[name(frames[0])] += weight
        ours = next((n for n in map(name, frames) if n.startswith("dev.nodedoctor.")
                     and ".jmh_generated." not in n and "$$Lambda$" not in n), "(no nodedoctor frame)")
        ours_w[ours] += weight
        t = v.get("sampledThread") or v.get("eventThread") or {}
        tn = (t.get("javaName") or t.get("osName") or "?").rstrip("0123456789")
        thread_w[tn] += weight
    unit = "bytes" if event == "jdk.ObjectAllocationSample" else "samples"
    print(f"{event}: {total} {unit}")
    for title, c in (("by thread", thread_w), ("self (top frame)", self_w), ("innermost nodedoctor frame", ours_w)):
        print(f"\n-- {title}")
        for k, w in c.most_common(top):
            print(f"{100.0 * w / total:6.1f}%  {k}")


if __name__ == "__main__":
    main()

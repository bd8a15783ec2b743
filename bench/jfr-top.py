#!/usr/bin/env python3
"""Top methods of a JFR recording, for JDK 17 where `jfr view hot-methods` does not exist yet.

usage: bench/jfr-top.py RECORDING.jfr [TOP]

Reads `jfr print --json --events jdk.ExecutionSample` and prints
  1. hot methods by self samples (the top frame of each sample),
  2. inclusive samples per component (a sample counts for every component on its stack),
  3. self samples per component: the top frame's, where JDK code (collections, strings, reflection) is
     charged to the nearest caller that is not the JDK (hashing and socket I/O keep their own rows),
  4. allocation pressure per class (jdk.ObjectAllocationSample weight), when recorded.
"""
import json
import subprocess
import sys
from collections import Counter

# The harness's workers, and the dispatcher's executor threads (bench-dispatch-N) in the dispatch workloads.
WORKER_PREFIXES = ("bench-",)

COMPONENTS = [  # first match wins for "self"; all matches count for "inclusive"
    ("harness (dev.verist.bench)", ("dev.verist.bench.",)),
    ("verist: commit preparation, JSON, dedupe keys, checks", ("dev.verist.storage.internal.", "dev.verist.storage.pg.internal.PreparedCommit", "dev.verist.storage.DedupeKeys")),
    ("verist: store, SQL, rows", ("dev.verist.storage.",)),
    ("Jackson", ("com.fasterxml.jackson.",)),
    ("Hibernate session/transaction", ("org.hibernate.",)),
    ("Narayana (JTA)", ("com.arjuna.", "org.jboss.narayana.", "io.narayana.")),
    ("Weld (CDI)", ("org.jboss.weld.",)),
    ("Agroal (pool)", ("io.agroal.",)),
    ("HikariCP", ("com.zaxxer.hikari.",)),
    ("PostgreSQL JDBC driver", ("org.postgresql.",)),
    ("hashing (SHA-256)", ("sun.security.provider.", "java.security.MessageDigest")),
    ("socket I/O", ("sun.nio.ch.", "java.net.")),
    ("JDK collections/strings/other", ("java.", "jdk.", "sun.")),
]


JDK = "JDK collections/strings/other"


def component(method_type):
    for name, prefixes in COMPONENTS:
        if method_type.startswith(prefixes):
            return name
    return "other"


def frame_name(frame):
    m = frame["method"]
    return f'{m["type"]["name"]}.{m["name"]}'


def events(recording, event):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "256", "--events", event, recording],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def main():
    recording = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    samples = events(recording, "jdk.ExecutionSample")
    self_methods, self_comp, incl_comp = Counter(), Counter(), Counter()
    via = {"Jackson": Counter(), "PostgreSQL JDBC driver": Counter(), "Hibernate session/transaction": Counter()}
    n = 0
    for e in samples:
        frames = (e["values"].get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        thread = (e["values"].get("sampledThread") or {}).get("javaName") or ""
        if not thread.startswith(WORKER_PREFIXES):
            continue  # only the worker threads: no JIT, GC or pool housekeeping threads
        n += 1
        top_frame = frames[0]
        self_methods[frame_name(top_frame)] += 1
        comps = [component(f["method"]["type"]["name"].replace("/", ".")) for f in frames]
        charged = next((c for c in comps if c != JDK), JDK)
        self_comp[charged] += 1
        seen = set(comps)
        if charged in via:
            # The verist method that led there: the first dev.verist.storage frame below the top.
            caller = next((frame_name(f).replace("/", ".") for f in frames
                           if f["method"]["type"]["name"].replace("/", ".").startswith("dev.verist.storage")), "?")
            via[charged][caller] += 1
        for c in seen:
            incl_comp[c] += 1
    print(f"worker-thread execution samples: {n} (of {len(samples)} in the recording)")
    print(f"\nTop {top} methods by self samples:")
    print("| samples | % | method |\n| ---: | ---: | --- |")
    for m, c in self_methods.most_common(top):
        print(f"| {c} | {100.0 * c / n:.1f} | `{m.replace('/', '.')}` |")
    print("\nSamples per component, inclusive (on the stack) and self (top frame; JDK frames charged to their caller):")
    print("| component | inclusive % | self % |\n| --- | ---: | ---: |")
    for name, _ in COMPONENTS + [("other", ())]:
        if incl_comp[name] or self_comp[name]:
            print(f"| {name} | {100.0 * incl_comp[name] / n:.1f} | {100.0 * self_comp[name] / n:.1f} |")
    for name, callers in via.items():
        total = sum(callers.values())
        if total:
            print(f"\n{name} self samples ({100.0 * total / n:.1f}%) by the verist method that called into it:")
            print("| samples | % of all | verist caller |\n| ---: | ---: | --- |")
            for m, c in callers.most_common(8):
                print(f"| {c} | {100.0 * c / n:.1f} | `{m}` |")
    try:
        allocs = events(recording, "jdk.ObjectAllocationSample")
    except subprocess.CalledProcessError:
        allocs = []
    if allocs:
        by_class, total = Counter(), 0
        for e in allocs:
            thread = (e["values"].get("eventThread") or {}).get("javaName") or ""
            if not thread.startswith(WORKER_PREFIXES):
                continue
            w = e["values"].get("weight") or 0
            by_class[e["values"]["objectClass"]["name"].replace("/", ".")] += w
            total += w
        if total:
            print(f"\nAllocation (sampled weight) by class, worker threads, total {total / 2**20:.0f} MiB:")
            print("| MiB | % | class |\n| ---: | ---: | --- |")
            for cls, w in by_class.most_common(12):
                print(f"| {w / 2**20:.0f} | {100.0 * w / total:.1f} | `{cls}` |")


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Builds the test classes and runs the crypto engine JMH benchmark (CryptoBenchmark), then the
# paired engine/raw AES-GCM ratio (PairedEngineRatio, a few seconds).
#
#   bench/crypto-jmh.sh                      # short settings, about 7 minutes on 2 cores
#   MVN_FLAGS=-o bench/crypto-jmh.sh         # offline Maven
#   JMH_ARGS="-wi 5 -i 10" bench/crypto-jmh.sh
#
# On a shared machine other jobs steal whole iterations, so the summary shows the mean, the best
# iteration, and bytes per CPU-second of the benchmark thread (the steadiest basis for ratios).
#
# Results: bench/results/crypto-jmh.json (raw JMH) and bench/results/crypto-jmh-summary.txt (MB/s
# and engine/raw ratios, also printed).
set -euo pipefail
cd "$(dirname "$0")/.."

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -B -q ${MVN_FLAGS:-} test-compile
mvn -B -q ${MVN_FLAGS:-} dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test

mkdir -p bench/results
classpath="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
settings=(-wi 3 -w 1s -i 6 -r 1s -f 1 -t 1)
read -r -a extra <<< "${JMH_ARGS:-}"

jmh() {
  "$JAVA_HOME/bin/java" -cp "$classpath" org.openjdk.jmh.Main "$@"
}

summary=bench/results/crypto-jmh-summary.txt
{
  echo "# $(date -u +%FT%TZ), $("$JAVA_HOME/bin/java" -version 2>&1 | tail -1), $(nproc) CPUs"
  echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$summary"

jmh 'io.github.s3eg.bench.CryptoBenchmark' "${settings[@]}" "${extra[@]}" \
  -rf json -rff bench/results/crypto-jmh.json

# Throughput scores are bytes/s (one operation per byte). The summary prints MB/s (10^6 bytes):
# wall clock (mean and best iteration) and per CPU-second of the benchmark thread (from the
# CpuTime counters), and engine/raw ratios of both; open costs in microseconds per operation.
echo "# load after JMH: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$summary"
python3 - bench/results/crypto-jmh.json <<'PY' | tee -a "$summary"
import json, sys

def summary(path, title):
    rows, other = {}, []
    for r in json.load(open(path)):
        name = r["benchmark"].rsplit(".", 1)[1]
        p, m, sec = r.get("params", {}), r["primaryMetric"], r.get("secondaryMetrics", {})
        samples = [x for fork in m["rawData"] for x in fork]
        cpu = sec.get("cpuNanos", {}).get("score", 0)
        if m["scoreUnit"] == "ops/s":
            per_cpu = 1e3 * sec["bytes"]["score"] / cpu if cpu else float("nan")
            rows[(name, p["algorithm"], p["segmentSize"])] = (m["score"] / 1e6, max(samples) / 1e6, per_cpu)
        else:
            ops = sec.get("operations", {}).get("score", 0)
            cpu_us = "%7.2f us/op" % (cpu / ops / 1e3) if ops else "-"
            other.append((name, m["score"], min(samples), cpu_us, m["scoreUnit"]))
    print("\n== %s ==" % title)
    print("%-22s %-18s %8s %10s %10s %10s" % ("benchmark", "algorithm", "segment", "mean MB/s", "best MB/s", "MB/cpu-s"))
    for (name, alg, seg), (mean, best, per_cpu) in sorted(rows.items()):
        print("%-22s %-18s %8s %10.0f %10.0f %10.0f" % (name, alg, seg, mean, best, per_cpu))
    for alg in sorted({k[1] for k in rows}):
        for seg in sorted({k[2] for k in rows}, key=int):
            for op in ("Encrypt", "Decrypt"):
                e, r = rows.get(("engine" + op, alg, seg)), rows.get(("raw" + op, alg, seg))
                if e and r:
                    print("engine/raw %-7s %-18s %8s: cpu %4.0f %%, best %4.0f %%, mean %4.0f %%"
                          % (op.lower(), alg, seg, 100 * e[2] / r[2], 100 * e[1] / r[1], 100 * e[0] / r[0]))
    for name, mean, best, cpu_us, unit in other:
        print("%-32s mean %9.2f  best %9.2f %s  cpu %s" % (name, mean, best, unit, cpu_us))

summary(sys.argv[1], "CryptoBenchmark")
PY

# The AES-256-GCM engine/raw ratio measured in pairs (robust to load from other jobs).
"$JAVA_HOME/bin/java" -cp "$classpath" io.github.s3eg.bench.PairedEngineRatio \
  | tee -a "$summary"

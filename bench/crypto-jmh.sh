#!/usr/bin/env bash
# Builds the test classes and runs the crypto engine JMH benchmark (CryptoBenchmark) twice:
#   1. every benchmark with default JVM settings (what a freshly started gateway gets);
#   2. engine and raw throughput at 1 MiB segments with lowered C2 compile thresholds, to show the
#      steady state once the JDK's AES-GCM path is compiled (see docs/performance.md).
#
#   bench/crypto-jmh.sh                      # short settings, about 8 minutes on 2 cores
#   MVN_FLAGS=-o bench/crypto-jmh.sh         # offline Maven
#   JMH_ARGS="-wi 5 -i 10" bench/crypto-jmh.sh
#
# Results: bench/results/crypto-jmh.json, bench/results/crypto-jmh-1mib-compiled.json (raw JMH)
# and an MB/s summary with engine/raw ratios on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -B -q ${MVN_FLAGS:-} test-compile
mvn -B -q ${MVN_FLAGS:-} dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test

mkdir -p bench/results
classpath="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
settings=(-wi 2 -w 2s -i 3 -r 2s -f 1 -t 1)
read -r -a extra <<< "${JMH_ARGS:-}"

jmh() {
  "$JAVA_HOME/bin/java" -cp "$classpath" org.openjdk.jmh.Main "$@"
}

jmh 'io.github.s3eg.bench.CryptoBenchmark' "${settings[@]}" "${extra[@]}" \
  -rf json -rff bench/results/crypto-jmh.json
jmh 'io.github.s3eg.bench.CryptoBenchmark.(engine|raw)(Encrypt|Decrypt)$' \
  -p segmentSize=1048576 "${settings[@]}" "${extra[@]}" \
  -jvmArgsAppend "-XX:Tier3InvocationThreshold=20 -XX:Tier3MinInvocationThreshold=10 -XX:Tier3CompileThreshold=50 -XX:Tier4InvocationThreshold=50 -XX:Tier4MinInvocationThreshold=20 -XX:Tier4CompileThreshold=100" \
  -rf json -rff bench/results/crypto-jmh-1mib-compiled.json

# Throughput scores are bytes/s (one operation per byte): print MB/s (10^6 bytes) and ratios.
python3 - bench/results/crypto-jmh.json bench/results/crypto-jmh-1mib-compiled.json <<'PY'
import json, sys

def summary(path, title):
    tput, other = {}, []
    for r in json.load(open(path)):
        name = r["benchmark"].rsplit(".", 1)[1]
        p, m = r.get("params", {}), r["primaryMetric"]
        if m["scoreUnit"] == "ops/s":
            tput[(name, p["algorithm"], p["segmentSize"])] = (m["score"] / 1e6, m["scoreError"] / 1e6)
        else:
            other.append((name, m["score"], m["scoreError"], m["scoreUnit"]))
    print("\n== %s ==\n%-22s %-18s %8s %16s" % (title, "benchmark", "algorithm", "segment", "MB/s"))
    for (name, alg, seg), (mbs, err) in sorted(tput.items()):
        print("%-22s %-18s %8s %9.0f ± %.0f" % (name, alg, seg, mbs, err))
    for alg in sorted({k[1] for k in tput}):
        for seg in sorted({k[2] for k in tput}, key=int):
            for op in ("Encrypt", "Decrypt"):
                e, r = tput.get(("engine" + op, alg, seg)), tput.get(("raw" + op, alg, seg))
                if e and r:
                    print("engine/raw %-7s %-18s %8s: %4.0f %%" % (op.lower(), alg, seg, 100 * e[0] / r[0]))
    for name, score, err, unit in other:
        print("%-32s %10.2f ± %.2f %s" % (name, score, err, unit))

summary(sys.argv[1], "default JVM")
summary(sys.argv[2], "1 MiB segments, GCM path compiled early")
PY

#!/usr/bin/env bash
# Builds the test classes and runs the crypto engine JMH benchmark (CryptoBenchmark).
#
#   bench/crypto-jmh.sh                      # short settings, about 6 minutes on 2 cores
#   bench/crypto-jmh.sh -p segmentSize=65536 # extra arguments go to JMH
#   MVN_FLAGS=-o bench/crypto-jmh.sh         # offline Maven
#
# Results: bench/results/crypto-jmh.json (raw JMH) and a MB/s summary on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -B -q ${MVN_FLAGS:-} test-compile
mvn -B -q ${MVN_FLAGS:-} dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test

mkdir -p bench/results
json=bench/results/crypto-jmh.json
"$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  org.openjdk.jmh.Main 'io.github.s3eg.bench.CryptoBenchmark' \
  -wi 2 -w 2s -i 3 -r 2s -f 1 -t 1 -rf json -rff "$json" "$@"

# Throughput scores are bytes/s (one operation per byte); print MB/s (10^6 bytes) and ratios.
python3 - "$json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
tput, other = {}, []
for r in rows:
    name = r["benchmark"].rsplit(".", 1)[1]
    p = r.get("params", {})
    score, err, unit = r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"], r["primaryMetric"]["scoreUnit"]
    if unit == "ops/s":
        tput[(name, p.get("algorithm"), p.get("segmentSize"))] = (score / 1e6, err / 1e6)
    else:
        other.append((name, score, err, unit))
print("\n%-22s %-18s %8s %12s" % ("benchmark", "algorithm", "segment", "MB/s"))
for (name, alg, seg), (mbs, err) in sorted(tput.items()):
    print("%-22s %-18s %8s %9.0f ± %.0f" % (name, alg, seg, mbs, err))
print()
for alg in sorted({k[1] for k in tput}):
    for seg in sorted({k[2] for k in tput}, key=int):
        for op in ("Encrypt", "Decrypt"):
            e, r = tput.get(("engine" + op, alg, seg)), tput.get(("raw" + op, alg, seg))
            if e and r:
                print("engine/raw %-7s %-18s %8s: %3.0f %%" % (op.lower(), alg, seg, 100 * e[0] / r[0]))
print()
for name, score, err, unit in other:
    print("%-32s %10.2f ± %.2f %s" % (name, score, err, unit))
PY

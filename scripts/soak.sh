#!/usr/bin/env bash
# The soak of issue 11 (not part of the unit run):
#
#   scripts/soak.sh            # 10 minutes
#   scripts/soak.sh 2          # 2 minutes
#   SOAK_CLIENTS=16 SOAK_MULTIPART=false scripts/soak.sh 5
#
# Starts S3Proxy (in the harness JVM) and the gateway (target/s3-encryption-gateway.jar in its own
# JVM, -Xmx512m), runs 64 concurrent AWS SDK v2 clients mixing PUT, GET, ranged GET, HEAD, LIST,
# DELETE and multipart uploads for the given minutes, reads every object back and compares it with
# the digest its client kept, and prints requests by kind, unexpected errors, objects verified, and
# the gateway's heap and live threads (from its /metrics) sampled over time. The figures go to
# bench/results/soak-<UTC date-time>.json as well. Exit status 0 only if no object was lost or
# corrupted, no request failed, and the thread count stayed flat.
# Everything it starts is stopped on exit (trap). Loopback addresses and free ports only.
# SOAK_SKIP_BUILD=1 reuses target/ as it is; MVN_FLAGS=-o builds offline.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes="${1:-10}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ "${SOAK_SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -B -q ${MVN_FLAGS:-} package -DskipTests -Djacoco.skip=true
  ./mvnw -B -q ${MVN_FLAGS:-} dependency:build-classpath \
    -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
fi

mkdir -p bench/results
out="bench/results/soak-$(date -u +%Y%m%dT%H%M%SZ).json"
pidfile=$(mktemp /tmp/s3eg-soak-gateway.XXXXXX)
harness=""

cleanup() {
  if [ -n "$harness" ] && kill -0 "$harness" 2>/dev/null; then
    kill "$harness" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$harness" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$harness" 2>/dev/null || true
  fi
  # The gateway the harness started, in case it could not stop it itself.
  for gw in $(cat "$pidfile" 2>/dev/null || true); do
    if kill -0 "$gw" 2>/dev/null; then
      kill "$gw" 2>/dev/null || true
      sleep 2
      kill -9 "$gw" 2>/dev/null || true
    fi
  done
  rm -f "$pidfile"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$JAVA_HOME/bin/java" -Xmx1500m \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "target/test-classes:target/classes:$(cat target/bench.cp)" \
  io.github.s3eg.bench.Soak \
  --minutes "$minutes" --clients "${SOAK_CLIENTS:-64}" \
  --multipart "${SOAK_MULTIPART:-true}" \
  --jar target/s3-encryption-gateway.jar --out "$out" --pid-file "$pidfile" &
harness=$!
set +e
wait "$harness"
status=$?
set -e
harness=""
echo "results: $out"
exit "$status"

#!/usr/bin/env bash
# The gateway benchmark of issue 10, in one command:
#
#   bench/run.sh            # quick mode (default): 2 s cells, 64 MiB large objects; AES, AES+zstd
#   bench/run.sh --full     # 10 s cells, 1 GiB large objects, 10,000-key LIST; AES, ChaCha20,
#                           # AES+zstd
#
# Starts an S3Proxy backend (in the harness JVM, behind a counting TCP proxy) and the gateway
# (target/s3-encryption-gateway.jar in its own JVM, -Xmx512m), drives the same AWS SDK v2 client
# code directly against the backend and through the gateway, row by row, and writes
#   bench/results/<UTC date-time>.json                 the measurements
#   docs/performance.md (between the gateway-benchmark markers)   the table and targets
#   docs/performance-chart.svg                          gateway/direct ratio per row
# Everything it starts is stopped on exit (trap). Loopback addresses and free ports only.
# The targets table in docs/performance.md says met/missed for each target of issues 10 and 20,
# among them the gateway's CPU-seconds per GiB (PUT <= 2.0, GET <= 0.6), printed again at the end.
# BENCH_SKIP_BUILD=1 reuses target/ as it is; MVN_FLAGS=-o builds offline.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=quick
case "${1:---quick}" in
  --quick) mode=quick ;;
  --full) mode=full ;;
  *) echo "usage: bench/run.sh [--quick|--full]" >&2; exit 2 ;;
esac

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -B -q ${MVN_FLAGS:-} package -DskipTests -Djacoco.skip=true
  ./mvnw -B -q ${MVN_FLAGS:-} dependency:build-classpath \
    -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
fi

mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="bench/results/${stamp}.json"
pidfile=$(mktemp /tmp/s3eg-bench-gateway.XXXXXX)
harness=""

cleanup() {
  if [ -n "$harness" ] && kill -0 "$harness" 2>/dev/null; then
    kill "$harness" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$harness" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$harness" 2>/dev/null || true
  fi
  # The gateways the harness started (one pid a line), in case it could not stop them itself.
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

"$JAVA_HOME/bin/java" -Xmx1g \
  -cp "target/test-classes:target/classes:$(cat target/bench.cp)" \
  io.github.s3eg.bench.GatewayBench \
  --mode "$mode" --jar target/s3-encryption-gateway.jar --out "$out" \
  --pid-file "$pidfile" --clk-tck "$(getconf CLK_TCK)" &
harness=$!
wait "$harness"
harness=""

python3 bench/report.py "$out" docs/performance.md docs/performance-chart.svg
echo "gateway CPU per GiB (issue 20):"
grep -E '^\| Gateway CPU per GiB' docs/performance.md || true
echo "results: $out, docs/performance.md, docs/performance-chart.svg"

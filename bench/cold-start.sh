#!/usr/bin/env bash
# The cold-start benchmark of issue 20: how fast a freshly started gateway is ready, and how the
# first requests after the start compare with direct ones.
#
#   bench/cold-start.sh [RUNS]      RUNS starts per variant (default 3)
#
# Starts target/s3-encryption-gateway.jar in trial mode (embedded store, `java -jar`, as a new
# user does) RUNS times without and RUNS times with its ahead-of-time cache
# (target/s3-encryption-gateway.aot, made by scripts/aot-cache.sh), alternately, and prints for
# each start: ms until /live and /ready answer 200, the process's CPU-seconds at /ready, and the
# p50/p90 of the first 500 1 KiB GETs through it against the same 500 GETs sent directly to an
# S3Proxy 2.9 (the embedded store's server) in the harness, in pairs. Then the medians, each
# marked met/missed against issue 20's targets (/ready <= 2 s; p50 overhead <= 2 ms), and the
# load average (on a busy machine every wall-clock figure stretches; CPU-seconds much less).
# The summary is also written to bench/results/cold-start-<UTC date-time>.txt (or to
# $COLD_START_OUT: bench/run.sh names it after its own results file and merges it into that JSON).
#
# For each start it also prints the gateway's CPU-seconds during those 500 GETs and the share of its
# JIT compiler threads. COLD_START_JVM_OPTS adds JVM flags to every measured start (to try a flag
# of the JIT, e.g. COLD_START_JVM_OPTS=-XX:TieredStopAtLevel=1; docs/performance.md, "Cold start").
#
# BENCH_SKIP_BUILD=1 builds nothing (neither the jar, the test classpath nor the cache: without a
# cache the AOT rows are left out); MVN_FLAGS=-o builds offline.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-3}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAR=target/s3-encryption-gateway.jar
CACHE=target/s3-encryption-gateway.aot
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  # shellcheck disable=SC2086  # MVN_FLAGS is a list of flags
  ./mvnw -B -q ${MVN_FLAGS:-} package -DskipTests -Djacoco.skip=true
  # shellcheck disable=SC2086
  ./mvnw -B -q ${MVN_FLAGS:-} dependency:build-classpath \
    -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
  JAVA="$JAVA_HOME/bin/java" scripts/aot-cache.sh "$JAR" "$CACHE" >/dev/null
fi
[ -f target/bench.cp ] || { echo "cold-start: no target/bench.cp (run without BENCH_SKIP_BUILD=1)" >&2; exit 1; }
cache_arg=-
[ -s "$CACHE" ] && cache_arg="$(realpath "$CACHE")"

mkdir -p bench/results
out="${COLD_START_OUT:-bench/results/cold-start-$(date -u +%Y%m%dT%H%M%SZ).txt}"
"$JAVA_HOME/bin/java" -Xmx512m --sun-misc-unsafe-memory-access=allow \
  -cp "target/test-classes:target/classes:$(cat target/bench.cp)" \
  io.github.s3eg.bench.ColdStartBench "$(realpath "$JAR")" "$cache_arg" "$runs" | tee "$out"

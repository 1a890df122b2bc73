#!/usr/bin/env bash
# Makes the JDK's ahead-of-time cache for the gateway's jar (JDK 25+): a training run that starts
# the gateway in trial mode (temporary embedded store, loopback, free port), sends it the common S3
# requests and the health probes, stops it, and lets the JVM write what it loaded, linked and
# profiled into the cache. Starting the gateway with -XX:AOTCache=FILE then takes a fraction of the
# CPU to become ready (docs/performance.md, "Cold start").
#
#   scripts/aot-cache.sh [JAR [CACHE]]
#       JAR    default target/s3-encryption-gateway.jar
#       CACHE  default: the jar's path with .aot instead of .jar
#   then:  java -XX:AOTCache=CACHE -jar JAR
#
# The cache belongs to one jar file and one JVM build: make it again (or delete it) whenever either
# changes. Measured with Temurin 25.0.3: a JVM given the cache of an older jar at the same path
# does NOT refuse it, it runs the older jar's classes from the cache; the gateway does (the training
# writes CACHE.jar-sha256, checked at every start with -XX:AOTCache) (an unreadable cache is
# refused with an error line). Run the gateway with the same java, the same -jar path and the same
# garbage collector as the training; extra flags for the training go in AOT_TRAINING_OPTS.
# Environment: JAVA (default: java on PATH, or $JAVA_HOME/bin/java).
set -euo pipefail

JAR="${1:-target/s3-encryption-gateway.jar}"
CACHE="${2:-${JAR%.jar}.aot}"
JAVA="${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"

[ -f "$JAR" ] || { echo "aot-cache: no jar at $JAR" >&2; exit 66; }
feature="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
if [ "${feature:-0}" -lt 25 ]; then
  echo "aot-cache: $JAVA is Java ${feature:-?}; the ahead-of-time cache needs Java 25 or later" >&2
  exit 69
fi

rm -f "$CACHE"
# shellcheck disable=SC2086  # AOT_TRAINING_OPTS is a list of flags
# -Xlog:aot=error: the training's "Skipping class …" notes (proxies, JFR event classes) are expected.
"$JAVA" ${AOT_TRAINING_OPTS:-} -XX:AOTCacheOutput="$CACHE" -Xlog:aot=error -jar "$JAR" aot-train
[ -s "$CACHE" ] || { echo "aot-cache: the JVM wrote no cache at $CACHE" >&2; exit 70; }
[ -s "$CACHE.jar-sha256" ] || { echo "aot-cache: the training wrote no $CACHE.jar-sha256" >&2; exit 70; }
echo "aot-cache: wrote $CACHE ($(du -m "$CACHE" | cut -f1) MB); start with: java -XX:AOTCache=$CACHE -jar $JAR"

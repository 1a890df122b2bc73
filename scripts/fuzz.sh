#!/usr/bin/env bash
# Longer fuzzing runs than the suite's 4 s per target (issue 11):
#
#   scripts/fuzz.sh                 # every fuzz test, 10 minutes each
#   scripts/fuzz.sh 60              # every fuzz test, 60 s each
#   scripts/fuzz.sh 600 XmlReaderFuzzTest SigV4FuzzTest   # some of them
#
# Runs each @FuzzTest through Jazzer's own command line (one JVM per test), with Jazzer's hooks on
# (JDK compare hooks and sanitizers: slower to start, better at getting past string checks), from
# the project root so that the checked-in inputs under src/test/resources are the seeds and a
# finding is written next to them (crash-<sha1>; it then runs in the suite as a regression input); the corpus Jazzer grows is kept in
# .cifuzz-corpus/ (ignored by git) and reused by the next run. Exit status: 0 when no test found
# anything, 1 otherwise. FUZZ_SKIP_BUILD=1 reuses target/ as it is; MVN_FLAGS=-o builds offline.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-600}"
shift || true
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -B -q ${MVN_FLAGS:-} test-compile -Djacoco.skip=true
  ./mvnw -B -q ${MVN_FLAGS:-} dependency:build-classpath \
    -Dmdep.outputFile=target/fuzz.cp -Dmdep.includeScope=test
fi

# Test classes and their @FuzzTest method (one per class), found in the compiled tests.
targets=()
if [ "$#" -gt 0 ]; then
  for name in "$@"; do
    targets+=("$(find target/test-classes -name "${name}.class" | head -1)")
  done
else
  while IFS= read -r f; do targets+=("$f"); done \
    < <(find target/test-classes -name '*FuzzTest.class' | sort)
fi

failed=0
for file in "${targets[@]}"; do
  [ -n "$file" ] || { echo "fuzz test not found" >&2; exit 2; }
  class=$(echo "${file#target/test-classes/}" | sed 's/\.class$//; s#/#.#g')
  method=$("$JAVA_HOME/bin/javap" -p -cp target/test-classes "$class" |
    grep -oE ' void [a-zA-Z0-9_]+\((byte\[\]|com\.code_intelligence\.jazzer\.api\.FuzzedDataProvider)\)' |
    head -1 | sed -E 's/ void ([a-zA-Z0-9_]+)\(.*/\1/' || true)
  [ -n "$method" ] || { echo "no fuzz test method in $class" >&2; exit 2; }
  echo "== $class#$method: ${seconds}s"
  if ! "$JAVA_HOME/bin/java" -Xmx1g -XX:+EnableDynamicAgentLoading \
    -cp "target/test-classes:target/classes:$(cat target/fuzz.cp)" \
    com.code_intelligence.jazzer.Jazzer \
    --target_class="$class" --target_method="$method" \
    --instrumentation_includes='io.github.s3eg.**' \
    -max_total_time="$seconds" -rss_limit_mb=0 -print_final_stats=1 \
    2> >(grep -vE '^(WARN|INFO: Instrumented|	at )' >&2); then
    echo "!! $class#$method found something (see above: the crash input is in its Inputs directory under src/test/resources, or in the project root)" >&2
    failed=1
  fi
done
exit "$failed"

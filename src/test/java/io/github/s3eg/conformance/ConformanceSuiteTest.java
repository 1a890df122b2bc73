package io.github.s3eg.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.conformance.cases.JavaCases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential conformance suite (issue 16): every case runs against each backend directly and
 * then through a gateway in front of it, with the AWS SDK for Java v2 ({@code cases/*Cases}) and
 * boto3 ({@code src/test/python/conformance/s3_conformance.py}). A case that passes directly must
 * pass through the gateway or be listed, with its reason, in {@link DocumentedExceptions#FILE}; and
 * every listed exception must still be needed, so that the file stays true.
 *
 * <p>Prints {@code [backend] direct N passed, gateway M passed, exceptions K (of T cases)} per
 * backend, then the line {@code direct N passed, gateway M passed, exceptions K} alone with the
 * sums over every backend (its own surefire execution shows test output on the console), and writes
 * every case's outcome on both targets to {@code target/conformance/<backend>.tsv}.
 *
 * <p>{@code -Dconformance.cases=REGEX} runs only the cases whose names match (no verdict on stale
 * exceptions then, nor when a backend could not run here); {@code -Dconformance.parallelism=N} runs
 * N Java cases at a time (default 4).
 */
@Tag("conformance")
class ConformanceSuiteTest {

  /** A way to start one backend and a gateway in front of it. */
  interface BackendStarter {
    ConformanceBackend start() throws Exception;
  }

  /** Every backend the suite runs on; add one here (and give it a name for the exceptions file). */
  static List<BackendStarter> backends() {
    return List.of(GatewayInFront::s3proxy, GatewayInFront::ceph);
  }

  @TempDir Path work;

  @Test
  void whatPassesOnTheBackendPassesThroughTheGateway() throws Exception {
    Pattern only = Pattern.compile(System.getProperty("conformance.cases", ".*"));
    int parallelism = Integer.getInteger("conformance.parallelism", 4);
    DocumentedExceptions exceptions = DocumentedExceptions.load();
    List<ConformanceCase> javaCases =
        JavaCases.all().stream().filter(c -> only.matcher(c.name()).find()).toList();
    assertEveryExceptionNamesACase(exceptions);

    List<DifferentialReport> reports = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (BackendStarter starter : backends()) {
      ConformanceBackend started;
      try {
        started = starter.start();
      } catch (org.opentest4j.TestAbortedException unavailable) {
        // A backend this machine cannot run outside CI (e.g. Ceph's packages missing): the others
        // still run; under CI=true the backend fails instead of aborting.
        skipped.add(unavailable.getMessage());
        System.out.println("[conformance] a backend is skipped: " + unavailable.getMessage());
        continue;
      }
      try (ConformanceBackend backend = started) {
        long start = System.nanoTime();
        // The boto3 cases run in their own processes meanwhile (other bucket names).
        PythonCaseRunner.Run pythonDirect =
            PythonCaseRunner.start(backend.direct(), backend.capabilities(), only.pattern(), work);
        PythonCaseRunner.Run pythonGateway =
            PythonCaseRunner.start(backend.gateway(), backend.capabilities(), only.pattern(), work);
        TargetOutcomes onBackend;
        TargetOutcomes throughGateway;
        try {
          onBackend =
              JavaCaseRunner.run(javaCases, backend.direct(), backend.capabilities(), parallelism)
                  .plus(pythonDirect.await());
          throughGateway =
              JavaCaseRunner.run(javaCases, backend.gateway(), backend.capabilities(), parallelism)
                  .plus(pythonGateway.await());
        } finally {
          pythonDirect.stop();
          pythonGateway.stop();
        }
        Map<String, Outcome> direct = onBackend.outcomes();
        Map<String, Outcome> gateway = throughGateway.outcomes();
        int retried = onBackend.retried() + throughGateway.retried();
        DifferentialReport report =
            new DifferentialReport(backend.name(), direct, gateway, exceptions);
        reports.add(report);
        writeTable(backend.name(), direct, gateway);
        System.out.println(report.details());
        System.out.printf(
            "[%s] %d cases on two targets in %.1f s; %d requests sent again after a 503 or no"
                + " answer%n",
            backend.name(), direct.size(), (System.nanoTime() - start) / 1e9, retried);
      }
    }
    for (DifferentialReport r : reports) {
      System.out.println(r.summary());
    }
    System.out.println(
        "[conformance] over "
            + reports.stream().map(r -> r.backend).toList()
            + (skipped.isEmpty() ? "" : " (" + skipped.size() + " backend skipped)")
            + ":");
    System.out.println(DifferentialReport.total(reports));

    List<String> problems = new ArrayList<>();
    for (DifferentialReport r : reports) {
      if (!r.unexcused.isEmpty()) {
        problems.add(r.details());
      }
    }
    if (only.pattern().equals(".*") && skipped.isEmpty()) {
      List<String> stale =
          DifferentialReport.stale(exceptions, reports).stream()
              .map(e -> "  line " + e.line() + ": " + e.key() + " (" + e.reason() + ")")
              .toList();
      if (!stale.isEmpty()) {
        problems.add(
            "These documented exceptions are no longer needed on any backend (the case passes"
                + " through the gateway, or fails directly too): remove them from "
                + DocumentedExceptions.FILE
                + "\n"
                + String.join("\n", stale));
      }
    }
    assertThat(problems).as(String.join("\n", problems)).isEmpty();
  }

  /** A typo in the exceptions file would excuse nothing and hide nothing: refuse it. */
  private void assertEveryExceptionNamesACase(DocumentedExceptions exceptions) throws Exception {
    Set<String> known = new HashSet<>();
    JavaCases.all().forEach(c -> known.add(c.name()));
    known.addAll(PythonCaseRunner.names(work));
    List<String> unknown =
        exceptions.entries().stream()
            .filter(e -> !known.contains(e.caseName()))
            .map(e -> "line " + e.line() + ": " + e.caseName())
            .toList();
    assertThat(unknown).as("exceptions naming no case in " + DocumentedExceptions.FILE).isEmpty();
  }

  private static void writeTable(
      String backend, Map<String, Outcome> direct, Map<String, Outcome> gateway) throws Exception {
    Path dir = Path.of("target", "conformance");
    Files.createDirectories(dir);
    StringBuilder tsv =
        new StringBuilder(
            "case\tdirect\tgateway\tdirect ms\tgateway ms\tdirect detail\tgateway detail\n");
    for (Outcome d : direct.values()) {
      Outcome g = gateway.get(d.caseName());
      tsv.append(d.caseName())
          .append('\t')
          .append(d.status())
          .append('\t')
          .append(g == null ? "MISSING" : g.status())
          .append('\t')
          .append(d.millis())
          .append('\t')
          .append(g == null ? 0 : g.millis())
          .append('\t')
          .append(d.detail())
          .append('\t')
          .append(g == null ? "" : g.detail())
          .append('\n');
    }
    Files.writeString(dir.resolve(backend + ".tsv"), tsv, StandardCharsets.UTF_8);
  }
}

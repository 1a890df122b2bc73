package io.github.s3eg.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.conformance.Outcome.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict of the conformance suite, on outcomes made up for the purpose. */
class DifferentialReportTest {

  private static Map<String, Outcome> outcomes(Object... nameStatus) {
    Map<String, Outcome> m = new LinkedHashMap<>();
    for (int i = 0; i < nameStatus.length; i += 2) {
      String name = (String) nameStatus[i];
      m.put(name, new Outcome(name, (Status) nameStatus[i + 1], "detail of " + name));
    }
    return m;
  }

  private static DocumentedExceptions exceptions(String... lines) {
    return DocumentedExceptions.parse(List.of(lines));
  }

  @Test
  void aCasePassingDirectlyAndFailingThroughTheGatewayIsAnUndocumentedRegression() {
    DifferentialReport r =
        new DifferentialReport(
            "b",
            outcomes("java:a/x", Status.PASSED, "java:a/y", Status.PASSED),
            outcomes("java:a/x", Status.PASSED, "java:a/y", Status.FAILED),
            exceptions());
    assertThat(r.unexcused)
        .extracting(DifferentialReport.Regression::caseName)
        .containsExactly("java:a/y");
    assertThat(r.unexcused.get(0).gatewayDetail()).isEqualTo("detail of java:a/y");
    assertThat(r.summary())
        .contains("direct 2 passed, gateway 1 passed, exceptions 0")
        .contains("1 UNDOCUMENTED REGRESSIONS");
  }

  @Test
  void aDocumentedExceptionExcusesTheRegressionAndIsCounted() {
    DocumentedExceptions ex = exceptions("# comment", "", "java:a/y   open: being fixed");
    DifferentialReport r =
        new DifferentialReport(
            "b", outcomes("java:a/y", Status.PASSED), outcomes("java:a/y", Status.FAILED), ex);
    assertThat(r.unexcused).isEmpty();
    assertThat(r.excused).hasSize(1);
    assertThat(r.summary()).contains("direct 1 passed, gateway 0 passed, exceptions 1");
    assertThat(DifferentialReport.stale(ex, List.of(r))).isEmpty();
  }

  @Test
  void failingOnBothSidesOrOnlyDirectlyNeedsNoException() {
    DifferentialReport r =
        new DifferentialReport(
            "b",
            outcomes("java:a/x", Status.FAILED, "java:a/y", Status.FAILED),
            outcomes("java:a/x", Status.FAILED, "java:a/y", Status.PASSED),
            exceptions());
    assertThat(r.unexcused).isEmpty();
    assertThat(r.gatewayOnly).containsExactly("java:a/y");
    assertThat(r.summary()).contains("direct 0 passed, gateway 1 passed, exceptions 0");
  }

  @Test
  void notApplicableCasesCountNeitherWay() {
    DifferentialReport r =
        new DifferentialReport(
            "b",
            outcomes("java:a/x", Status.NOT_APPLICABLE, "java:a/y", Status.PASSED),
            outcomes("java:a/x", Status.NOT_APPLICABLE, "java:a/y", Status.PASSED),
            exceptions());
    assertThat(r.cases).isEqualTo(1);
    assertThat(r.summary()).contains("(of 1 cases, 1 not applicable here)");
  }

  @Test
  void aMissingGatewayOutcomeIsAFailure() {
    DifferentialReport r =
        new DifferentialReport("b", outcomes("boto3:a/x", Status.PASSED), outcomes(), exceptions());
    assertThat(r.unexcused)
        .extracting(DifferentialReport.Regression::caseName)
        .containsExactly("boto3:a/x");
  }

  @Test
  void anExceptionNoBackendNeedsIsStale() {
    DocumentedExceptions ex = exceptions("java:a/x  open: fixed now", "java:a/y  refused: why");
    DifferentialReport r =
        new DifferentialReport(
            "b",
            outcomes("java:a/x", Status.PASSED, "java:a/y", Status.PASSED),
            outcomes("java:a/x", Status.PASSED, "java:a/y", Status.FAILED),
            ex);
    assertThat(DifferentialReport.stale(ex, List.of(r)))
        .extracting(DocumentedExceptions.Entry::caseName)
        .containsExactly("java:a/x");
  }

  @Test
  void anExceptionScopedToOneBackendExcusesOnlyThere() {
    DocumentedExceptions ex = exceptions("java:a/x@one  backend quirk");
    Map<String, Outcome> direct = outcomes("java:a/x", Status.PASSED);
    Map<String, Outcome> gateway = outcomes("java:a/x", Status.FAILED);
    DifferentialReport one = new DifferentialReport("one", direct, gateway, ex);
    DifferentialReport two = new DifferentialReport("two", direct, gateway, ex);
    assertThat(one.unexcused).isEmpty();
    assertThat(two.unexcused).hasSize(1);
    assertThat(DifferentialReport.stale(ex, List.of(one, two))).isEmpty();
  }

  @Test
  void anExceptionNeededOnOneBackendOnlyIsNotStale() {
    DocumentedExceptions ex = exceptions("java:a/x  open: fails on one backend");
    DifferentialReport one =
        new DifferentialReport(
            "one", outcomes("java:a/x", Status.PASSED), outcomes("java:a/x", Status.FAILED), ex);
    DifferentialReport two =
        new DifferentialReport(
            "two", outcomes("java:a/x", Status.FAILED), outcomes("java:a/x", Status.FAILED), ex);
    assertThat(DifferentialReport.stale(ex, List.of(one, two))).isEmpty();
  }

  @Test
  void theTotalLineIsExactlyTheCountsSummedOverBackends() {
    DocumentedExceptions ex = exceptions("java:a/y  open: being fixed");
    DifferentialReport one =
        new DifferentialReport(
            "one",
            outcomes("java:a/x", Status.PASSED, "java:a/y", Status.PASSED),
            outcomes("java:a/x", Status.PASSED, "java:a/y", Status.FAILED),
            ex);
    DifferentialReport two =
        new DifferentialReport(
            "two",
            outcomes("java:a/x", Status.PASSED, "java:a/y", Status.FAILED),
            outcomes("java:a/x", Status.PASSED, "java:a/y", Status.PASSED),
            ex);
    assertThat(DifferentialReport.total(List.of(one, two)))
        .isEqualTo("direct 3 passed, gateway 3 passed, exceptions 1");
  }

  @Test
  void theExceptionsFileRefusesLinesWithoutReasonAndDuplicates() {
    assertThatThrownBy(() -> exceptions("java:a/x"))
        .hasMessageContaining("line 1: no reason given for java:a/x");
    assertThatThrownBy(() -> exceptions("java:a/x  one", "java:a/x  two"))
        .hasMessageContaining("line 2: java:a/x is listed twice");
  }

  @Test
  void theCheckedInExceptionsFileParses() throws Exception {
    assertThat(DocumentedExceptions.load().entries())
        .allSatisfy(e -> assertThat(e.reason()).matches("(refused|by design|open)\\b.*"));
  }
}

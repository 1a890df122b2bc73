package io.github.s3eg.conformance;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The verdict of one backend's run: every case ran directly and through the gateway; a case that
 * passes directly must pass through the gateway or be a documented exception.
 */
final class DifferentialReport {

  /** A case that passes directly and fails through the gateway. */
  record Regression(String caseName, String gatewayDetail, DocumentedExceptions.Entry excuse) {}

  final String backend;
  final int cases;
  final int notApplicable;
  final int directPassed;
  final int gatewayPassed;
  final List<Regression> excused = new ArrayList<>();
  final List<Regression> unexcused = new ArrayList<>();

  /** Passing through the gateway although failing directly: the gateway does more. */
  final List<String> gatewayOnly = new ArrayList<>();

  /** Exception entries this backend needed. */
  final Set<String> usedExceptions = new LinkedHashSet<>();

  DifferentialReport(
      String backend,
      Map<String, Outcome> direct,
      Map<String, Outcome> gateway,
      DocumentedExceptions exceptions) {
    this.backend = backend;
    int applicable = 0;
    int na = 0;
    int dp = 0;
    int gp = 0;
    for (Outcome d : direct.values()) {
      Outcome g =
          gateway.getOrDefault(
              d.caseName(),
              new Outcome(d.caseName(), Outcome.Status.FAILED, "no outcome through the gateway"));
      if (d.status() == Outcome.Status.NOT_APPLICABLE) {
        na++;
        continue;
      }
      applicable++;
      dp += d.passed() ? 1 : 0;
      gp += g.passed() ? 1 : 0;
      if (d.passed() && !g.passed()) {
        DocumentedExceptions.Entry excuse = exceptions.excuse(d.caseName(), backend);
        Regression r = new Regression(d.caseName(), g.detail(), excuse);
        if (excuse == null) {
          unexcused.add(r);
        } else {
          excused.add(r);
          usedExceptions.add(excuse.key());
        }
      } else if (!d.passed() && g.passed()) {
        gatewayOnly.add(d.caseName());
      }
    }
    this.cases = applicable;
    this.notApplicable = na;
    this.directPassed = dp;
    this.gatewayPassed = gp;
  }

  /**
   * The exception entries no backend needed: the case passes through the gateway now (or fails
   * directly too, so there is nothing to excuse). The file must not keep them.
   */
  static List<DocumentedExceptions.Entry> stale(
      DocumentedExceptions exceptions, List<DifferentialReport> reports) {
    Set<String> used = new java.util.HashSet<>();
    reports.forEach(r -> used.addAll(r.usedExceptions));
    return exceptions.entries().stream().filter(e -> !used.contains(e.key())).toList();
  }

  /**
   * One backend's counts: {@code [backend] direct N passed, gateway M passed, exceptions K (…)}.
   */
  String summary() {
    return "["
        + backend
        + "] direct "
        + directPassed
        + " passed, gateway "
        + gatewayPassed
        + " passed, exceptions "
        + excused.size()
        + " (of "
        + cases
        + " cases"
        + (notApplicable > 0 ? ", " + notApplicable + " not applicable here" : "")
        + (unexcused.isEmpty() ? "" : "; " + unexcused.size() + " UNDOCUMENTED REGRESSIONS")
        + ")";
  }

  /**
   * The line CI greps for, exactly {@code direct N passed, gateway M passed, exceptions K}: the
   * counts summed over every backend that ran (each backend's own line, {@link #summary()}, says
   * which backend and how many cases).
   */
  static String total(List<DifferentialReport> reports) {
    int direct = 0;
    int gateway = 0;
    int excusedTotal = 0;
    for (DifferentialReport r : reports) {
      direct += r.directPassed;
      gateway += r.gatewayPassed;
      excusedTotal += r.excused.size();
    }
    return "direct "
        + direct
        + " passed, gateway "
        + gateway
        + " passed, exceptions "
        + excusedTotal;
  }

  /** The summary, then every regression with the gateway's failure, documented or not. */
  String details() {
    StringBuilder out = new StringBuilder(summary()).append('\n');
    if (!unexcused.isEmpty()) {
      out.append("Passing directly but failing through the gateway, not in ")
          .append(DocumentedExceptions.FILE)
          .append(":\n");
      for (Regression r : unexcused) {
        out.append("  ").append(r.caseName()).append(": ").append(r.gatewayDetail()).append('\n');
      }
    }
    if (!excused.isEmpty()) {
      out.append("Documented exceptions:\n");
      for (Regression r : excused) {
        out.append("  ")
            .append(r.caseName())
            .append(" (")
            .append(r.excuse().reason())
            .append("): ")
            .append(r.gatewayDetail())
            .append('\n');
      }
    }
    if (!gatewayOnly.isEmpty()) {
      out.append("Failing directly, passing through the gateway: ")
          .append(String.join(", ", gatewayOnly))
          .append('\n');
    }
    return out.toString();
  }
}

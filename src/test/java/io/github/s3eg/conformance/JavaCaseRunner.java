package io.github.s3eg.conformance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the Java cases on one target, a few at a time (each has its own buckets), and records each
 * one's outcome. A case that throws anything fails with what it threw; one that takes longer than
 * {@link #CASE_TIMEOUT_SECONDS} fails as hung.
 */
final class JavaCaseRunner {

  static final int CASE_TIMEOUT_SECONDS = 120;

  private JavaCaseRunner() {}

  static TargetOutcomes run(
      List<ConformanceCase> cases, Target target, Set<Capability> capabilities, int parallelism)
      throws InterruptedException {
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    AtomicInteger buckets = new AtomicInteger();
    TargetClients clients = new TargetClients(target);
    try (clients;
        ExecutorService pool = Executors.newFixedThreadPool(parallelism)) {
      Map<ConformanceCase, Future<Outcome>> running = new LinkedHashMap<>();
      for (ConformanceCase c : cases) {
        if (!capabilities.containsAll(c.requires())) {
          outcomes.put(c.name(), new Outcome(c.name(), Outcome.Status.NOT_APPLICABLE, ""));
          continue;
        }
        running.put(c, pool.submit(() -> runOne(c, new CaseContext(clients, c.name(), buckets))));
      }
      for (Map.Entry<ConformanceCase, Future<Outcome>> e : running.entrySet()) {
        String name = e.getKey().name();
        try {
          outcomes.put(name, e.getValue().get(CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (TimeoutException hung) {
          e.getValue().cancel(true);
          outcomes.put(
              name,
              new Outcome(
                  name, Outcome.Status.FAILED, "no answer in " + CASE_TIMEOUT_SECONDS + " s"));
        } catch (java.util.concurrent.ExecutionException impossible) {
          outcomes.put(
              name, new Outcome(name, Outcome.Status.FAILED, describe(impossible.getCause())));
        }
      }
    }
    return new TargetOutcomes(outcomes, clients.retried.get());
  }

  private static Outcome runOne(ConformanceCase c, CaseContext context) {
    long start = System.nanoTime();
    try {
      c.body().check(context);
      return new Outcome(c.name(), Outcome.Status.PASSED, "", millisSince(start));
    } catch (Throwable t) {
      return new Outcome(c.name(), Outcome.Status.FAILED, describe(t), millisSince(start));
    }
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** One line: the failure's type and message, shortened. */
  static String describe(Throwable t) {
    String message = t.getMessage() == null ? "" : t.getMessage().replaceAll("\\s+", " ").trim();
    String type = t instanceof AssertionError ? "" : t.getClass().getSimpleName() + ": ";
    String line = type + message;
    return line.length() > 400 ? line.substring(0, 400) + "…" : line;
  }
}

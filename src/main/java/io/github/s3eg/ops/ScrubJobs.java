package io.github.s3eg.ops;

import io.github.s3eg.recovery.Finding;
import io.github.s3eg.recovery.ScrubReport;
import io.github.s3eg.recovery.Scrubber;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrubs run by the gateway in the background (the {@code s3eg-scrub} admin endpoint): one at a
 * time, on a daemon thread, paced like the command. The latest report of each bucket is kept for
 * {@code GET ?s3eg-scrub}; the one in progress (or the last one) is published in {@code /metrics}:
 * {@code scrub_running}, {@code scrub_objects_checked}, {@code scrub_bytes_checked} and {@code
 * scrub_findings{finding=…}}.
 */
public final class ScrubJobs implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ScrubJobs.class);

  private final Supplier<Scrubber> scrubbers;
  private final Map<String, ScrubReport> latest = new ConcurrentHashMap<>();
  private volatile ScrubReport current;
  private volatile Thread running;
  private volatile boolean closed;

  public ScrubJobs(Supplier<Scrubber> scrubbers, MeterRegistry registry) {
    this.scrubbers = scrubbers;
    Gauge.builder("scrub.running", () -> isRunning() ? 1 : 0)
        .description("Whether a background scrub is running")
        .register(registry);
    Gauge.builder("scrub.objects.checked", () -> current == null ? 0 : current.scanned())
        .description("Objects checked by the running (or last) scrub")
        .register(registry);
    Gauge.builder("scrub.bytes.checked", () -> current == null ? 0 : current.bytes())
        .description("Stored bytes read by the running (or last) scrub")
        .baseUnit("bytes")
        .register(registry);
    for (Finding f : Finding.values()) {
      Gauge.builder("scrub.findings", () -> current == null ? 0 : current.count(f))
          .description("Objects with this finding in the running (or last) scrub")
          .tag("finding", f.label())
          .register(registry);
    }
  }

  public boolean isRunning() {
    Thread t = running;
    return t != null && t.isAlive();
  }

  /** Starts a scrub of {@code bucket} under {@code prefix}; empty when one is already running. */
  public synchronized Optional<ScrubReport> start(String bucket, String prefix) {
    if (closed || isRunning()) {
      return Optional.empty();
    }
    ScrubReport report = Scrubber.report(bucket, prefix);
    Scrubber scrubber = scrubbers.get();
    current = report;
    latest.put(bucket, report);
    running =
        Thread.ofPlatform()
            .daemon()
            .name("scrub-" + bucket)
            .start(
                () -> {
                  LOG.info("scrub of {} (prefix '{}') started", bucket, prefix);
                  scrubber.run(bucket, prefix, report, () -> closed);
                  LOG.info(
                      "scrub of {} finished: {} objects checked, {} with findings",
                      bucket,
                      report.scanned(),
                      report.entries().size());
                });
    return Optional.of(report);
  }

  /** The running or last report of {@code bucket}, if a scrub ran on it since start-up. */
  public Optional<ScrubReport> latest(String bucket) {
    return Optional.ofNullable(latest.get(bucket));
  }

  @Override
  public void close() {
    closed = true;
    Thread t = running;
    if (t != null) {
      t.interrupt();
    }
  }
}

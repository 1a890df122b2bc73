package io.github.s3eg.ops;

import io.github.s3eg.s3.S3Request;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The gateway's metrics, in a Prometheus registry that {@code GET /metrics} renders and that Camel
 * uses as its {@code MeterRegistry}. Metric names follow Prometheus conventions; {@code
 * docs/operations.md} lists them.
 *
 * <p>Every label has a small fixed set of values: HTTP method, status code, and the S3 operation
 * (the id of the route that handled the request). Buckets, keys and principals never become labels.
 *
 * <p>The encryption steps report through {@link #recordEncryption}.
 */
public final class GatewayMetrics implements RequestListener, AutoCloseable {

  /** Operation label of probes ({@code /live}, {@code /ready}, {@code /health}). */
  static final String PROBE = "Probe";

  /** Operation label of {@code GET /metrics}. */
  public static final String METRICS = "Metrics";

  /** Operation label of requests answered before reaching an operation (refused, malformed). */
  static final String UNROUTED = "Unrouted";

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS");

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics;

  public GatewayMetrics() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The registry in the Prometheus text exposition format. */
  public String scrape() {
    return registry.scrape();
  }

  /** Publishes {@code active_connections}: the client connections open right now. */
  public void activeConnections(IntSupplier connections) {
    Gauge.builder("active.connections", connections::getAsInt)
        .description("Client connections currently open")
        .register(registry);
  }

  /**
   * Records one encryption or decryption.
   *
   * @param direction {@code encrypt} or {@code decrypt}
   * @param algorithm the algorithm's name (a fixed set, e.g. {@code AES256-GCM})
   * @param bytes plaintext bytes processed
   * @param nanos time taken
   * @param ok false if it failed (tampered data, key unavailable, …)
   */
  public void recordEncryption(
      String direction, String algorithm, long bytes, long nanos, boolean ok) {
    String outcome = ok ? "success" : "error";
    Counter.builder("encryption.operations")
        .description("Encryptions and decryptions")
        .tags("direction", direction, "algorithm", algorithm, "outcome", outcome)
        .register(registry)
        .increment();
    Counter.builder("encryption.bytes")
        .description("Plaintext bytes encrypted or decrypted")
        .baseUnit("bytes")
        .tags("direction", direction, "algorithm", algorithm)
        .register(registry)
        .increment(bytes);
    Timer.builder("encryption.duration")
        .description("Time spent encrypting or decrypting")
        .tags("direction", direction, "algorithm", algorithm, "outcome", outcome)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void completed(Completed c) {
    long nanos = System.nanoTime() - c.startNanos();
    String method = method(c.httpMethod());
    String routed = c.operation();
    String operation = routed != null ? routed : unroutedOperation(c);
    Counter.builder("http.requests")
        .description("HTTP requests answered")
        .tags("method", method, "status", Integer.toString(c.status()), "operation", operation)
        .register(registry)
        .increment();
    Timer.builder("http.request.duration")
        .description("Time from request to the end of the response")
        .tags("method", method, "operation", operation)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
    for (String call : c.backendCalls()) {
      Counter.builder("backend.requests")
          .description("Requests sent to the storage backend, by S3 operation and backend call")
          .tags("operation", operation, "call", call)
          .register(registry)
          .increment();
    }
    if (routed != null && !METRICS.equals(routed)) {
      String outcome = outcome(c);
      Counter.builder("s3.operations")
          .description("S3 operations by outcome")
          .tags("operation", operation, "outcome", outcome)
          .register(registry)
          .increment();
      Timer.builder("s3.operation.duration")
          .description("Time per S3 operation, response included")
          .tags("operation", operation, "outcome", outcome)
          .register(registry)
          .record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  private static String unroutedOperation(Completed c) {
    S3Request request = c.request();
    return request != null && request.probe() != null ? PROBE : UNROUTED;
  }

  private static String method(String name) {
    return METHODS.contains(name) ? name : "OTHER";
  }

  private static String outcome(Completed c) {
    if (c.aborted()) {
      return "aborted";
    }
    if (c.status() < 400) {
      return "success";
    }
    return c.status() < 500 ? "client_error" : "server_error";
  }

  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }
}

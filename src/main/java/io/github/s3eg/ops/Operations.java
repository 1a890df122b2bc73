package io.github.s3eg.ops;

import io.github.s3eg.config.OpsConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * The operations side of one gateway: metrics, access log, rate limiter and audit log, built from
 * {@link OpsConfig}. The pipeline's steps use its parts ({@link #rateLimit()}, {@link
 * #metricsEndpoint()}, …); {@link #listener()} is what {@code sendResponse} and {@code sendError}
 * tell about every answered request.
 */
public final class Operations implements AutoCloseable {

  private final GatewayMetrics metrics;
  private final AuditLog audit;
  private final RateLimit rateLimit;
  private final ConcurrencyLimit concurrencyLimit;
  private final RequestListener listener;

  private Operations(
      GatewayMetrics metrics,
      AuditLog audit,
      RateLimit rateLimit,
      ConcurrencyLimit concurrencyLimit,
      RequestListener listener) {
    this.metrics = metrics;
    this.audit = audit;
    this.rateLimit = rateLimit;
    this.concurrencyLimit = concurrencyLimit;
    this.listener = listener;
  }

  /** {@code activeConnections}: the HTTP server's count of open client connections. */
  public static Operations create(OpsConfig config, IntSupplier activeConnections)
      throws IOException {
    GatewayMetrics metrics = new GatewayMetrics();
    metrics.activeConnections(activeConnections);
    List<RequestListener> listeners = new ArrayList<>();
    listeners.add(
        new AccessLog(config.jsonAccessLog() ? AccessLog.Format.JSON : AccessLog.Format.TEXT));
    listeners.add(metrics);
    AuditLog audit = config.audit().enabled() ? AuditLog.open(config.audit()) : null;
    if (audit != null) {
      listeners.add(audit);
    }
    return new Operations(
        metrics,
        audit,
        new RateLimit(config.rateLimit()),
        new ConcurrencyLimit(config.maxConcurrentPerPrincipal()),
        RequestListener.all(listeners));
  }

  /** For the encryption steps: {@link GatewayMetrics#recordEncryption}. */
  public GatewayMetrics metrics() {
    return metrics;
  }

  /** The audit log, when {@code AUDIT_ENABLED=true}. */
  public Optional<AuditLog> audit() {
    return Optional.ofNullable(audit);
  }

  /** Bean name → bean, for the Camel registry (camel-micrometer looks its registry up there). */
  public Map<String, Object> bindings() {
    return Map.of("metricsRegistry", metrics.registry());
  }

  /** The per-principal request limit ({@code RATE_LIMIT_*}). */
  public RateLimit rateLimit() {
    return rateLimit;
  }

  /** Requests in progress per principal ({@code SERVER_MAX_CONCURRENT_REQUESTS_PER_PRINCIPAL}). */
  public ConcurrencyLimit concurrencyLimit() {
    return concurrencyLimit;
  }

  /** The Prometheus scrape. */
  public MetricsEndpoint metricsEndpoint() {
    return new MetricsEndpoint(metrics);
  }

  /** Tell it about every answered request. */
  public RequestListener listener() {
    return listener;
  }

  @Override
  public void close() throws IOException {
    try {
      metrics.close();
    } finally {
      if (audit != null) {
        audit.close();
      }
    }
  }
}

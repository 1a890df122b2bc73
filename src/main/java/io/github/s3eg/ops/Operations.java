package io.github.s3eg.ops;

import io.github.s3eg.config.OpsConfig;
import io.github.s3eg.pipeline.AccessLog;
import io.github.s3eg.pipeline.RequestListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * The operations side of one gateway: metrics, access log, rate limiter and audit log, built from
 * {@link OpsConfig}. {@link #bindings()} are the beans the routes name ({@code metricsEndpoint},
 * {@code rateLimit}, …); {@link #listener()} is what {@code sendResponse} and {@code sendError}
 * tell about every answered request.
 */
public final class Operations implements AutoCloseable {

  private final GatewayMetrics metrics;
  private final AuditLog audit;
  private final Map<String, Object> bindings;
  private final RequestListener listener;

  private Operations(
      GatewayMetrics metrics,
      AuditLog audit,
      Map<String, Object> bindings,
      RequestListener listener) {
    this.metrics = metrics;
    this.audit = audit;
    this.bindings = bindings;
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
    Map<String, Object> bindings = new LinkedHashMap<>();
    // camel-micrometer looks its registry up under this name.
    bindings.put("metricsRegistry", metrics.registry());
    bindings.put("metricsEndpoint", new MetricsEndpoint(metrics, config.metricsPublic()));
    bindings.put("operationNaming", new OperationNaming());
    bindings.put("rateLimit", new RateLimit(config.rateLimit()));
    bindings.put("concurrencyLimit", new ConcurrencyLimit(config.maxConcurrentPerPrincipal()));
    return new Operations(metrics, audit, bindings, RequestListener.all(listeners));
  }

  /** For the encryption steps: {@link GatewayMetrics#recordEncryption}. */
  public GatewayMetrics metrics() {
    return metrics;
  }

  /** The audit log, when {@code AUDIT_ENABLED=true}. */
  public Optional<AuditLog> audit() {
    return Optional.ofNullable(audit);
  }

  /** Bean name → bean, for the Camel registry. */
  public Map<String, Object> bindings() {
    return Map.copyOf(bindings);
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

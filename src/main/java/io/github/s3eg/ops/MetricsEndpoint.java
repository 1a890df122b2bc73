package io.github.s3eg.ops;

import io.github.s3eg.s3.S3Response;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics} (exactly that path, no query): the gateway's metrics in the Prometheus text
 * format. The route answers it after authentication, like any S3 request, unless {@code
 * METRICS_PUBLIC=true} makes it one of the open requests.
 */
public final class MetricsEndpoint {

  private final GatewayMetrics metrics;

  public MetricsEndpoint(GatewayMetrics metrics) {
    this.metrics = metrics;
  }

  /** The scrape answer. */
  public S3Response respond() {
    byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
    S3Response response =
        S3Response.status(200)
            .header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .header("Cache-Control", "no-store");
    return response.stream(new ByteArrayInputStream(body), body.length, () -> {});
  }
}

package io.github.s3eg.ops;

import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;

/**
 * {@code GET /metrics} (exactly that path, no query): the gateway's metrics in the Prometheus text
 * format. The route answers it after authentication, like any S3 request, unless {@code
 * METRICS_PUBLIC=true} lets it be answered before.
 */
public final class MetricsEndpoint {

  private final GatewayMetrics metrics;
  private final boolean publicAccess;

  public MetricsEndpoint(GatewayMetrics metrics, boolean publicAccess) {
    this.metrics = metrics;
    this.publicAccess = publicAccess;
  }

  /** True for a scrape request. */
  public boolean isScrape(Exchange exchange) {
    S3Request s3 = exchange.getProperty(S3Request.PROPERTY, S3Request.class);
    return s3 != null && s3.isMetricsScrape();
  }

  /** True for a scrape request that may be answered without a signature. */
  public boolean isPublicScrape(Exchange exchange) {
    return publicAccess && isScrape(exchange);
  }

  /** Puts the scrape answer on the exchange for {@code sendResponse}. */
  public void respond(Exchange exchange) {
    exchange.setProperty(GatewayMetrics.OPERATION, GatewayMetrics.METRICS);
    byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
    S3Response response =
        S3Response.status(200)
            .header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .header("Cache-Control", "no-store");
    exchange.setProperty(
        S3Response.PROPERTY,
        response.stream(new ByteArrayInputStream(body), body.length, () -> {}));
  }
}

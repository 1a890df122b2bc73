package io.github.s3eg.ops;

import io.github.s3eg.backend.BackendClients;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.model.ListBucketsRequest;

/**
 * Readiness: can the gateway reach its backend? Any S3 answer below 500 counts as reachable (a
 * backend account may not be allowed to list buckets); connection failures, timeouts and 5xx do
 * not. The detail names the outcome only, never credentials or raw exception text.
 */
public final class BackendHealthCheck extends AbstractHealthCheck {

  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final BackendClients backend;

  public BackendHealthCheck(BackendClients backend) {
    super("s3eg", "backend");
    this.backend = backend;
  }

  @Override
  public boolean isLiveness() {
    return false;
  }

  @Override
  protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
    try {
      backend
          .s3()
          .listBuckets(
              ListBucketsRequest.builder()
                  .maxBuckets(1)
                  .overrideConfiguration(o -> o.apiCallTimeout(TIMEOUT))
                  .build());
      builder.up();
    } catch (AwsServiceException e) {
      if (e.statusCode() < 500) {
        builder.up().detail("backend", "reachable (HTTP " + e.statusCode() + ")");
      } else {
        builder.down().detail("backend", "backend answered HTTP " + e.statusCode());
      }
    } catch (RuntimeException e) {
      builder.down().detail("backend", "unreachable");
    }
  }
}

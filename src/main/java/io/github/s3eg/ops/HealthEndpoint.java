package io.github.s3eg.ops;

import io.github.s3eg.s3.S3Response;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * {@code /live}, {@code /ready} and {@code /health}, answered from Camel's health-check registry:
 * liveness (the Camel context runs), readiness (routes started, backend reachable, key manager
 * healthy), and both. 200 when every check is up, 503 otherwise; a small JSON body with each
 * check's state, without secrets or exception text.
 */
public final class HealthEndpoint {

  /** Answers the probe named by {@code probe}: {@code live}, {@code ready} or {@code health}. */
  public S3Response respond(CamelContext context, String probe) {
    Collection<HealthCheck.Result> results =
        switch (probe) {
          case "live" -> HealthCheckHelper.invokeLiveness(context);
          case "ready" -> HealthCheckHelper.invokeReadiness(context);
          default -> HealthCheckHelper.invoke(context);
        };
    boolean up = results.stream().allMatch(r -> r.getState() == HealthCheck.State.UP);
    String checks =
        results.stream()
            .map(r -> "\"" + r.getCheck().getId() + "\":\"" + r.getState() + "\"")
            .sorted()
            .collect(Collectors.joining(","));
    String json = "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"checks\":{" + checks + "}}";
    S3Response response =
        S3Response.status(up ? 200 : 503)
            .header("Content-Type", "application/json")
            .header("Cache-Control", "no-store");
    return withBody(response, json);
  }

  private static S3Response withBody(S3Response headers, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return headers.stream(new java.io.ByteArrayInputStream(body), body.length, () -> {});
  }
}

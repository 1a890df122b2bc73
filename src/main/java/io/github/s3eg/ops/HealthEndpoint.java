package io.github.s3eg.ops;

import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * {@code /live}, {@code /ready} and {@code /health}, answered from Camel's health-check registry:
 * liveness (the Camel context runs), readiness (routes started, backend reachable, key manager
 * healthy), and both. 200 when every check is up, 503 otherwise, with {@code {"status":"UP"}} (or
 * {@code DOWN}).
 *
 * <p>Orchestrators probe without a signature, and get the status only. The checks themselves (route
 * ids, the backend's and key manager's state) tell an attacker what runs behind the gateway (issue
 * 17 finding 10), so they are listed only for a signed probe whose credential may read every bucket
 * (the permission of a metrics scrape; a bad signature or a lesser credential gets {@code 403}), or
 * for anyone with {@code HEALTH_DETAILS_PUBLIC=true}. Never secrets or exception text.
 */
public final class HealthEndpoint {

  private final boolean detailsPublic;
  private final Processor authenticate;

  /**
   * @param authenticate the route step {@code authenticate}, run for a probe that carries a
   *     signature
   */
  public HealthEndpoint(boolean detailsPublic, Processor authenticate) {
    this.detailsPublic = detailsPublic;
    this.authenticate = authenticate;
  }

  /** Answers the probe named by {@code probe}: {@code live}, {@code ready} or {@code health}. */
  public void respond(Exchange exchange, String probe) throws Exception {
    boolean details = detailsPublic;
    S3Request request = exchange.getProperty(S3Request.PROPERTY, S3Request.class);
    if (request != null && request.header("Authorization") != null) {
      authenticate.process(exchange); // throws 403 unless the credential may see the details
      details = true;
    }
    Collection<HealthCheck.Result> results =
        switch (probe) {
          case "live" -> HealthCheckHelper.invokeLiveness(exchange.getContext());
          case "ready" -> HealthCheckHelper.invokeReadiness(exchange.getContext());
          default -> HealthCheckHelper.invoke(exchange.getContext());
        };
    boolean up = results.stream().allMatch(r -> r.getState() == HealthCheck.State.UP);
    String json = "{\"status\":\"" + (up ? "UP" : "DOWN") + "\"";
    if (details) {
      json +=
          ",\"checks\":{"
              + results.stream()
                  .map(r -> "\"" + r.getCheck().getId() + "\":\"" + r.getState() + "\"")
                  .sorted()
                  .collect(Collectors.joining(","))
              + "}";
    }
    json += "}";
    S3Response response =
        S3Response.status(up ? 200 : 503)
            .header("Content-Type", "application/json")
            .header("Cache-Control", "no-store");
    exchange.setProperty(S3Response.PROPERTY, withBody(response, json));
  }

  private static S3Response withBody(S3Response headers, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return headers.stream(new java.io.ByteArrayInputStream(body), body.length, () -> {});
  }
}

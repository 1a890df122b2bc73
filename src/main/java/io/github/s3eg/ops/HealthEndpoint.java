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

  public HealthEndpoint(boolean detailsPublic) {
    this.detailsPublic = detailsPublic;
  }

  /** Whether every probe lists the checks ({@code HEALTH_DETAILS_PUBLIC=true}). */
  public boolean detailsPublic() {
    return detailsPublic;
  }

  /**
   * Answers the probe named by {@code probe}: {@code live}, {@code ready} or {@code health}, with
   * each check's state when {@code details} (a signed probe whose credential may see them, or
   * {@code HEALTH_DETAILS_PUBLIC=true}).
   */
  public S3Response respond(CamelContext context, String probe, boolean details) {
    Collection<HealthCheck.Result> results =
        switch (probe) {
          case "live" -> HealthCheckHelper.invokeLiveness(context);
          case "ready" -> HealthCheckHelper.invokeReadiness(context);
          default -> HealthCheckHelper.invoke(context);
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
    return withBody(response, json);
  }

  private static S3Response withBody(S3Response headers, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return headers.stream(new java.io.ByteArrayInputStream(body), body.length, () -> {});
  }
}

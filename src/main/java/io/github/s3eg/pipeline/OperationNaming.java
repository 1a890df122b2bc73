package io.github.s3eg.pipeline;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Names the S3 operation of each request after the route that handles it: when an exchange enters
 * an operation route ({@code PutObject}, {@code ListObjectsV2}, …) from the entry route, the route
 * id becomes the request's {@link RequestState#routedOperation} (once: routes the operation calls
 * in turn do not rename it). Route ids are fixed in the route files, so the metrics' {@code
 * operation} label has a small fixed set of values, and a new operation route is named without
 * further wiring.
 */
public final class OperationNaming implements RoutePolicyFactory {

  @Override
  public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
    return new RoutePolicySupport() {
      @Override
      public void onExchangeBegin(Route route, Exchange exchange) {
        // The first route after the entry route is the operation; routes it calls in turn
        // (shared steps) do not rename it.
        RequestState state = RequestStates.find(exchange);
        if (state != null
            && !route.getRouteId().equals(exchange.getFromRouteId())
            && state.routedOperation() == null) {
          state.nameOperation(route.getRouteId());
        }
      }
    };
  }
}

package io.github.s3eg.pipeline;

import org.apache.camel.Exchange;

/**
 * Where a step finds the {@link RequestState} of its exchange.
 *
 * <p>Not a method of {@code RequestState} itself, on purpose: routes read the state through Simple
 * expressions ({@code ${exchangeProperty.s3eg.open}}), which Camel evaluates with its bean binding,
 * and Camel caches a class's bean information per <em>instance</em> as soon as one of its public
 * methods takes an {@code Exchange}. Each request's state would then stay reachable from that cache
 * (up to its 1,000 entries), with everything the request held.
 */
public final class RequestStates {

  private RequestStates() {}

  /** The state of the request {@code exchange} carries. */
  public static RequestState of(Exchange exchange) {
    RequestState state = find(exchange);
    if (state == null) {
      throw new MissingStepException(Fact.PARSED);
    }
    return state;
  }

  /** The state, or null when the exchange is not an S3 request (or was not parsed). */
  public static RequestState find(Exchange exchange) {
    return exchange.getProperty(RequestState.PROPERTY, RequestState.class);
  }
}

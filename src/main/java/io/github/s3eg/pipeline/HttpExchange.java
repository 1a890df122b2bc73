package io.github.s3eg.pipeline;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The Vert.x request and response behind one Camel exchange, kept in the exchange property {@value
 * #PROPERTY} so that the body can be streamed from, and the answer written to, the connection
 * directly.
 */
public record HttpExchange(
    HttpServerRequest request, HttpServerResponse response, String requestId, long startNanos) {

  public static final String PROPERTY = "s3Http";
}

package io.github.s3eg.pipeline;

import io.github.s3eg.s3.S3Operation;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3RequestParser;
import io.vertx.core.http.HttpServerRequest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * First step of every S3 request: creates its {@link RequestState}, parses bucket, key and query
 * from the raw request line into an {@link S3Request}, names its {@link S3Operation} for the
 * dispatch (also kept in the exchange property {@value S3Operation#PROPERTY}, so that each branch
 * of the dispatch is one string comparison), and clears the Camel headers that platform-http copied
 * from the HTTP request, so that nothing the client sent can leak into backend calls or back into
 * the response.
 */
public final class ParseRequest implements Processor {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final S3RequestParser parser;
  private final boolean publicMetrics;

  /** {@code publicMetrics}: {@code METRICS_PUBLIC}, the scrape is answered without a signature. */
  public ParseRequest(S3RequestParser parser, boolean publicMetrics) {
    this.parser = parser;
    this.publicMetrics = publicMetrics;
  }

  @Override
  public void process(Exchange exchange) {
    HttpMessage message = exchange.getIn(HttpMessage.class);
    HttpServerRequest request = message.getRequest();
    RequestState state =
        new RequestState(
            new HttpExchange(request, message.getResponse(), newRequestId(), System.nanoTime()));
    exchange.setProperty(RequestState.PROPERTY, state);
    // However the request ends: backend streams no step gave back are aborted, not leaked.
    exchange
        .getExchangeExtension()
        .addOnCompletion(
            new org.apache.camel.support.SynchronizationAdapter() {
              @Override
              public void onDone(Exchange done) {
                state.releaseStreams();
              }
            });
    exchange.getIn().removeHeaders("*");
    exchange.getIn().setBody(null);

    Map<String, List<String>> headers = new LinkedHashMap<>();
    request
        .headers()
        .forEach(
            e -> headers.computeIfAbsent(e.getKey(), k -> new ArrayList<>(1)).add(e.getValue()));
    String client =
        request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    S3Request s3 =
        parser.parse(state.requestId(), request.method().name(), request.uri(), headers, client);
    String operation = S3Operation.of(s3);
    boolean open = s3.probe() != null || (publicMetrics && isScrape(s3));
    state.parsed(s3, operation, open);
    if (operation != null) {
      exchange.setProperty(S3Operation.PROPERTY, operation);
    }
  }

  /** {@code GET /metrics}, exactly: the Prometheus scrape. */
  static boolean isScrape(S3Request s3) {
    return "GET".equals(s3.method()) && "/metrics".equals(s3.rawPath()) && s3.rawQuery().isEmpty();
  }

  /** Sixteen upper-case hex digits, like S3's request ids. */
  static String newRequestId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().withUpperCase().formatHex(b);
  }
}

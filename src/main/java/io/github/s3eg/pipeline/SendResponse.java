package io.github.s3eg.pipeline;

import io.github.s3eg.http.ResponseSender;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last step of every S3 route: writes the {@link S3Response} to the client, adding what S3 puts on
 * every response (request id, date, server). Bodies stream with backpressure; see {@link
 * ResponseSender}.
 */
public final class SendResponse implements Processor {

  private static final Logger ACCESS = LoggerFactory.getLogger("s3eg.access");

  private final ResponseSender sender;

  public SendResponse(ResponseSender sender) {
    this.sender = sender;
  }

  @Override
  public void process(Exchange exchange) throws Exception {
    HttpExchange http = exchange.getProperty(HttpExchange.PROPERTY, HttpExchange.class);
    S3Response response = exchange.getProperty(S3Response.PROPERTY, S3Response.class);
    if (response == null) {
      throw new IllegalStateException("route ended without an S3 response");
    }
    send(http, exchange.getProperty(S3Request.PROPERTY, S3Request.class), response);
  }

  void send(HttpExchange http, S3Request request, S3Response response) throws Exception {
    Map<String, List<String>> headers = response.headers();
    commonHeaders(http.requestId()).forEach((k, v) -> headers.putIfAbsent(k, List.of(v)));
    boolean head = request != null && "HEAD".equals(request.method());
    long bytes = 0;
    try {
      if (response.stream() != null && !head) {
        sender.sendStream(
            http.response(),
            response.status(),
            headers,
            response.stream(),
            response.streamLength());
        bytes = response.streamLength();
      } else if (response.bytes() != null && !head) {
        sender.sendBytes(http.response(), response.status(), headers, response.bytes());
        bytes = response.bytes().length;
      } else {
        if (response.stream() != null && !headers.containsKey("Content-Length")) {
          headers.put("Content-Length", List.of(Long.toString(response.streamLength())));
        }
        headers.putIfAbsent("Content-Length", List.of("0"));
        sender.sendHeaders(http.response(), response.status(), headers);
      }
    } finally {
      if (response.streamRelease() != null) {
        response.streamRelease().close();
      }
      logAccess(http, request, response.status(), bytes);
    }
  }

  static Map<String, String> commonHeaders(String requestId) {
    return Map.of(
        "x-amz-request-id",
        requestId,
        "x-amz-id-2",
        requestId,
        "Date",
        DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)),
        "Server",
        "s3-encryption-gateway");
  }

  static void logAccess(HttpExchange http, S3Request request, int status, long bytes) {
    if (ACCESS.isInfoEnabled()) {
      long micros = (System.nanoTime() - http.startNanos()) / 1000;
      ACCESS.info(
          "{} {} {} {} {}B {}ms id={}",
          request == null ? http.request().method() : request.method(),
          request == null ? "-" : "/" + request.resource(),
          request == null ? "-" : request.clientAddress(),
          status,
          bytes,
          micros / 1000.0,
          http.requestId());
    }
  }
}

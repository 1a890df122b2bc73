package io.github.s3eg.http;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.xml.XmlWriter;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers requests that are not valid HTTP/1.1 — a header section over {@code
 * SERVER_MAX_HEADER_SIZE}, a request line over {@code SERVER_MAX_REQUEST_LINE}, a negative,
 * overflowing, non-numeric or contradictory {@code Content-Length}, a garbled request line — with
 * an S3 XML error, as S3 does, instead of Vert.x's default (a bare status or a silently closed
 * connection). Such a request never reaches the routes, so nothing of it reaches the backend; the
 * connection is closed after the answer, because the rest of the byte stream cannot be framed. The
 * router's own 400s (a path it cannot decode, a missing {@code Host}) are answered the same way.
 */
final class MalformedRequests implements Handler<HttpServerRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(MalformedRequests.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Vert.x's invalid-request handler: Netty could not decode the request. */
  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    String detail = cause == null ? "" : String.valueOf(cause.getMessage());
    if (cause instanceof TooLongFrameException && detail.startsWith("HTTP header is larger")) {
      answer(
          request,
          S3ErrorCode.REQUEST_HEADER_SECTION_TOO_LARGE,
          "Your request header section exceeds the maximum allowed size.",
          detail);
    } else if (cause instanceof TooLongFrameException) {
      answer(request, S3ErrorCode.INVALID_URI, "Couldn't parse the specified URI.", detail);
    } else {
      answer(request, S3ErrorCode.INVALID_REQUEST, "The request is not valid HTTP/1.1.", detail);
    }
  }

  /**
   * The router's handler for its own 400s, raised before any route runs: a path Vert.x cannot
   * percent-decode ({@code %zz}), an HTTP/1.1 request without {@code Host}.
   */
  void routingFailed(RoutingContext context) {
    Throwable failure = context.failure();
    String detail = failure == null ? "" : String.valueOf(failure.getMessage());
    if (context.response().headWritten()) {
      context.request().connection().close();
    } else if (context.request().getHeader("Host") == null) {
      answer(
          context.request(),
          S3ErrorCode.INVALID_REQUEST,
          "HTTP/1.1 requests must have a Host header.",
          detail);
    } else {
      // The only other 400 Vert.x raises before routing: a path it cannot percent-decode.
      answer(
          context.request(), S3ErrorCode.INVALID_URI, "Couldn't parse the specified URI.", detail);
    }
  }

  /**
   * The router's 404: no route takes the request target. Every path starting with {@code /} has a
   * route, so this is a target that is no path ({@code GET *}, {@code GET bucket}), which S3 cannot
   * parse either; it was a plain-text 404.
   */
  void noRoute(RoutingContext context) {
    answer(
        context.request(),
        S3ErrorCode.INVALID_URI,
        "Couldn't parse the specified URI.",
        "no route for " + context.request().uri());
  }

  private static void answer(
      HttpServerRequest request, S3ErrorCode code, String message, String detail) {
    String requestId = newRequestId();
    LOG.debug("request {} refused before routing: {}", requestId, detail);
    byte[] body =
        new XmlWriter()
            .start("Error")
            .element("Code", code.code())
            .element("Message", message)
            .element("RequestId", requestId)
            .element("HostId", requestId)
            .toBytes();
    HttpServerResponse response = request.response();
    response.setStatusCode(code.httpStatus());
    response.putHeader("x-amz-request-id", requestId);
    response.putHeader("x-amz-id-2", requestId);
    response.putHeader("Date", io.github.s3eg.s3.HttpDate.format(java.time.Instant.now()));
    response.putHeader("Server", "s3-encryption-gateway");
    for (Map.Entry<String, String> h : SecurityHeaders.forResponse(request.isSSL()).entrySet()) {
      response.putHeader(h.getKey(), h.getValue());
    }
    response.putHeader("Content-Type", "application/xml");
    response.putHeader("Content-Length", Integer.toString(body.length));
    // The rest of the byte stream cannot be trusted (or framed): this connection ends here.
    response.putHeader("Connection", "close");
    response
        .end(io.vertx.core.buffer.Buffer.buffer(body))
        .onComplete(done -> request.connection().close());
  }

  /** Sixteen upper-case hex digits, like S3's (and the routes') request ids. */
  private static String newRequestId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().withUpperCase().formatHex(b);
  }
}

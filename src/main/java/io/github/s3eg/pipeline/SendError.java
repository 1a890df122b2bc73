package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendErrors;
import io.github.s3eg.http.RequestBodyStream;
import io.github.s3eg.http.ResponseSender;
import io.github.s3eg.ops.AccessLog;
import io.github.s3eg.ops.RequestListener;
import io.github.s3eg.s3.Preconditions;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.body.BodyVerificationException;
import io.github.s3eg.s3.xml.XmlWriter;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error route's step: turns whatever failed into the S3 error the client expects ({@code
 * <Error><Code>…}, right status, request id), logs unexpected failures with the request id, and
 * makes sure a half-read request body cannot hang the client. If the response had already started,
 * the connection is reset instead: a client must never mistake a broken transfer for a complete
 * one.
 */
public final class SendError implements Processor {

  private static final Logger LOG = LoggerFactory.getLogger(SendError.class);

  /** Unread request bodies up to this size are drained so the connection can be reused. */
  private static final long DRAIN_LIMIT = 1 << 20;

  private final ResponseSender sender;
  private final RequestListener listener;
  private final java.time.Clock clock;

  /** Logs each error to the text access log and tells no one else. */
  public SendError(ResponseSender sender) {
    this(sender, new AccessLog(AccessLog.Format.TEXT), java.time.Clock.systemUTC());
  }

  /**
   * {@code listener} hears of every error this step answers (access log, metrics, audit); {@code
   * clock} dates the responses.
   */
  public SendError(ResponseSender sender, RequestListener listener, java.time.Clock clock) {
    this.sender = sender;
    this.listener = listener;
    this.clock = clock;
  }

  @Override
  public void process(Exchange exchange) throws Exception {
    Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    RequestState state = RequestStates.find(exchange);
    if (state == null) {
      LOG.error("request failed before it was parsed", failure);
      return;
    }
    HttpExchange http = state.http();
    S3Request request = state.requestOrNull();
    if (failure instanceof MissingStepException missing) {
      LOG.error(
          "request {} in route {}: {}",
          http.requestId(),
          currentRoute(exchange),
          missing.getMessage());
    }
    HttpServerResponse response = http.response();
    if (response.headWritten() || response.ended()) {
      // No error document can follow a started body. A broken backend or client connection is
      // an expected event (one line); anything else is a bug worth its stack trace.
      if (clientGone(failure)) {
        LOG.debug("request {}: the client went away mid-response: {}", http.requestId(), failure);
      } else if (isIoFailure(failure)) {
        LOG.warn(
            "request {} failed after the response started; connection reset: {}",
            http.requestId(),
            describe(failure));
      } else {
        LOG.error(
            "request {} failed after the response started; connection reset",
            http.requestId(),
            failure);
      }
      ResponseSender.abort(response);
      return;
    }
    S3Exception error = toS3Exception(failure, request, http.requestId());
    Map<String, List<String>> headers = new LinkedHashMap<>();
    SendResponse.commonHeaders(http, clock).forEach((k, v) -> headers.put(k, List.of(v)));
    error.headers().forEach((k, v) -> headers.put(k, List.of(v)));
    boolean close = !requestBodyConsumed(state, http);
    if (close) {
      headers.put("Connection", List.of("close"));
    }
    int status = error.httpStatus();
    if (response.closed()) {
      // The client is gone (it reset the connection mid-upload): nobody to answer. Ending the
      // response keeps platform-http from trying to write one after the route.
      ResponseSender.abort(response);
      listener.completed(state.completed(status, 0, error.code(), false));
      return;
    }
    try {
      if (error instanceof Preconditions.NotModified notModified) {
        if (notModified.etag() != null) {
          headers.put("ETag", List.of(notModified.etag()));
        }
        sender.sendHeaders(response, status, headers);
      } else if (request != null && "HEAD".equals(request.method())) {
        headers.put("Content-Length", List.of("0"));
        sender.sendHeaders(response, status, headers);
      } else {
        headers.put("Content-Type", List.of("application/xml"));
        sender.sendBytes(
            response, status, headers, errorDocument(error, request, http.requestId()));
      }
    } catch (IOException clientGone) {
      // The client went away while the error was being sent; there is no one left to tell.
      LOG.debug("request {}: error response not delivered: {}", http.requestId(), clientGone);
    } finally {
      if (close) {
        // Vert.x keeps the connection after a "Connection: close" answer while the request body
        // is still arriving, and the paused request then blocks the client's upload until its
        // own timeout. S3 closes the connection in that case; so does the gateway.
        http.request().connection().close();
      }
      listener.completed(state.completed(status, 0, error.code(), false));
    }
  }

  /**
   * The client-facing error for a failure. The gateway's own verdicts win over what they caused
   * further down: a body that failed verification also breaks the backend upload it was feeding,
   * and the client must hear about the body, not about the backend.
   */
  static S3Exception toS3Exception(Throwable failure, S3Request request, String requestId) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof S3Exception s3) {
        if (s3.httpStatus() >= 500 && s3.getCause() != null) {
          // A step's verdict on a failure below it (e.g. the backend connection broke).
          LOG.warn("request {}: {}: {}", requestId, s3.getMessage(), describe(s3.getCause()));
        }
        return s3;
      }
    }
    S3Exception crypto = CryptoErrors.map(failure, request, requestId);
    if (crypto != null) {
      return crypto;
    }
    java.util.Optional<S3Exception> body = BodyVerificationException.find(failure);
    if (body.isPresent()) {
      return body.get();
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RequestBodyStream.RequestBodyTimeoutException) {
        return new S3Exception(
            S3ErrorCode.REQUEST_TIMEOUT,
            "Your socket connection to the server was not read from or written to within the timeout period.");
      }
      if (t instanceof RequestBodyStream.ClientDisconnectedException) {
        return new S3Exception(
            S3ErrorCode.INCOMPLETE_BODY, "The client closed the connection mid-body.");
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      S3Exception mapped =
          BackendErrors.map(
              t, request == null ? null : request.bucket(), request == null ? null : request.key());
      if (mapped != null) {
        if (mapped.errorCode().httpStatus() >= 500) {
          LOG.warn("request {}: backend failure: {}", requestId, describe(t));
        }
        return mapped;
      }
    }
    LOG.error("request {} failed unexpectedly", requestId, failure);
    return new S3Exception(
        S3ErrorCode.INTERNAL_ERROR, "We encountered an internal error. Please try again.");
  }

  static byte[] errorDocument(S3Exception error, S3Request request, String requestId) {
    XmlWriter xml = new XmlWriter().start("Error");
    xml.element("Code", error.code()).element("Message", error.getMessage());
    Map<String, String> extra = error.extraElements();
    if (request != null) {
      if (request.bucket() != null && !extra.containsKey("BucketName") && request.key() == null) {
        xml.element("BucketName", request.bucket());
      }
      if (request.key() != null && !extra.containsKey("Key")) {
        xml.element("Key", request.key());
      }
    }
    extra.forEach(xml::element);
    xml.element("RequestId", requestId).element("HostId", requestId);
    return xml.toBytes();
  }

  /**
   * True when the client has nothing left to send. Otherwise a small rest is drained (so the
   * connection can be reused) and a large one makes the answer close the connection.
   */
  private static boolean requestBodyConsumed(RequestState state, HttpExchange http) {
    RequestBodyStream body = state.wire();
    if (body != null) {
      return body.fullyReceived() && body.available() == 0;
    }
    if (http.request().isEnded()) {
      return true;
    }
    String length = http.request().getHeader("Content-Length");
    long declared;
    try {
      declared = length == null ? -1 : Long.parseLong(length);
    } catch (NumberFormatException e) {
      declared = -1;
    }
    if (declared == 0 && http.request().getHeader("Transfer-Encoding") == null) {
      return true;
    }
    if (declared > 0 && declared <= DRAIN_LIMIT && http.request().getHeader("Expect") == null) {
      http.request().handler(b -> {}).resume();
      return true;
    }
    return false;
  }

  /** The route the exchange was in when it failed, for the log. */
  private static String currentRoute(Exchange exchange) {
    String route = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
    return route != null ? route : exchange.getFromRouteId();
  }

  private static boolean clientGone(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ResponseSender.ClientGoneException) {
        return true;
      }
    }
    return false;
  }

  private static boolean isIoFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException
          || t instanceof software.amazon.awssdk.core.exception.SdkClientException) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable t) {
    return t == null ? "unknown" : t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}

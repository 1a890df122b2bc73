package io.github.s3eg.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the requests being answered, for graceful shutdown: once {@link #drain} is called, new
 * requests are refused with {@code 503 ServiceUnavailable} (and {@code Connection: close}, so
 * clients and load balancers go elsewhere) while the requests in progress, uploads and downloads
 * included, run to their end, up to a time limit.
 */
final class InFlightRequests implements Handler<HttpServerRequest> {

  private static final byte[] SHUTTING_DOWN =
      ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>ServiceUnavailable</Code>"
              + "<Message>The gateway is shutting down; please retry.</Message></Error>")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /**
   * How a drain went: requests in progress when it began, those still unfinished at its end, new
   * requests refused meanwhile, and how long it took.
   */
  record Drain(int inProgress, int unfinished, long refused, Duration took) {}

  private final Handler<HttpServerRequest> next;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong refused =
      new java.util.concurrent.atomic.AtomicLong();
  private final Map<HttpConnection, Set<Runnable>> byConnection = new ConcurrentHashMap<>();
  private volatile boolean draining;

  InFlightRequests(Handler<HttpServerRequest> next) {
    this.next = next;
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (draining) {
      refused.incrementAndGet();
      refuse(request);
      return;
    }
    inFlight.incrementAndGet();
    HttpConnection connection = request.connection();
    AtomicBoolean done = new AtomicBoolean();
    Runnable finish =
        new Runnable() {
          @Override
          public void run() {
            if (done.compareAndSet(false, true)) {
              inFlight.decrementAndGet();
              byConnection.computeIfPresent(
                  connection,
                  (c, requests) -> {
                    requests.remove(this);
                    return requests.isEmpty() ? null : requests;
                  });
            }
          }
        };
    byConnection.computeIfAbsent(connection, c -> ConcurrentHashMap.newKeySet()).add(finish);
    // Called when the response ends, and when it is disposed because the connection closed.
    request.response().endHandler(v -> finish.run());
    next.handle(request);
  }

  /**
   * The connection closed: none of its requests is being answered any more. Needed because Vert.x
   * does not call a response's end handler when the gateway itself closed the response (a body that
   * failed after its headers went out); without this every aborted download would count as in
   * progress forever, and each shutdown would wait its full timeout.
   */
  void connectionClosed(HttpConnection connection) {
    Set<Runnable> left = byConnection.remove(connection);
    if (left != null) {
      left.forEach(Runnable::run);
    }
  }

  private static void refuse(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    SecurityHeaders.forResponse(request.isSSL()).forEach(response::putHeader);
    response
        .setStatusCode(503)
        .putHeader("Content-Type", "application/xml")
        .putHeader("Retry-After", "1")
        .putHeader("Connection", "close")
        .end(io.vertx.core.buffer.Buffer.buffer(SHUTTING_DOWN));
  }

  int inFlight() {
    return inFlight.get();
  }

  /** Refuses new requests and waits until none is in progress or {@code timeout} has passed. */
  Drain drain(Duration timeout) throws InterruptedException {
    draining = true;
    long start = System.nanoTime();
    int inProgress = inFlight.get();
    long deadline = start + timeout.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
      Thread.sleep(20);
    }
    return new Drain(
        inProgress, inFlight.get(), refused.get(), Duration.ofNanos(System.nanoTime() - start));
  }
}

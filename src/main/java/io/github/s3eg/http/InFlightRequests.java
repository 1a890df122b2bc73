package io.github.s3eg.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
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

  private final Handler<HttpServerRequest> next;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;

  InFlightRequests(Handler<HttpServerRequest> next) {
    this.next = next;
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (draining) {
      refuse(request);
      return;
    }
    inFlight.incrementAndGet();
    AtomicBoolean done = new AtomicBoolean();
    // Called when the response ends, and when it is disposed because the connection closed.
    request.response().endHandler(v -> finish(done));
    next.handle(request);
  }

  private void finish(AtomicBoolean done) {
    if (done.compareAndSet(false, true)) {
      inFlight.decrementAndGet();
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

  /**
   * Refuses new requests and waits until none is in progress or {@code timeout} has passed.
   *
   * @return true if every request finished in time
   */
  boolean drain(Duration timeout) throws InterruptedException {
    draining = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() > 0) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}

package io.github.s3eg.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes a response straight to the Vert.x {@link HttpServerResponse} from a worker thread: status,
 * headers with an exact {@code Content-Length} (never chunked), then the body in {@link #CHUNK}
 * pieces, with at most {@link #CHUNKS_IN_FLIGHT} of them written but not yet on the socket. So a
 * slow client slows the backend read instead of filling the heap.
 *
 * <p>A failure after the headers went out cannot become an error response any more: the connection
 * is reset so that the client sees a broken transfer, never a clean short body.
 */
public final class ResponseSender {

  /** Bytes per write; large enough to amortise the hand-off to the event loop. */
  static final int CHUNK = 64 * 1024;

  /**
   * Chunks of a streamed response that may be written but not yet on the socket. Counted by the
   * writes' own completions, not by Vert.x's {@code writeQueueFull()}: a write from a worker thread
   * only reaches the connection's queue when the event loop runs it, so a fast producer (decryption
   * runs at GB/s) saw a non-full queue while hundreds of MiB of chunks waited in the event loop's
   * task queue (measured: a gateway's heap grew past 400 MiB with 8 parallel 64 MiB GETs). Eight
   * chunks keep the worker and the event loop busy at once and bound the memory of a response at
   * 512 KiB.
   */
  static final int CHUNKS_IN_FLIGHT = 8;

  private final long drainTimeoutMillis;
  private final ByteBufAllocator allocator;

  /** Writes from Netty's shared pool of direct buffers, the kind socket writes go out from. */
  public ResponseSender(long drainTimeoutMillis) {
    this(drainTimeoutMillis, PooledByteBufAllocator.DEFAULT);
  }

  /** With a pool of its own: tests count what is still allocated after a response. */
  ResponseSender(long drainTimeoutMillis, ByteBufAllocator allocator) {
    this.drainTimeoutMillis = drainTimeoutMillis;
    this.allocator = allocator;
  }

  /** Sends headers only (HEAD, 204, 304, …): {@code Content-Length} is whatever the caller set. */
  public void sendHeaders(
      HttpServerResponse response, int status, Map<String, List<String>> headers)
      throws IOException {
    writeHead(response, status, headers);
    await(response.end());
  }

  /** Sends a small in-memory body (XML documents). */
  public void sendBytes(
      HttpServerResponse response, int status, Map<String, List<String>> headers, byte[] body)
      throws IOException {
    writeHead(response, status, headers);
    response.putHeader("Content-Length", Integer.toString(body.length));
    await(response.end(Buffer.buffer(body)));
  }

  /**
   * Streams exactly {@code length} bytes of {@code body}. The caller closes (or aborts) the body
   * source afterwards. Throws if the body ends early or the client goes away; the connection has
   * then been reset.
   */
  public void sendStream(
      HttpServerResponse response,
      int status,
      Map<String, List<String>> headers,
      InputStream body,
      long length)
      throws IOException {
    writeHead(response, status, headers);
    response.putHeader("Content-Length", Long.toString(length));
    int chunkSize = (int) Math.min(CHUNK, Math.max(1, length));
    Semaphore inFlight = new Semaphore(CHUNKS_IN_FLIGHT);
    // One array per response, refilled for every write: what goes to Vert.x is a copy in a pooled
    // direct buffer, the form Netty writes to the socket (a heap buffer would be copied into one on
    // the event loop anyway), so no 64 KiB array is allocated, zeroed and collected per write.
    byte[] chunk = new byte[chunkSize];
    long sent = 0;
    try {
      while (sent < length) {
        int n = body.readNBytes(chunk, 0, (int) Math.min(chunkSize, length - sent));
        if (n <= 0) {
          throw new IOException("body ended after " + sent + " of " + length + " bytes");
        }
        if (response.closed()) {
          throw new ClientGoneException();
        }
        awaitCredit(response, inFlight);
        write(response, chunk, n, inFlight);
        sent += n;
      }
    } catch (IOException | RuntimeException e) {
      abort(response);
      throw e;
    }
    await(response.end());
  }

  /**
   * Writes {@code n} bytes of {@code chunk} through a pooled direct buffer, returned to the pool
   * (and the credit to {@code inFlight}) when the write has reached the socket or failed. Vert.x
   * never releases a buffer it was given ({@link Buffer#buffer(ByteBuf)} writes an unreleasable
   * view of it), so this is the only release.
   */
  private void write(HttpServerResponse response, byte[] chunk, int n, Semaphore inFlight) {
    ByteBuf direct = allocator.directBuffer(n, n);
    boolean handedOver = false;
    try {
      direct.writeBytes(chunk, 0, n);
      Future<Void> written = response.write(Buffer.buffer(direct));
      handedOver = true;
      written.onComplete(
          done -> {
            direct.release();
            inFlight.release();
          });
    } finally {
      if (!handedOver) {
        direct.release();
        inFlight.release();
      }
    }
  }

  /** Resets the connection: what a client must see when a body fails after its headers went out. */
  public static void abort(HttpServerResponse response) {
    if (!response.closed()) {
      response.reset();
      if (response.headWritten()) {
        // reset() on HTTP/1.x closes the connection; make sure nothing else gets written.
        response.close();
      }
    }
    if (!response.ended()) {
      // Marks the response finished so that platform-http does not try to write its own answer
      // to it after the route ("Response head already sent"); the write goes nowhere.
      try {
        response.end();
      } catch (IllegalStateException alreadyEnded) {
        // Ended concurrently: nothing more to do.
      }
    }
  }

  private void writeHead(
      HttpServerResponse response, int status, Map<String, List<String>> headers) {
    response.setStatusCode(status);
    headers.forEach((name, values) -> response.putHeader(name, values));
  }

  /** Waits until fewer than {@link #CHUNKS_IN_FLIGHT} chunks are on their way, then takes one. */
  private void awaitCredit(HttpServerResponse response, Semaphore inFlight) throws IOException {
    try {
      if (inFlight.tryAcquire()) {
        return;
      }
      // Writes complete (or fail, when the connection closes) on the event loop, so a client that
      // stops reading leaves them pending: the drain timeout bounds the wait.
      if (!inFlight.tryAcquire(drainTimeoutMillis, TimeUnit.MILLISECONDS)) {
        throw new ClientGoneException(
            "client did not read the response for " + drainTimeoutMillis + " ms", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending the response", e);
    }
    if (response.closed()) {
      throw new ClientGoneException();
    }
  }

  private void await(Future<Void> future) throws IOException {
    try {
      future
          .toCompletionStage()
          .toCompletableFuture()
          .get(drainTimeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new ClientGoneException(
          "sending the response failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new ClientGoneException(
          "client did not read the response for " + drainTimeoutMillis + " ms", null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending the response", e);
    }
  }

  /** The client closed the connection, or stopped reading, while the response was being sent. */
  public static final class ClientGoneException extends IOException {
    public ClientGoneException() {
      super("client closed the connection");
    }

    ClientGoneException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

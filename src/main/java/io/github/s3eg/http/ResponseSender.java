package io.github.s3eg.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes a response straight to the Vert.x {@link HttpServerResponse} from a worker thread: status,
 * headers with an exact {@code Content-Length} (never chunked), then the body in {@link #CHUNK}
 * pieces, waiting for the connection to drain whenever Vert.x's write queue is full. So a slow
 * client slows the backend read instead of filling the heap.
 *
 * <p>A failure after the headers went out cannot become an error response any more: the connection
 * is reset so that the client sees a broken transfer, never a clean short body.
 */
public final class ResponseSender {

  /** Bytes per write; large enough to amortise the hand-off to the event loop. */
  static final int CHUNK = 64 * 1024;

  private final long drainTimeoutMillis;

  public ResponseSender(long drainTimeoutMillis) {
    this.drainTimeoutMillis = drainTimeoutMillis;
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
    long sent = 0;
    try {
      while (sent < length) {
        // A fresh array per write, filled as far as the body allows: Vert.x keeps the buffer until
        // the event loop has written it, and a full one goes out without another copy.
        byte[] chunk = new byte[(int) Math.min(chunkSize, length - sent)];
        int n = body.readNBytes(chunk, 0, chunk.length);
        if (n <= 0) {
          throw new IOException("body ended after " + sent + " of " + length + " bytes");
        }
        if (response.closed()) {
          throw new ClientGoneException();
        }
        response.write(
            Buffer.buffer(n == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, n)));
        sent += n;
        awaitDrain(response);
      }
    } catch (IOException | RuntimeException e) {
      abort(response);
      throw e;
    }
    await(response.end());
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

  private void awaitDrain(HttpServerResponse response) throws IOException {
    if (!response.writeQueueFull()) {
      return;
    }
    CompletableFuture<Void> drained = new CompletableFuture<>();
    response.drainHandler(v -> drained.complete(null));
    response.closeHandler(v -> drained.completeExceptionally(new ClientGoneException()));
    if (!response.writeQueueFull()) {
      return;
    }
    if (response.closed()) {
      // Closed before the handler was set: it will never run.
      throw new ClientGoneException();
    }
    try {
      drained.get(drainTimeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (TimeoutException e) {
      throw new ClientGoneException(
          "client did not read the response for " + drainTimeoutMillis + " ms", null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending the response", e);
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

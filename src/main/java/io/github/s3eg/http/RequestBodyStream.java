package io.github.s3eg.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A blocking {@link InputStream} over a paused Vert.x request body, for the worker thread that
 * streams the body to the backend.
 *
 * <p>Flow control is by demand: the stream asks Vert.x for a fixed number of buffers ({@link
 * #WINDOW}) and asks for more each time the reader has taken {@link #REFILL}, so at most {@code
 * WINDOW} buffers are held and Netty stops reading the socket when the reader is slow. Demand is
 * only ever added ({@code fetch}), never toggled with pause/resume, so no interleaving of the event
 * loop and the reader can leave the request paused with an empty queue. Vert.x is never called
 * while this stream's lock is held (Vert.x takes the connection's monitor, and the event loop holds
 * that monitor while it calls {@link #onData}).
 *
 * <p>{@code Expect: 100-continue} is answered on the first read, that is once the pipeline has
 * decided to accept the body.
 *
 * <p>Slow clients: the reader may wait for the client at most the timeout in total for each {@link
 * #MIN_PROGRESS_BYTES} of body (or for its end); otherwise the read fails with {@link
 * RequestBodyTimeoutException} (S3's RequestTimeout). A stalled body and a body trickled a few
 * bytes at a time (slowloris) are both cut off, so neither holds a worker thread for long.
 */
public final class RequestBodyStream extends InputStream {

  /** Buffers requested ahead of the reader; Vert.x buffers are at most a few tens of KiB. */
  static final int WINDOW = 16;

  /**
   * Buffers taken before demand is renewed. A {@code fetch} from the reading thread is a task for
   * the event loop (and a wake-up); renewing it per buffer cost one per 8 KiB of body.
   */
  static final int REFILL = WINDOW / 2;

  /**
   * Bytes a client must deliver within each timeout period of the reader's waiting. Any smaller
   * step would let a client that trickles a byte just before each timeout hold a worker thread for
   * ever (slowloris); with it a body that is not stalled still moves at least 64 KiB per period
   * (546 bytes/s at the default 120 s).
   */
  static final int MIN_PROGRESS_BYTES = 64 * 1024;

  private final HttpServerRequest request;
  private final long idleTimeoutMillis;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private boolean ended;
  private Throwable failure;
  private boolean started;
  private boolean closed;
  private Buffer current;
  private int position;
  private long bytesRead;
  private long progressBytes;
  private long progressWaitNanos;
  private int takenSinceFetch;

  public RequestBodyStream(HttpServerRequest request, long idleTimeoutMillis) {
    this.request = request;
    this.idleTimeoutMillis = idleTimeoutMillis;
    request.handler(this::onData);
    request.endHandler(v -> onEnd());
    request.exceptionHandler(this::onFailure);
    if (request.isEnded()) {
      onEnd();
    } else if (request.response().closed()) {
      // The connection closed while the request was being authenticated, before these handlers
      // existed: Vert.x reported it to no one, and no more body will come. Without this the reader
      // would wait for the rest of the body until SERVER_REQUEST_TIMEOUT.
      onFailure(new IOException("the client closed the connection before its body was read"));
    }
  }

  private void onData(Buffer buffer) {
    lock.lock();
    try {
      if (!closed) {
        queue.add(buffer);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void onEnd() {
    lock.lock();
    try {
      ended = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void onFailure(Throwable t) {
    lock.lock();
    try {
      if (failure == null) {
        failure = t;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void startIfNeeded() {
    if (started) {
      return;
    }
    started = true;
    String expect = request.getHeader("Expect");
    if (expect != null && expect.equalsIgnoreCase("100-continue")) {
      request.response().writeContinue();
    }
    request.fetch(WINDOW);
  }

  /** Makes {@link #current} hold unread bytes; returns false at the end of the body. */
  private boolean fill() throws IOException {
    if (current != null && position < current.length()) {
      return true;
    }
    startIfNeeded();
    Buffer next;
    lock.lock();
    try {
      // Only the time spent waiting for the client counts: a slow backend is not the client's
      // fault.
      long timeout = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
      long waitStart = System.nanoTime();
      try {
        while (queue.isEmpty()) {
          if (failure != null) {
            throw new ClientDisconnectedException(failure);
          }
          if (ended) {
            return false;
          }
          long remaining = timeout - progressWaitNanos - (System.nanoTime() - waitStart);
          if (remaining <= 0) {
            throw new RequestBodyTimeoutException(idleTimeoutMillis, progressBytes);
          }
          try {
            changed.awaitNanos(remaining);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the request body");
          }
        }
      } finally {
        progressWaitNanos += System.nanoTime() - waitStart;
      }
      next = queue.poll();
    } finally {
      lock.unlock();
    }
    progressBytes += next.length();
    if (progressBytes >= MIN_PROGRESS_BYTES) {
      progressBytes = 0;
      progressWaitNanos = 0;
    }
    if (++takenSinceFetch == REFILL) {
      takenSinceFetch = 0;
      request.fetch(REFILL);
    }
    current = next;
    position = 0;
    return true;
  }

  @Override
  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    bytesRead++;
    return current.getByte(position++) & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int total = 0;
    while (total < len) {
      // Block only for the first byte; afterwards return what is already here.
      if (total > 0 && (current == null || position >= current.length()) && !hasQueued()) {
        break;
      }
      if (!fill()) {
        break;
      }
      int n = Math.min(len - total, current.length() - position);
      current.getBytes(position, position + n, b, off + total);
      position += n;
      total += n;
    }
    bytesRead += total;
    return total == 0 ? -1 : total;
  }

  private boolean hasQueued() {
    lock.lock();
    try {
      return !queue.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int available() {
    int inCurrent = current == null ? 0 : current.length() - position;
    lock.lock();
    try {
      long sum = inCurrent;
      for (Buffer b : queue) {
        sum += b.length();
      }
      return (int) Math.min(Integer.MAX_VALUE, sum);
    } finally {
      lock.unlock();
    }
  }

  /** Bytes handed to the reader so far. */
  public long bytesRead() {
    return bytesRead;
  }

  /** True once Vert.x has delivered the whole body (it may still sit in the queue). */
  public boolean fullyReceived() {
    lock.lock();
    try {
      return ended;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      queue.clear();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The client's connection failed or closed before the whole body arrived (or, thrown by {@link
   * ResponseSender}, before the whole response was sent).
   */
  public static final class ClientDisconnectedException extends IOException {
    ClientDisconnectedException(Throwable cause) {
      super("client connection failed: " + cause.getMessage(), cause);
    }
  }

  /**
   * The client stalled, or sent less than {@link #MIN_PROGRESS_BYTES} while the reader waited for
   * the timeout in total (a slow or stalled body).
   */
  public static final class RequestBodyTimeoutException extends IOException {
    RequestBodyTimeoutException(long millis, long bytes) {
      super("request body sent " + bytes + " bytes in " + millis + " ms of waiting");
    }
  }
}

package io.github.s3eg.keys.kmip;

import io.github.s3eg.keys.kmip.KmipException.Cause;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A small pool of KMIP connections, because a TLS handshake costs far more than an Encrypt: at most
 * {@code maxConnections} are open or in use at once, idle ones are reused most-recently-used first
 * and closed once idle longer than {@code maxIdle} (a KMIP server or a middlebox may drop quiet
 * connections). Callers that cannot get a connection within their timeout fail fast with {@link
 * Cause#POOL_EXHAUSTED} rather than queue behind a stalled server.
 */
final class KmipConnectionPool implements AutoCloseable {

  /** Opens a new connection within a timeout. */
  @FunctionalInterface
  interface Opener {
    KmipConnection open(Duration timeout) throws KmipException.Unreachable;
  }

  /** A borrowed connection and whether it came from the idle set (and so may be stale). */
  record Lease(KmipConnection connection, boolean reused) {}

  private final Opener opener;
  private final Semaphore permits;
  private final Duration maxIdle;
  private final ConcurrentLinkedDeque<KmipConnection> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  KmipConnectionPool(Opener opener, int maxConnections, Duration maxIdle) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be >= 1");
    }
    this.opener = opener;
    this.permits = new Semaphore(maxConnections);
    this.maxIdle = maxIdle;
  }

  /** Borrows a connection, reusing an idle one when possible; must be given back. */
  Lease acquire(Duration timeout) throws KmipException.Unreachable {
    if (closed) {
      throw new KmipException.Unreachable(Cause.CONNECTION_LOST, "KMIP client is closed", null);
    }
    try {
      if (!permits.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new KmipException.Unreachable(
            Cause.POOL_EXHAUSTED, "no KMIP connection became free in time", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KmipException.Unreachable(Cause.TIMEOUT, "interrupted waiting for a connection", e);
    }
    try {
      KmipConnection connection;
      while ((connection = idle.pollFirst()) != null) {
        if (!connection.broken() && connection.idleNanos() < maxIdle.toNanos()) {
          return new Lease(connection, true);
        }
        connection.close();
      }
      return new Lease(opener.open(timeout), false);
    } catch (KmipException.Unreachable | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  /** Returns a borrowed connection; broken ones (and all after close) are closed instead. */
  void release(KmipConnection connection) {
    try {
      if (closed || connection.broken()) {
        connection.close();
      } else {
        idle.offerFirst(connection);
        if (closed && idle.remove(connection)) {
          connection.close();
        }
      }
    } finally {
      permits.release();
    }
  }

  /** Discards a borrowed connection that must not be reused. */
  void discard(KmipConnection connection) {
    connection.close();
    permits.release();
  }

  @Override
  public void close() {
    closed = true;
    KmipConnection connection;
    while ((connection = idle.pollFirst()) != null) {
      connection.close();
    }
  }
}

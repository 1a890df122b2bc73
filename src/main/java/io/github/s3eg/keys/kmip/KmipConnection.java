package io.github.s3eg.keys.kmip;

import io.github.s3eg.keys.kmip.KmipException.Cause;
import io.github.s3eg.keys.tls.MutualTls;
import io.github.s3eg.keys.ttlv.TtlvBinaryCodec;
import io.github.s3eg.keys.ttlv.TtlvException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One mutual-TLS connection to a KMIP server, carrying one request/response exchange at a time.
 *
 * <p>The server certificate is checked against the configured CA and the host name or IP the client
 * was given (HTTPS-style endpoint identification). Every exchange has a deadline: the socket
 * timeout is reset to the time left before each read, so a server that trickles bytes cannot hold a
 * caller longer than the timeout. Response size is bounded by the codec's limits before the body is
 * read. A connection that failed once is {@linkplain #broken() broken} and must be discarded.
 */
final class KmipConnection implements Closeable {

  private final SSLSocket socket;
  private final InputStream in;
  private final OutputStream out;
  private volatile boolean broken;
  private long lastUsedNanos = System.nanoTime();

  private KmipConnection(SSLSocket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects and completes the TLS handshake within {@code timeout}. */
  static KmipConnection open(SSLSocketFactory factory, String host, int port, Duration timeout)
      throws KmipException.Unreachable {
    long deadline = System.nanoTime() + timeout.toNanos();
    Socket raw = new Socket();
    try {
      raw.setTcpNoDelay(true);
      raw.connect(new InetSocketAddress(host, port), millisLeft(deadline));
      SSLSocket tls = (SSLSocket) factory.createSocket(raw, host, port, true);
      SSLParameters parameters = tls.getSSLParameters();
      parameters.setProtocols(MutualTls.PROTOCOLS);
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      tls.setSSLParameters(parameters);
      tls.setSoTimeout(millisLeft(deadline));
      tls.startHandshake();
      return new KmipConnection(tls);
    } catch (IOException e) {
      closeQuietly(raw);
      throw unreachable(e, "connecting to the KMIP server");
    }
  }

  /**
   * Sends one encoded request and reads one response within {@code timeout}.
   *
   * @throws KmipException.ProtocolError if the response header is malformed or too large
   */
  byte[] exchange(byte[] request, TtlvBinaryCodec codec, Duration timeout)
      throws KmipException.Unreachable, KmipException.ProtocolError {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      socket.setSoTimeout(millisLeft(deadline));
      out.write(request);
      out.flush();
      byte[] header = new byte[TtlvBinaryCodec.HEADER_BYTES];
      readFully(header, 0, header.length, deadline);
      int total;
      try {
        total = codec.messageLength(header);
      } catch (TtlvException e) {
        broken = true;
        throw new KmipException.ProtocolError("malformed KMIP response: " + e.getMessage(), e);
      }
      byte[] response = Arrays.copyOf(header, total);
      readFully(response, header.length, total - header.length, deadline);
      lastUsedNanos = System.nanoTime();
      return response;
    } catch (IOException e) {
      broken = true;
      throw unreachable(e, "talking to the KMIP server");
    }
  }

  private void readFully(byte[] buffer, int offset, int length, long deadline) throws IOException {
    int done = 0;
    while (done < length) {
      socket.setSoTimeout(millisLeft(deadline));
      int n = in.read(buffer, offset + done, length - done);
      if (n < 0) {
        throw new EOFException("connection closed by the KMIP server");
      }
      done += n;
    }
  }

  boolean broken() {
    return broken || socket.isClosed();
  }

  long idleNanos() {
    return System.nanoTime() - lastUsedNanos;
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private static int millisLeft(long deadline) throws SocketTimeoutException {
    long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
    if (left <= 0) {
      throw new SocketTimeoutException("deadline passed");
    }
    return (int) Math.min(left, Integer.MAX_VALUE);
  }

  private static KmipException.Unreachable unreachable(IOException e, String doing) {
    Cause cause;
    if (e instanceof SocketTimeoutException) {
      cause = Cause.TIMEOUT;
    } else if (e instanceof ConnectException) {
      cause = Cause.CONNECT_REFUSED;
    } else if (e instanceof SSLException) {
      cause = Cause.TLS_HANDSHAKE;
    } else {
      cause = Cause.CONNECTION_LOST;
    }
    return new KmipException.Unreachable(cause, cause.description() + " while " + doing, e);
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // Closing a failed socket cannot fail in a way the caller could act on.
    }
  }
}

package io.github.s3eg.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy that makes an S3 server's conditional writes atomic: requests that write (PUT, POST)
 * to the same path are forwarded one at a time, and each holds its path's lock until the server's
 * answer has been sent, so the server's check of {@code If-None-Match} / {@code If-Match} and its
 * write happen as one step. S3Proxy's filesystem store checks and then writes without a lock (two
 * racing {@code If-None-Match: *} PUTs can both succeed); behind this proxy it answers like an
 * atomic backend. Each request gets its own server connection with {@code Connection: close} (a
 * hop-by-hop header that SigV4 does not sign), so the end of the answer is the end of the stream.
 *
 * <p>{@link #gather} holds the writes of one path until a given number have arrived, so that racing
 * clients really race: all of them have passed the gateway's own check before the first write
 * reaches the server.
 */
final class SerializingProxy implements AutoCloseable {

  private record Gathering(CountDownLatch arrived, Duration timeout) {}

  private final ServerSocket server;
  private final URI target;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Map<String, Gathering> gatherings = new ConcurrentHashMap<>();

  private SerializingProxy(ServerSocket server, URI target) {
    this.server = server;
    this.target = target;
  }

  static SerializingProxy start(URI target) throws IOException {
    ServerSocket server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    SerializingProxy proxy = new SerializingProxy(server, target);
    proxy.threads.submit(proxy::acceptLoop);
    return proxy;
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /**
   * Holds the next writes to {@code path} (e.g. {@code /bucket/key}) until {@code parties} of them
   * have arrived, or {@code timeout} has passed.
   */
  void gather(String path, int parties, Duration timeout) {
    gatherings.put(path, new Gathering(new CountDownLatch(parties), timeout));
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        threads.submit(() -> forwardOne(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  /** One request per client connection: its answer ends with the server's connection. */
  private void forwardOne(Socket client) {
    try (client) {
      client.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(client.getInputStream(), 65536);
      byte[] head = readHead(in);
      if (head == null) {
        return;
      }
      String text = new String(head, StandardCharsets.ISO_8859_1);
      String[] lines = text.split("\r\n");
      String[] requestLine = lines[0].split(" ");
      String method = requestLine[0];
      String path = requestLine.length > 1 ? requestLine[1].split("\\?", 2)[0] : "/";
      StringBuilder forwarded = new StringBuilder(lines[0]).append("\r\n");
      long length = 0;
      for (int i = 1; i < lines.length; i++) {
        String line = lines[i];
        int colon = line.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        if (name.equals("content-length")) {
          length = Long.parseLong(line.substring(colon + 1).trim());
        }
        if (!name.equals("connection")) {
          forwarded.append(line).append("\r\n");
        }
      }
      forwarded.append("Connection: close\r\n\r\n");
      boolean write = method.equals("PUT") || method.equals("POST");
      ReentrantLock lock = write ? locks.computeIfAbsent(path, p -> new ReentrantLock(true)) : null;
      if (write) {
        awaitGathering(path);
        lock.lock();
      }
      try (Socket backend = new Socket()) {
        backend.setTcpNoDelay(true);
        backend.connect(new InetSocketAddress(target.getHost(), target.getPort()), 5000);
        OutputStream toBackend = backend.getOutputStream();
        toBackend.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
        toBackend.flush();
        long bodyLength = length;
        // The body goes on while the answer comes back (Expect: 100-continue goes through).
        threads.submit(
            () -> {
              try {
                copy(in, toBackend, bodyLength);
                toBackend.flush();
              } catch (IOException answeredWithoutTheBody) {
                // the server answered early and closed
              }
            });
        backend.getInputStream().transferTo(client.getOutputStream());
        client.getOutputStream().flush();
      } finally {
        if (write) {
          lock.unlock();
        }
      }
    } catch (IOException | InterruptedException e) {
      // a connection closed by either side ends this request
    }
  }

  private void awaitGathering(String path) throws InterruptedException {
    Gathering g = gatherings.get(path);
    if (g != null) {
      g.arrived().countDown();
      g.arrived().await(g.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream(512);
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > 1 << 20) {
        throw new IOException("request head too large");
      }
    }
    return head.toByteArray();
  }

  private static void copy(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buf = new byte[65536];
    long left = length;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new IOException("client closed mid-body");
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}

package io.github.s3eg.it;

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
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backend-side probe: a TCP proxy in front of the backend that parses the HTTP/1.1 requests
 * passing through (request line, headers, and body length to find the next request) and counts the
 * bytes the backend sends back. Tests and the benchmark point the gateway at it to prove how many
 * backend requests an operation costs and how many bytes it reads, without trusting the gateway's
 * own logs. Tuned not to distort latencies: TCP_NODELAY on both sockets (no Nagle/delayed-ACK
 * stalls of about 40 ms on small writes) and buffered reads of request heads.
 *
 * <p>For fault tests it can also answer requests itself, as a failing S3 would ({@link #failNext}:
 * 500 InternalError, 503 SlowDown, …), without passing them to the backend; those requests are
 * counted like the others.
 */
public final class CountingProxy implements AutoCloseable {

  /**
   * One request as seen on the wire: method, target, the Range header if any, when its head arrived
   * ({@link System#nanoTime()}), whether the probe answered it with an injected error, and its
   * headers (names in lower case, the first value of each).
   */
  public record SeenRequest(
      String method,
      String target,
      String range,
      long atNanos,
      boolean injected,
      java.util.Map<String, String> headers) {

    /** The first value of header {@code name} (any case), or null. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** An error the probe answers instead of the backend, for the next {@code remaining} matches. */
  private record Injection(
      java.util.function.Predicate<SeenRequest> which,
      int status,
      String code,
      java.util.concurrent.atomic.AtomicInteger remaining) {}

  private final ServerSocket server;
  private final URI target;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  // Not a CopyOnWriteArrayList: the benchmark sends hundreds of thousands of requests through one
  // probe, and copying the whole list on every add made each request slower than the last.
  private final Queue<SeenRequest> requests = new ConcurrentLinkedQueue<>();
  private final AtomicLong responseBytes = new AtomicLong();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile boolean outage;
  private volatile Injection injection;

  private CountingProxy(ServerSocket server, URI target) {
    this.server = server;
    this.target = target;
  }

  public static CountingProxy start(URI target) throws IOException {
    ServerSocket server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    CountingProxy proxy = new CountingProxy(server, target);
    proxy.threads.submit(proxy::acceptLoop);
    return proxy;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  public List<SeenRequest> requests() {
    return List.copyOf(requests);
  }

  /** Bytes the backend sent back (status lines, headers and bodies). */
  public long responseBytes() {
    return responseBytes.get();
  }

  /** Simulates a backend outage: open connections are cut and new ones are closed at once. */
  public void startOutage() {
    outage = true;
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // Already closed.
      }
    }
    open.clear();
  }

  public void endOutage() {
    outage = false;
  }

  /**
   * Answers the next {@code count} requests that {@code which} accepts with {@code status} and an
   * S3 error document with {@code code} (e.g. 503 SlowDown), reading and discarding their bodies;
   * the backend never sees them. Replaces any earlier injection.
   */
  public void failNext(
      int count, java.util.function.Predicate<SeenRequest> which, int status, String code) {
    injection =
        new Injection(which, status, code, new java.util.concurrent.atomic.AtomicInteger(count));
  }

  /** Stops answering requests with injected errors. */
  public void stopFailing() {
    injection = null;
  }

  public void reset() {
    requests.clear();
    responseBytes.set(0);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (outage) {
          client.close();
          continue;
        }
        client.setTcpNoDelay(true);
        Socket backend = new Socket();
        backend.setTcpNoDelay(true);
        open.add(client);
        open.add(backend);
        backend.connect(new InetSocketAddress(target.getHost(), target.getPort()), 5000);
        threads.submit(() -> pumpRequests(client, backend));
        threads.submit(() -> pumpResponses(backend, client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pumpRequests(Socket client, Socket backend) {
    try (client;
        backend) {
      InputStream in = new java.io.BufferedInputStream(client.getInputStream(), 65536);
      OutputStream out = backend.getOutputStream();
      while (true) {
        byte[] head = readHead(in);
        if (head == null) {
          return;
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        long length = 0;
        boolean chunked = false;
        boolean expectContinue = false;
        String range = null;
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (String line : lines) {
          int colon = line.indexOf(':');
          if (colon <= 0) {
            continue;
          }
          String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
          String value = line.substring(colon + 1).trim();
          headers.putIfAbsent(name, value);
          switch (name) {
            case "content-length" -> length = Long.parseLong(value);
            case "transfer-encoding" ->
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            case "range" -> range = value;
            case "expect" -> expectContinue = value.equalsIgnoreCase("100-continue");
            default -> {}
          }
        }
        SeenRequest seen =
            new SeenRequest(
                requestLine[0],
                requestLine.length > 1 ? requestLine[1] : "",
                range,
                System.nanoTime(),
                false,
                java.util.Map.copyOf(headers));
        if (chunked) {
          throw new IOException("chunked request bodies are not supported by the probe");
        }
        Injection inject = injection;
        if (inject != null
            && inject.which().test(seen)
            && inject.remaining().getAndDecrement() > 0) {
          requests.add(
              new SeenRequest(
                  seen.method(), seen.target(), range, seen.atNanos(), true, seen.headers()));
          if (!expectContinue) {
            copy(in, OutputStream.nullOutputStream(), length);
          }
          // With Expect: 100-continue the client waits for this answer and never sends the body.
          answer(client, seen.method(), inject.status(), inject.code());
          continue;
        }
        requests.add(seen);
        out.write(head);
        copy(in, out, length);
        out.flush();
      }
    } catch (IOException e) {
      // Connection closed by either side.
    }
  }

  private void pumpResponses(Socket backend, Socket client) {
    try {
      InputStream in = backend.getInputStream();
      OutputStream out = client.getOutputStream();
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) > 0; ) {
        responseBytes.addAndGet(n);
        // The lock is uncontended unless an injected answer is written (see answer()).
        synchronized (client) {
          out.write(buf, 0, n);
          out.flush();
        }
      }
    } catch (IOException e) {
      // Connection closed by either side.
    } finally {
      try {
        client.close();
        backend.close();
      } catch (IOException ignored) {
        // Already closed.
      }
    }
  }

  /** Writes an S3 error response to the client, as the backend would have. */
  private static void answer(Socket client, String method, int status, String code)
      throws IOException {
    byte[] body =
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                + code
                + "</Code><Message>injected by the test probe</Message>"
                + "<RequestId>probe</RequestId></Error>")
            .getBytes(StandardCharsets.UTF_8);
    boolean head = method.equals("HEAD");
    String response =
        "HTTP/1.1 "
            + status
            + " "
            + code
            + "\r\nContent-Type: application/xml\r\nContent-Length: "
            + body.length
            + "\r\nx-amz-request-id: probe\r\n\r\n";
    synchronized (client) {
      OutputStream out = client.getOutputStream();
      out.write(response.getBytes(StandardCharsets.ISO_8859_1));
      if (!head) {
        out.write(body);
      }
      out.flush();
    }
  }

  /** Reads up to and including the blank line that ends the headers; null at end of stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream(512);
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      state =
          (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
              ? state + 1
              : (b == '\r' ? 1 : 0);
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

package io.github.s3eg.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ResponseSender#sendStream} writes pooled direct buffers that only it releases: every one
 * must be back in the pool after a complete response, after a client that leaves early and after a
 * body that fails midway. A real Vert.x server and a plain socket client; the sender gets a pool of
 * its own without thread caches, so that its count of active allocations is exact.
 */
class ResponseSenderBuffersTest {

  private static final int MIB = 1024 * 1024;

  private final PooledByteBufAllocator pool =
      new PooledByteBufAllocator(true, 0, 1, 8192, 9, 0, 0, false);
  private final ResponseSender sender = new ResponseSender(10_000, pool);
  private Vertx vertx;
  private HttpServer server;
  private volatile Supplier<InputStream> body;
  private volatile long length;
  private volatile CompletableFuture<Throwable> outcome;

  @BeforeEach
  void startServer() throws Exception {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  CompletableFuture<Throwable> result = outcome;
                  vertx
                      .executeBlocking(
                          () -> {
                            try (InputStream in = body.get()) {
                              sender.sendStream(request.response(), 200, Map.of(), in, length);
                            }
                            return null;
                          },
                          false)
                      .onComplete(done -> result.complete(done.cause()));
                })
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stopServer() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aWholeBodyArrivesAndEveryBufferGoesBack() throws Exception {
    byte[] data = new byte[5 * MIB + 123];
    new Random(7).nextBytes(data);
    serve(() -> new java.io.ByteArrayInputStream(data), data.length);

    byte[] received = get(Integer.MAX_VALUE);

    assertArrayEquals(data, received);
    assertEquals(null, outcome.get(30, TimeUnit.SECONDS));
    assertEquals(0, activeAllocations());
  }

  @Test
  void aClientThatLeavesEarlyGetsEveryBufferBack() throws Exception {
    serve(() -> new Endless(Long.MAX_VALUE), 256L * MIB);

    byte[] received = get(MIB);

    assertEquals(MIB, received.length);
    assertInstanceOf(IOException.class, outcome.get(30, TimeUnit.SECONDS));
    awaitNoActiveAllocations();
  }

  @Test
  void aBodyFailingMidwayCutsTheResponseAndGivesEveryBufferBack() throws Exception {
    serve(() -> new Endless(3L * MIB + 17), 16L * MIB);

    byte[] received = get(Integer.MAX_VALUE);

    assertTrue(received.length < 16 * MIB, "a cut body, never a complete one");
    assertInstanceOf(IOException.class, outcome.get(30, TimeUnit.SECONDS));
    awaitNoActiveAllocations();
  }

  private void serve(Supplier<InputStream> body, long length) {
    this.body = body;
    this.length = length;
    this.outcome = new CompletableFuture<>();
  }

  /** GET / on a fresh connection; the body bytes up to Content-Length or {@code limit}, or EOF. */
  private byte[] get(int limit) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(30_000);
      socket
          .getOutputStream()
          .write("GET / HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 200"), head);
      java.util.regex.Matcher declared =
          java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
      assertTrue(declared.find(), head);
      limit = (int) Math.min(limit, Long.parseLong(declared.group(1)));
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      byte[] buffer = new byte[64 * 1024];
      int n;
      while (body.size() < limit
          && (n = in.read(buffer, 0, Math.min(buffer.length, limit - body.size()))) > 0) {
        body.write(buffer, 0, n);
      }
      return body.toByteArray();
    } catch (java.net.SocketException reset) {
      // The server resets a response whose body failed: what was read so far is not needed.
      return new byte[0];
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("connection closed inside the response head: " + head);
      }
      head.append((char) c);
    }
    return head.toString();
  }

  private long activeAllocations() {
    return pool.metric().directArenas().stream()
        .mapToLong(PoolArenaMetric::numActiveAllocations)
        .sum();
  }

  /**
   * Writes still pending when the connection closed are failed, and released, on the event loop.
   */
  private void awaitNoActiveAllocations() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (activeAllocations() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, activeAllocations());
  }

  /** Pseudo-random bytes without holding them, failing with an IOException after {@code limit}. */
  private static final class Endless extends InputStream {
    private final long limit;
    private long position;

    Endless(long limit) {
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (position >= limit) {
        throw new IOException("the body failed after " + position + " bytes");
      }
      int n = (int) Math.min(len, limit - position);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) (position + i);
      }
      position += n;
      return n;
    }
  }
}

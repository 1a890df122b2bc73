package io.github.s3eg.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The body hand-off under the gateway's server options: a reader that stops taking the body (a slow
 * backend) holds back the client instead of having the gateway buffer the body, and a reader that
 * goes on gets every byte in order.
 */
class RequestBodyStreamTest {

  private static final long BODY_BYTES = 64L * 1024 * 1024;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aReaderThatStopsHoldsBackTheClientAndThenGetsEveryByte() throws Exception {
    CompletableFuture<RequestBodyStream> opened = new CompletableFuture<>();
    HttpServer server =
        vertx
            .createHttpServer(
                new HttpServerOptions().setMaxChunkSize(HttpServerOptions.DEFAULT_MAX_CHUNK_SIZE))
            .requestHandler(
                request -> {
                  request.pause();
                  opened.complete(new RequestBodyStream(request, 60_000));
                })
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    try (Socket client = new Socket("127.0.0.1", server.actualPort())) {
      CompletableFuture<String> sent = CompletableFuture.supplyAsync(() -> send(client));
      RequestBodyStream body = opened.get(30, TimeUnit.SECONDS);
      MessageDigest received = MessageDigest.getInstance("SHA-256");
      received.update((byte) body.read());

      // The reader stops: the client must be held back, with no more than the stream's window
      // queued in the gateway (the rest waits in Vert.x's small queue and the kernel's buffers).
      long limit = (long) RequestBodyStream.WINDOW * HttpServerOptions.DEFAULT_MAX_CHUNK_SIZE;
      for (int i = 0; i < 20; i++) {
        Thread.sleep(50);
        assertThat((long) body.available()).isLessThanOrEqualTo(limit);
      }
      assertThat(body.available()).as("the window was filled").isPositive();
      assertThat(sent).as("the client is still sending, held back").isNotDone();

      byte[] buffer = new byte[100_000];
      long total = 1;
      for (int n; (n = body.read(buffer, 0, buffer.length)) > 0; ) {
        received.update(buffer, 0, n);
        total += n;
      }
      assertThat(total).isEqualTo(BODY_BYTES);
      assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(sent.get());
    } finally {
      server.close();
    }
  }

  /** Sends a PUT with a pseudo-random body of {@link #BODY_BYTES}; returns its SHA-256. */
  private static String send(Socket socket) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("PUT /k HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + BODY_BYTES + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      Random random = new Random(20);
      byte[] piece = new byte[64 * 1024];
      for (long left = BODY_BYTES; left > 0; left -= piece.length) {
        random.nextBytes(piece);
        digest.update(piece);
        out.write(piece);
      }
      out.flush();
      return HexFormat.of().formatHex(digest.digest());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

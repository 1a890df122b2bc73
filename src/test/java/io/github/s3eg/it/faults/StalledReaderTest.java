package io.github.s3eg.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A client that stops reading a large download: the gateway must stop reading the backend (a
 * bounded amount in flight, not the object into memory), and once {@code SERVER_REQUEST_TIMEOUT}
 * passes without progress it must cut the connection and free its worker.
 */
class StalledReaderTest {

  private static final String BUCKET = "stalled";
  private static final long SIZE = 96L << 20;
  private static final int TIMEOUT_MILLIS = 3_000;

  @Test
  void aStalledReaderHoldsBackTheBackendAndIsCutOffAfterTheTimeout() throws Exception {
    try (FaultyGateway g =
            FaultyGateway.start(Map.of("SERVER_REQUEST_TIMEOUT", TIMEOUT_MILLIS + "ms"));
        S3Client s3 = g.client();
        S3Presigner presigner = g.presigner()) {
      s3.createBucket(b -> b.bucket(BUCKET));
      byte[] block = new byte[1 << 20];
      new Random(3).nextBytes(block);
      s3.putObject(
          b -> b.bucket(BUCKET).key("big"),
          RequestBody.fromContentProvider(
              () -> new Repeat(block, SIZE), SIZE, "application/octet-stream"));
      URL get =
          presigner
              .presignGetObject(
                  p ->
                      p.signatureDuration(Duration.ofMinutes(10))
                          .getObjectRequest(r -> r.bucket(BUCKET).key("big")))
              .url();
      g.probe.reset();

      try (Socket socket = new Socket()) {
        socket.setReceiveBufferSize(16 << 10);
        socket.connect(new InetSocketAddress(get.getHost(), get.getPort()));
        OutputStream out = socket.getOutputStream();
        out.write(
            ("GET "
                    + get.getFile()
                    + " HTTP/1.1\r\nHost: "
                    + get.getHost()
                    + ":"
                    + get.getPort()
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[64 << 10];
        long received = in.readNBytes(buf, 0, buf.length);
        assertThat(new String(buf, 0, 12, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");

        // Stop reading. The backend transfer must come to a halt well short of the object: wait
        // until a second passes without a backend byte (how long buffers take to fill depends on
        // the machine's load, so no fixed wait), then compare with the object's size.
        long[] seen = {-1};
        await()
            .atMost(Duration.ofSeconds(60))
            .pollDelay(Duration.ofSeconds(1))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> {
                  long now = g.probe.responseBytes();
                  boolean settled = now == seen[0];
                  seen[0] = now;
                  return settled;
                });
        assertThat(seen[0])
            .as("backend bytes read for a client that took %d bytes", received)
            .isLessThan(SIZE / 3);

        // After the timeout (counted from the stall) the gateway gives up on the client: the
        // connection ends before the declared length.
        socket.setSoTimeout(TIMEOUT_MILLIS * 5);
        Thread.sleep(TIMEOUT_MILLIS);
        long start = System.nanoTime();
        try {
          for (int n; (n = in.read(buf)) > 0; ) {
            received += n;
          }
        } catch (IOException resetByGateway) {
          // a reset is as good as a close
        }
        assertThat(received).as("bytes the stalled client got").isLessThan(SIZE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(g.requestsInProgress()).isZero());
      // The gateway still serves.
      assertThat(s3.headObject(b -> b.bucket(BUCKET).key("big")).contentLength()).isEqualTo(SIZE);
    }
  }

  /** {@code size} bytes repeating {@code block}. */
  private static final class Repeat extends InputStream {
    private final byte[] block;
    private final long size;
    private long position;

    Repeat(byte[] block, long size) {
      this.block = block;
      this.size = size;
    }

    @Override
    public int read() {
      return position >= size ? -1 : block[(int) (position++ % block.length)] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= size) {
        return -1;
      }
      int at = (int) (position % block.length);
      int n = (int) Math.min(Math.min(len, block.length - at), size - position);
      System.arraycopy(block, at, b, off, n);
      position += n;
      return n;
    }
  }
}

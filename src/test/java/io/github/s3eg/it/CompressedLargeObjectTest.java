package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Non-negotiable 3 with compression on: 1 GiB of compressible text goes up (compressed, encrypted
 * and spooled) and comes back down (decrypted and decompressed) through a gateway in its own JVM
 * limited to {@code -Xmx256m}, which exits on OutOfMemoryError. A ranged read of the same object
 * checks the index path at that size.
 */
class CompressedLargeObjectTest {

  static final long SIZE = 1L << 30;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void oneGibOfTextUpAndDownCompressedThroughA256MibHeap() throws Exception {
    try (TestBackend backend = TestBackend.start();
        LargeObjectStreamingTest.ChildGateway gateway =
            LargeObjectStreamingTest.ChildGateway.start(
                backend,
                Map.of("COMPRESSION_ENABLED", "true"),
                "-Xmx256m",
                "--enable-native-access=ALL-UNNAMED");
        S3Client s3 = gateway.client();
        S3Client direct = backend.directClient()) {
      s3.createBucket(b -> b.bucket("big"));
      LogLines upload = new LogLines(SIZE);
      s3.putObject(
          b -> b.bucket("big").key("one-gib.log").contentType("text/plain"),
          RequestBody.fromContentProvider(() -> upload, SIZE, "text/plain"));
      byte[] sent = upload.digest.digest();
      var stored = direct.headObject(b -> b.bucket("big").key("one-gib.log"));
      assertThat(stored.metadata()).containsEntry("s3eg-v", "2");
      assertThat(stored.contentLength()).isLessThan(SIZE / 3);

      assertThat(LargeObjectStreamingTest.downloadSha256(s3, "big", "one-gib.log", SIZE))
          .isEqualTo(sent);

      long first = 900_000_000L;
      byte[] slice =
          s3.getObjectAsBytes(
                  b ->
                      b.bucket("big")
                          .key("one-gib.log")
                          .range("bytes=" + first + "-" + (first + 99)))
              .asByteArray();
      LogLines replay = new LogLines(SIZE);
      replay.skipNBytes(first);
      assertThat(slice).isEqualTo(replay.readNBytes(100));
      assertThat(gateway.isAlive()).as("gateway survived with -Xmx256m").isTrue();
    }
  }

  /** Deterministic log-like text of a fixed length, hashed as it is read; compresses about 4×. */
  static final class LogLines extends InputStream {
    private final long size;
    private final MessageDigest digest;
    private final byte[] line = new byte[64];
    private long position;
    private long state = 0x9E3779B97F4A7C15L;
    private int linePos = line.length;

    LogLines(long size) throws Exception {
      this.size = size;
      this.digest = MessageDigest.getInstance("SHA-256");
    }

    private void nextLine() {
      state ^= state << 13;
      state ^= state >>> 7;
      state ^= state << 17;
      byte[] text =
          "GET /bucket/object-00000 200 0000000B 000.0ms id=0000000000000000\n".getBytes();
      System.arraycopy(text, 0, line, 0, line.length);
      long v = state;
      for (int i : new int[] {20, 21, 22, 29, 30, 31, 32, 33, 34, 39, 40, 41, 50, 51, 52, 53}) {
        line[i] = (byte) ('0' + (int) ((v & 0xf) % 10));
        v >>>= 4;
      }
      line[line.length - 1] = '\n';
      linePos = 0;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - position);
      for (int i = 0; i < n; i++) {
        if (linePos == line.length) {
          nextLine();
        }
        b[off + i] = line[linePos++];
      }
      digest.update(b, off, n);
      position += n;
      return n;
    }
  }
}

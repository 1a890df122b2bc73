package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.it.LargeObjectStreamingTest.DeterministicStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Issue 22's first "must show": {@code decrypt} of a 1 GiB multipart object in its own JVM limited
 * to {@code -Xmx256m} (which exits on OutOfMemoryError), to standard output, byte-identical to what
 * was uploaded. No gateway runs while it decrypts.
 */
class DecryptLargeObjectTest {

  static final long SIZE = 1L << 30;
  static final long PART = 128L << 20;

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void oneGibMultipartObjectDecryptsWithA256MibHeap() throws Exception {
    try (TestBackend backend = TestBackend.start()) {
      byte[] uploaded;
      try (GatewayFixture gateway = GatewayFixture.startOn(backend, java.util.Map.of());
          S3Client s3 = gateway.defaultClient()) {
        s3.createBucket(b -> b.bucket("big"));
        String id = s3.createMultipartUpload(b -> b.bucket("big").key("one-gib")).uploadId();
        DeterministicStream content = new DeterministicStream(SIZE, 22);
        List<CompletedPart> parts = new ArrayList<>();
        for (int n = 1; (n - 1) * PART < SIZE; n++) {
          int number = n;
          InputStream part = new BoundedView(content, PART);
          String etag =
              s3.uploadPart(
                      b -> b.bucket("big").key("one-gib").uploadId(id).partNumber(number),
                      RequestBody.fromContentProvider(() -> part, PART, "application/octet-stream"))
                  .eTag();
          parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        s3.completeMultipartUpload(
            b -> b.bucket("big").key("one-gib").uploadId(id).multipartUpload(m -> m.parts(parts)));
        uploaded = content.sha256();
        assertThat(parts).hasSize(8);
      }

      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"));
      command.addAll(List.of("-cp", System.getProperty("java.class.path")));
      command.addAll(List.of("io.github.s3eg.GatewayMain", "decrypt", "s3://big/one-gib", "-"));
      Path log = Files.createTempFile("s3eg-decrypt", ".log");
      ProcessBuilder pb = new ProcessBuilder(command).redirectError(log.toFile());
      pb.environment().putAll(GatewayFixture.baseSettings(backend));
      Process decrypt = pb.start();
      MessageDigest received = MessageDigest.getInstance("SHA-256");
      long count = 0;
      try (InputStream out = decrypt.getInputStream()) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = out.read(buf)) > 0; ) {
          received.update(buf, 0, n);
          count += n;
        }
      } finally {
        if (!decrypt.waitFor(2, TimeUnit.MINUTES)) {
          decrypt.destroyForcibly();
        }
      }
      String stderr = Files.readString(log);
      Files.delete(log);
      assertThat(decrypt.exitValue()).as(stderr).isZero();
      assertThat(count).isEqualTo(SIZE);
      assertThat(received.digest()).isEqualTo(uploaded);
    }
  }

  /** The next {@code limit} bytes of a shared stream (one part of the upload). */
  static final class BoundedView extends InputStream {
    private final InputStream in;
    private long left;

    BoundedView(InputStream in, long limit) {
      this.in = in;
      this.left = limit;
    }

    @Override
    public int read() throws java.io.IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws java.io.IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }
}

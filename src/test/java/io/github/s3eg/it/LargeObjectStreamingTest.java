package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Non-negotiable 3: a 1 GiB object goes up and comes back down, byte-exact, through a gateway in
 * its own JVM limited to {@code -Xmx256m}. The gateway exits on OutOfMemoryError, so buffering a
 * body whole would fail this test rather than pass slowly.
 */
class LargeObjectStreamingTest {

  static final long SIZE = 1L << 30;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void oneGibUpAndDownThroughA256MibHeapAlsoAsOnePart() throws Exception {
    try (TestBackend backend = TestBackend.start();
        ChildGateway gateway = ChildGateway.start(backend, "-Xmx256m");
        S3Client s3 = gateway.client()) {
      s3.createBucket(b -> b.bucket("big"));
      DeterministicStream upload = new DeterministicStream(SIZE, 42);
      s3.putObject(
          b -> b.bucket("big").key("one-gib.bin"),
          RequestBody.fromContentProvider(() -> upload, SIZE, "application/octet-stream"));
      byte[] sent = upload.sha256();

      assertThat(downloadSha256(s3, "big", "one-gib.bin", SIZE)).isEqualTo(sent);
      assertThat(gateway.isAlive()).as("gateway survived with -Xmx256m").isTrue();

      // The same through a multipart upload: one 1 GiB part, then the object read back whole.
      String id = s3.createMultipartUpload(b -> b.bucket("big").key("one-gib-part")).uploadId();
      DeterministicStream part = new DeterministicStream(SIZE, 43);
      String etag =
          s3.uploadPart(
                  b -> b.bucket("big").key("one-gib-part").uploadId(id).partNumber(1),
                  RequestBody.fromContentProvider(() -> part, SIZE, "application/octet-stream"))
              .eTag();
      s3.completeMultipartUpload(
          b ->
              b.bucket("big")
                  .key("one-gib-part")
                  .uploadId(id)
                  .multipartUpload(
                      m ->
                          m.parts(
                              software.amazon.awssdk.services.s3.model.CompletedPart.builder()
                                  .partNumber(1)
                                  .eTag(etag)
                                  .build())));
      assertThat(downloadSha256(s3, "big", "one-gib-part", SIZE)).isEqualTo(part.sha256());
      assertThat(gateway.isAlive()).as("gateway survived a 1 GiB part with -Xmx256m").isTrue();
    }
  }

  /**
   * Downloads an object as a stream (never whole in memory), checks that its Content-Length and the
   * bytes received are both {@code size}, and returns their SHA-256.
   */
  static byte[] downloadSha256(S3Client s3, String bucket, String key, long size) throws Exception {
    MessageDigest received = MessageDigest.getInstance("SHA-256");
    long count = 0;
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
      assertThat(in.response().contentLength()).isEqualTo(size);
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        received.update(buf, 0, n);
        count += n;
      }
    }
    assertThat(count).isEqualTo(size);
    return received.digest();
  }

  /** Pseudo-random bytes of a fixed length from a seed, hashed as they are read. */
  static final class DeterministicStream extends InputStream {
    private final long size;
    private long position;
    private long state;
    private final MessageDigest digest;

    DeterministicStream(long size, long seed) throws Exception {
      this.size = size;
      this.state = seed | 1;
      this.digest = MessageDigest.getInstance("SHA-256");
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
        state ^= state << 13;
        state ^= state >>> 7;
        state ^= state << 17;
        b[off + i] = (byte) state;
      }
      digest.update(b, off, n);
      position += n;
      return n;
    }

    byte[] sha256() {
      return digest.digest();
    }
  }

  /** The gateway as a separate process (its own heap limit), on the test's classpath. */
  static final class ChildGateway implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;
    private final Path dataDir;

    private ChildGateway(Process process, int port, Path log, Path dataDir) {
      this.process = process;
      this.port = port;
      this.log = log;
      this.dataDir = dataDir;
    }

    static ChildGateway start(TestBackend backend, String... jvmOptions) throws Exception {
      return start(backend, java.util.Map.of(), jvmOptions);
    }

    /** {@code settings}: more settings for the gateway, over the fixture's base settings. */
    static ChildGateway start(
        TestBackend backend, java.util.Map<String, String> settings, String... jvmOptions)
        throws Exception {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(List.of(jvmOptions));
      command.add("-XX:+ExitOnOutOfMemoryError");
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add("io.github.s3eg.GatewayMain");
      Path log = Files.createTempFile("s3eg-child", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(GatewayFixture.baseSettings(backend));
      pb.environment().put("LISTEN_ADDR", "127.0.0.1:0");
      Path dataDir = Files.createTempDirectory("s3eg-child");
      pb.environment().put("DATA_DIR", dataDir.toString());
      pb.environment().putAll(settings);
      Process process = pb.start();
      try {
        return new ChildGateway(
            process,
            ListeningPort.await(process, log, java.time.Duration.ofSeconds(90)),
            log,
            dataDir);
      } catch (Exception | Error e) {
        process.destroyForcibly();
        throw e;
      }
    }

    S3Client client() {
      return S3Client.builder()
          .endpointOverride(java.net.URI.create("http://127.0.0.1:" + port))
          .region(software.amazon.awssdk.regions.Region.US_EAST_1)
          .credentialsProvider(
              software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                  software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                      GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET)))
          .forcePathStyle(true)
          // Completing a 1 GiB part makes the backend copy it before it answers: on a loaded
          // machine that takes longer than the SDK's 30 s read timeout, and a retried Complete
          // then finds the upload already completed (404 NoSuchUpload).
          .httpClientBuilder(
              software.amazon.awssdk.http.apache.ApacheHttpClient.builder()
                  .socketTimeout(java.time.Duration.ofMinutes(5)))
          .overrideConfiguration(o -> o.apiCallTimeout(java.time.Duration.ofMinutes(8)))
          .build();
    }

    boolean isAlive() {
      return process.isAlive();
    }

    /**
     * Stops the child and removes its data directory. Its log is removed too, unless the child had
     * already exited on its own (an out-of-memory exit, a crash): then the log stays for the
     * failing test's reader, and its path is printed.
     */
    @Override
    public void close() throws Exception {
      boolean exitedOnItsOwn = !process.isAlive();
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
      }
      TempTrees.delete(dataDir);
      if (exitedOnItsOwn) {
        System.err.println("child gateway exited on its own; its log: " + log);
      } else {
        Files.deleteIfExists(log);
      }
    }
  }
}

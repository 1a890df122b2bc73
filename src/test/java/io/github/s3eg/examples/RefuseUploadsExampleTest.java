package io.github.s3eg.examples;

import static io.github.s3eg.it.SdkErrors.assertSdkError;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.it.ExampleFolder;
import io.github.s3eg.it.GatewayFixture;
import io.github.s3eg.it.TestBackend;
import io.github.s3eg.pipeline.RequestState;
import io.github.s3eg.s3.S3Exception;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.Processor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@code examples/refuse-uploads} example: a custom step, compiled here from the example's
 * source into a jar of its own and put on the gateway's class path, bound by {@code camel.beans.*}
 * and named in PutObject and CreateMultipartUpload. Uploads over 1 MiB are refused with {@code 400
 * EntityTooLarge}, uploads of a refused type with {@code 403 AccessDenied}; nothing reaches the
 * backend for either (checked there directly). The gateway started with the start-up route check.
 */
class RefuseUploadsExampleTest {

  private static final String BUCKET = "uploads";

  private static Path work;
  private static URLClassLoader classPath;
  private static TestBackend backend;
  private static S3Client direct;
  private static GatewayFixture gateway;
  private static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    ExampleFolder example = ExampleFolder.named("refuse-uploads");
    work = Files.createTempDirectory("s3eg-example");
    Path jar = example.buildJar(work, Processor.class, RequestState.class, S3Exception.class);
    classPath = ExampleFolder.classPathWith(jar);
    backend = TestBackend.start();
    direct = backend.directClient();
    direct.createBucket(b -> b.bucket(BUCKET));
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(classPath);
    try {
      gateway = GatewayFixture.startOn(backend, java.util.Map.of(), example.camelProperties());
    } finally {
      thread.setContextClassLoader(before);
    }
    s3 =
        gateway
            .clientBuilder()
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    gateway.close();
    direct.close();
    backend.close();
    classPath.close();
    try (var files = Files.walk(work)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void anUploadWithinTheLimitIsStoredEncrypted() {
    byte[] data = text(1024 * 1024);
    s3.putObject(
        b -> b.bucket(BUCKET).key("small.txt").contentType("text/plain"),
        RequestBody.fromBytes(data));

    assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("small.txt")).asByteArray())
        .isEqualTo(data);
    byte[] stored = direct.getObjectAsBytes(b -> b.bucket(BUCKET).key("small.txt")).asByteArray();
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("plaintext line");
  }

  @Test
  void anUploadOverTheLimitIsEntityTooLargeAndNothingIsStored() {
    assertSdkError(
        () ->
            s3.putObject(
                b -> b.bucket(BUCKET).key("large.txt").contentType("text/plain"),
                RequestBody.fromBytes(text(1024 * 1024 + 1))),
        400,
        "EntityTooLarge");
    assertThat(keysStartingWith("large.txt")).isEmpty();
  }

  @Test
  void anUploadOfARefusedTypeIsAccessDeniedAndNothingIsStored() {
    assertSdkError(
        () ->
            s3.putObject(
                b -> b.bucket(BUCKET).key("setup.exe").contentType("application/x-msdownload"),
                RequestBody.fromBytes(text(100))),
        403,
        "AccessDenied");
    assertThat(keysStartingWith("setup.exe")).isEmpty();
  }

  @Test
  void aMultipartUploadOfARefusedTypeIsNotCreated() {
    assertSdkError(
        () ->
            s3.createMultipartUpload(
                b -> b.bucket(BUCKET).key("install.sh").contentType("application/x-sh")),
        403,
        "AccessDenied");
    assertThat(direct.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
    assertThat(keysStartingWith("install.sh")).isEmpty();
  }

  /** Keys in the backend's bucket, the gateway's own records included. */
  private static List<String> keysStartingWith(String name) {
    return direct.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
        .map(S3Object::key)
        .filter(k -> k.contains(name))
        .toList();
  }

  private static byte[] text(int length) {
    byte[] line = "a plaintext line of the upload\n".getBytes(StandardCharsets.US_ASCII);
    byte[] data = new byte[length];
    for (int i = 0; i < length; i++) {
      data[i] = line[i % line.length];
    }
    return Arrays.copyOf(data, length);
  }
}

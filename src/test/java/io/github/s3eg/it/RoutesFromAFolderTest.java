package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.s3eg.UnvalidatedConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The routes edited as an operator would, in a folder the gateway loads them from: deleting {@code
 * resolveKey}, {@code decrypt}, {@code authenticate} or {@code encrypt} makes the gateway refuse to
 * start, naming the route and the step. And, should such a route set ever run (the start-up check
 * switched off, as only test code can), each request fails with an S3 error before anything is
 * stored or served: checked on the backend directly.
 */
class RoutesFromAFolderTest {

  private static final byte[] SECRET =
      "the plaintext that must never be served as ciphertext or stored as plaintext\n"
          .repeat(200)
          .getBytes(StandardCharsets.UTF_8);

  private static TestBackend backend;
  private static S3Client direct;

  @BeforeAll
  static void start() throws Exception {
    backend = TestBackend.start();
    direct = backend.directClient();
  }

  @AfterAll
  static void stop() throws Exception {
    direct.close();
    backend.close();
  }

  @Test
  void theUneditedRoutesFromAFolderServe(@TempDir Path dir) throws Exception {
    RouteFolder routes = RouteFolder.copyOf(dir);
    try (GatewayFixture gateway =
            GatewayFixture.startOn(backend, Map.of(), routes.camelProperties());
        S3Client s3 = noRetries(gateway).build()) {
      s3.createBucket(b -> b.bucket("unedited"));
      s3.putObject(b -> b.bucket("unedited").key("k"), RequestBody.fromBytes(SECRET));
      assertThat(s3.getObjectAsBytes(b -> b.bucket("unedited").key("k")).asByteArray())
          .isEqualTo(SECRET);
    }
  }

  // ---- refused at start-up

  @ParameterizedTest(name = "without {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "objects.yaml | resolveKey | route 'GetObject': step 'decrypt' needs what 'resolveKey' provides",
        "objects.yaml | decrypt | route 'GetObject': step 'getObjectResponse' needs what 'decrypt' provides",
        "s3-api.yaml | authenticate | route 's3-api': step 'rateLimit' needs what 'authenticate' provides",
        "objects.yaml | encrypt | route 'PutObject': 'backend:putObject' needs what 'encrypt' or 'encryptPart' provides"
      })
  void withoutAGuardingStepTheGatewayDoesNotStart(
      String file, String step, String problem, @TempDir Path dir) throws Exception {
    assertRefused(RouteFolder.copyOf(dir).deleteStep(file, step), problem);
  }

  private static void assertRefused(RouteFolder routes, String problem) {
    assertThatThrownBy(() -> GatewayFixture.startOn(backend, Map.of(), routes.camelProperties()))
        .hasStackTraceContaining("The gateway's routes are unsafe and were refused")
        .hasStackTraceContaining(problem);
  }

  // ---- and if such routes ran anyway: errors, nothing stored, nothing served

  /** Either step of the read path missing: the object is stored encrypted, a GET is refused. */
  @ParameterizedTest(name = "without {0}")
  @CsvSource({"resolveKey, no-resolve-key", "decrypt, no-decrypt"})
  void withoutAReadStepAGetIsAnErrorAndServesNoCiphertext(
      String step, String bucket, @TempDir Path dir) throws Exception {
    RouteFolder routes = RouteFolder.copyOf(dir).deleteStep("objects.yaml", step);
    try (GatewayFixture gateway = unvalidated(routes);
        S3Client s3 = noRetries(gateway).build()) {
      s3.createBucket(b -> b.bucket(bucket));
      s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(SECRET));
      assertStoredAsCiphertext(bucket, "k");
      assertInternalError(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")));
    }
  }

  @Test
  void withoutEncryptAPutIsAnErrorAndStoresNothing(@TempDir Path dir) throws Exception {
    RouteFolder routes = RouteFolder.copyOf(dir).deleteStep("objects.yaml", "encrypt");
    direct.createBucket(b -> b.bucket("no-encrypt"));
    try (GatewayFixture gateway = unvalidated(routes);
        S3Client s3 = noRetries(gateway).build()) {
      assertInternalError(
          () -> s3.putObject(b -> b.bucket("no-encrypt").key("k"), RequestBody.fromBytes(SECRET)));
    }
    assertThat(keys("no-encrypt")).isEmpty();
  }

  @Test
  void withoutAuthenticateNoRequestReachesTheBackend(@TempDir Path dir) throws Exception {
    direct.createBucket(b -> b.bucket("no-authenticate"));
    try (GatewayFixture intact = GatewayFixture.startOn(backend, Map.of());
        S3Client s3 = intact.whenRequiredClient()) {
      s3.putObject(b -> b.bucket("no-authenticate").key("existing"), RequestBody.fromBytes(SECRET));
    }
    RouteFolder routes = RouteFolder.copyOf(dir).deleteStep("s3-api.yaml", "authenticate");
    try (GatewayFixture gateway = unvalidated(routes);
        S3Client anonymous =
            noRetries(gateway).credentialsProvider(AnonymousCredentialsProvider.create()).build();
        S3Client signed = noRetries(gateway).build()) {
      gateway.probe().reset();
      for (S3Client s3 : List.of(anonymous, signed)) {
        assertInternalError(
            () ->
                s3.putObject(
                    b -> b.bucket("no-authenticate").key("new"), RequestBody.fromBytes(SECRET)));
        assertInternalError(
            () -> s3.getObjectAsBytes(b -> b.bucket("no-authenticate").key("existing")));
        assertInternalError(() -> s3.headObject(b -> b.bucket("no-authenticate").key("existing")));
        assertInternalError(
            () -> s3.deleteObject(b -> b.bucket("no-authenticate").key("existing")));
        assertInternalError(() -> s3.listObjectsV2(b -> b.bucket("no-authenticate")));
      }
      assertThat(gateway.probe().requests()).as("requests that reached the backend").isEmpty();
    }
    assertThat(keys("no-authenticate")).containsExactly("existing");
  }

  /** A 500 InternalError from the gateway (the SDK's view of it). */
  private static void assertInternalError(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class);
    software.amazon.awssdk.services.s3.model.S3Exception e =
        (software.amazon.awssdk.services.s3.model.S3Exception) thrown;
    assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(500);
    if (e.awsErrorDetails().errorCode() != null) {
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalError");
    }
  }

  /** A client that reports the first error instead of retrying it. */
  private static S3ClientBuilder noRetries(GatewayFixture gateway) {
    return gateway
        .clientBuilder()
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
  }

  /** A gateway on these routes without the start-up check. */
  private static GatewayFixture unvalidated(RouteFolder routes) throws Exception {
    Map<String, String> properties = new HashMap<>(routes.camelProperties());
    properties.putAll(UnvalidatedConfiguration.PROPERTIES);
    return GatewayFixture.startOn(backend, Map.of(), properties);
  }

  private static void assertStoredAsCiphertext(String bucket, String key) {
    byte[] stored = direct.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    assertThat(new String(stored, StandardCharsets.ISO_8859_1))
        .doesNotContain("the plaintext that must never");
  }

  private static List<String> keys(String bucket) {
    return direct.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
        .map(S3Object::key)
        .toList();
  }
}

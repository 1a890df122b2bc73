package io.github.s3eg.s3.auth;

import static io.github.s3eg.s3.testing.S3Errors.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.body.RequestBodies;
import io.github.s3eg.s3.testing.CapturedRequest;
import io.github.s3eg.s3.testing.CapturingHttpClient;
import io.github.s3eg.s3.testing.SdkClients;
import io.github.s3eg.s3.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Header-signed requests produced by the real AWS SDK for Java v2 {@code S3Client} (its own
 * marshalling of keys and query parameters, its own SigV4 signer), verified by the gateway.
 */
class SdkSignedRequestsTest {

  /** Keys that exercise S3's canonical-URI rule: encode once, never normalise. */
  static List<String> oddKeys() {
    return List.of(
        "plain.txt",
        "with space.txt",
        "plus+sign",
        "percent%25and%",
        "ключ/файл ü.bin",
        "emoji-\uD83D\uDE00",
        "double//slash",
        "./dot-segment",
        "../parent/../x",
        "a/./b/../c",
        "trailing/",
        "reserved !$&'()*,;=:@[]",
        "tilde~_-.unreserved",
        "question?hash#");
  }

  private static CapturingHttpClient http;
  private static S3Client s3;
  private static S3Client s3HexSha;

  @BeforeAll
  static void clients() {
    http = new CapturingHttpClient();
    s3 = SdkClients.s3(http, "http://localhost:9000");
    s3HexSha =
        SdkClients.s3(
            http,
            "http://localhost:9000",
            SdkClients.ACCESS_KEY,
            SdkClients.SECRET_KEY,
            b ->
                b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .serviceConfiguration(
                        S3Configuration.builder()
                            .pathStyleAccessEnabled(true)
                            .chunkedEncodingEnabled(false)
                            .build()));
  }

  @AfterAll
  static void close() {
    s3.close();
    s3HexSha.close();
  }

  @ParameterizedTest
  @MethodSource("oddKeys")
  void getWithOddKey(String key) {
    s3.getObject(
        r -> r.bucket("bucket").key(key).range("bytes=0-9"), ResponseTransformer.toBytes());
    CapturedRequest captured = http.last();

    AuthResult result =
        TestGateway.atSigningTimeOf(captured).authenticate(captured.signedRequest());

    assertThat(result.principal().accessKey()).isEqualTo(SdkClients.ACCESS_KEY);
    assertThat(result.method()).isEqualTo(AuthMethod.SIGV4_HEADER);
  }

  @ParameterizedTest
  @MethodSource("oddKeys")
  void putWithOddKeyAndHexPayloadHash(String key) throws Exception {
    byte[] data = ("body of " + key).getBytes(StandardCharsets.UTF_8);
    s3HexSha.putObject(r -> r.bucket("bucket").key(key), RequestBody.fromBytes(data));
    CapturedRequest captured = http.last();

    AuthResult result =
        TestGateway.atSigningTimeOf(captured).authenticate(captured.signedRequest());

    assertThat(result.payloadMode()).isEqualTo(PayloadMode.SHA256);
    assertThat(
            RequestBodies.open(result, captured.signedRequest(), captured.bodyStream()).stream()
                .readAllBytes())
        .isEqualTo(data);
  }

  @ParameterizedTest
  @MethodSource("oddKeys")
  void putWithOddKeyAndSignedChunks(String key) throws Exception {
    byte[] data = new byte[300_000];
    s3.putObject(r -> r.bucket("bucket").key(key), RequestBody.fromBytes(data));
    CapturedRequest captured = http.last();

    AuthResult result =
        TestGateway.atSigningTimeOf(captured).authenticate(captured.signedRequest());

    assertThat(result.payloadMode()).isEqualTo(PayloadMode.STREAMING_SIGNED_TRAILER);
    assertThat(
            RequestBodies.open(result, captured.signedRequest(), captured.bodyStream()).stream()
                .readAllBytes())
        .isEqualTo(data);
  }

  @Test
  void listWithEncodedQueryParameters() {
    s3.listObjectsV2(
        r -> r.bucket("bucket").prefix("a b+c/ключ=&?").delimiter("/").maxKeys(7).startAfter("~x"));
    CapturedRequest captured = http.last();
    assertThat(captured.rawQuery()).contains("prefix=").contains("list-type=2");

    assertThat(TestGateway.atSigningTimeOf(captured).authenticate(captured.signedRequest()))
        .isNotNull();
  }

  @Test
  void rawUtf8InTheRequestLineAsVertxDeliversIt() {
    s3.getObject(r -> r.bucket("bucket").key("ключ"), ResponseTransformer.toBytes());
    CapturedRequest captured = http.last();
    // Netty hands over each octet of the request line as one char (ISO-8859-1).
    String latin1 =
        new String("/bucket/ключ".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);

    AuthResult result =
        TestGateway.atSigningTimeOf(captured)
            .authenticate(captured.withPath(latin1).signedRequest());

    assertThat(result.principal().accessKey()).isEqualTo(SdkClients.ACCESS_KEY);
  }

  @Test
  void anyRegionIsAcceptedWhenScopeAndSignatureAgree() {
    try (S3Client other =
        SdkClients.s3(
            http,
            "http://localhost:9000",
            SdkClients.ACCESS_KEY,
            SdkClients.SECRET_KEY,
            b -> b.region(Region.of("gateway-local-7")))) {
      other.headObject(r -> r.bucket("b").key("k"));
    }
    CapturedRequest captured = http.last();
    assertThat(captured.header("authorization")).contains("/gateway-local-7/s3/aws4_request");

    assertThat(TestGateway.atSigningTimeOf(captured).authenticate(captured.signedRequest()))
        .isNotNull();
  }

  @Test
  void wrongSecretIsSignatureDoesNotMatchWithDiagnostics() {
    try (S3Client wrong =
        SdkClients.s3(
            http, "http://localhost:9000", SdkClients.ACCESS_KEY, "not-the-secret", b -> {})) {
      wrong.getObject(r -> r.bucket("bucket").key("k"), ResponseTransformer.toBytes());
    }
    CapturedRequest captured = http.last();

    S3Exception e =
        assertS3Error(
            () -> TestGateway.atSigningTimeOf(captured).authenticate(captured.signedRequest()),
            S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);

    assertThat(e).isInstanceOf(AuthenticationException.class);
    assertThat(((AuthenticationException) e).accessKeyId()).contains(SdkClients.ACCESS_KEY);
    assertThat(e.extraElements())
        .containsEntry("AWSAccessKeyId", SdkClients.ACCESS_KEY)
        .containsKeys("StringToSign", "CanonicalRequest", "SignatureProvided");
    assertThat(e.extraElements().get("CanonicalRequest")).startsWith("GET\n/bucket/k\n");
    assertThat(e.extraElements().values()).noneMatch(v -> v.contains(SdkClients.SECRET_KEY));
  }

  @Test
  void unknownAccessKeyIsInvalidAccessKeyId() {
    try (S3Client stranger =
        SdkClients.s3(
            http, "http://localhost:9000", "AKIDSTRANGER", SdkClients.SECRET_KEY, b -> {})) {
      stranger.getObject(r -> r.bucket("bucket").key("k"), ResponseTransformer.toBytes());
    }
    CapturedRequest captured = http.last();

    S3Exception e =
        assertS3Error(
            () -> TestGateway.atSigningTimeOf(captured).authenticate(captured.signedRequest()),
            S3ErrorCode.INVALID_ACCESS_KEY_ID);
    assertThat(((AuthenticationException) e).auditReason())
        .contains("InvalidAccessKeyId")
        .contains("AKIDSTRANGER")
        .contains("SIGV4_HEADER");
  }

  @Test
  void tamperingWithAnySignedPartIsDetected() {
    s3.getObject(
        r -> r.bucket("bucket").key("a/b").range("bytes=1-2"), ResponseTransformer.toBytes());
    CapturedRequest original = http.last();
    Authenticator auth = TestGateway.atSigningTimeOf(original);

    for (CapturedRequest tampered :
        List.of(
            original.withPath("/bucket/a/c"),
            original.withPath("/other/a/b"),
            original.withQuery("versionId=1"),
            original.withMethod("DELETE"),
            original.withHeader("Range", "bytes=0-100"),
            original.withHeader("Host", "evil.example:9000"))) {
      assertS3Error(
          () -> auth.authenticate(tampered.signedRequest()), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }
    assertS3Error(
        () -> auth.authenticate(original.withoutHeader("Range").signedRequest()),
        S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void equivalentEncodingsOfTheSamePathAreAccepted() {
    // S3 signs the decoded key, so escaping an unreserved character or a slash is the same key.
    s3.getObject(r -> r.bucket("bucket").key("a-b_c.d~e/f"), ResponseTransformer.toBytes());
    CapturedRequest captured = http.last();
    Authenticator auth = TestGateway.atSigningTimeOf(captured);

    for (String path : List.of("/bucket/a%2Db%5Fc%2Ed%7Ee/f", "/bucket/a-b_c.d~e%2Ff")) {
      assertThat(auth.authenticate(captured.withPath(path).signedRequest())).isNotNull();
    }
  }

  @Test
  void unsignedAmzHeadersAreRefused() {
    s3.putObject(r -> r.bucket("bucket").key("k"), RequestBody.fromString("x"));
    CapturedRequest captured = http.last().withHeader("x-amz-meta-injected", "evil");

    S3Exception e =
        assertS3Error(
            () -> TestGateway.atSigningTimeOf(captured).authenticate(captured.signedRequest()),
            S3ErrorCode.ACCESS_DENIED);
    assertThat(e.getMessage()).contains("not signed");
    assertThat(e.extraElements()).containsEntry("HeadersNotSigned", "x-amz-meta-injected");
  }

  @Test
  void unsignedOrdinaryHeadersAreAllowed() {
    s3.getObject(r -> r.bucket("bucket").key("k"), ResponseTransformer.toBytes());
    CapturedRequest captured =
        http.last()
            .withHeader("Connection", "keep-alive")
            .withHeader("X-Forwarded-For", "10.0.0.1");

    assertThat(TestGateway.atSigningTimeOf(captured).authenticate(captured.signedRequest()))
        .isNotNull();
  }

  @Test
  void contentSha256HeaderIsMandatory() {
    s3.getObject(r -> r.bucket("bucket").key("k"), ResponseTransformer.toBytes());
    CapturedRequest captured = http.last().withoutHeader("x-amz-content-sha256");

    S3Exception e =
        assertS3Error(
            () -> TestGateway.atSigningTimeOf(captured).authenticate(captured.signedRequest()),
            S3ErrorCode.INVALID_REQUEST);
    assertThat(e.getMessage()).contains("x-amz-content-sha256");

    CapturedRequest bogus = http.last().withHeader("x-amz-content-sha256", "SHA-NONE");
    assertS3Error(
        () -> TestGateway.atSigningTimeOf(bogus).authenticate(bogus.signedRequest()),
        S3ErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void clockSkewIsFifteenMinutesEitherWay() {
    s3.getObject(r -> r.bucket("bucket").key("k"), ResponseTransformer.toBytes());
    CapturedRequest captured = http.last();
    SignedRequest request = captured.signedRequest();

    for (Duration ok :
        List.of(Duration.ofMinutes(14), Duration.ofMinutes(-14), Duration.ofMinutes(15))) {
      assertThat(TestGateway.at(captured.signedAt().plus(ok)).authenticate(request)).isNotNull();
    }
    for (Duration skew : List.of(Duration.ofMinutes(16), Duration.ofMinutes(-16))) {
      S3Exception e =
          assertS3Error(
              () -> TestGateway.at(captured.signedAt().plus(skew)).authenticate(request),
              S3ErrorCode.REQUEST_TIME_TOO_SKEWED);
      assertThat(e.errorCode().httpStatus()).isEqualTo(403);
      assertThat(e.extraElements()).containsKeys("RequestTime", "ServerTime");
    }
  }

  @Test
  void malformedAuthorizationHeaders() {
    s3.getObject(r -> r.bucket("bucket").key("k"), ResponseTransformer.toBytes());
    CapturedRequest captured = http.last();
    String good = captured.header("authorization");
    Authenticator auth = TestGateway.atSigningTimeOf(captured);

    List<String> malformed =
        List.of(
            good.replace("SignedHeaders=", "SignedHeader="),
            good.replaceAll("Signature=[0-9a-f]+", "Signature=xyz"),
            good.replaceAll("host;", ""),
            good.replace("/s3/aws4_request", "/ec2/aws4_request"),
            good.replace("/s3/aws4_request", "/s3/aws5_request"),
            good.replaceAll("Credential=([^/]+)/\\d{8}/", "Credential=$1/19990101/"),
            good.replaceAll("Credential=[^,]+,", "Credential=onlykey,"));
    for (String authorization : malformed) {
      assertS3Error(
          () ->
              auth.authenticate(
                  captured.withHeader("Authorization", authorization).signedRequest()),
          S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
    }
    assertS3Error(
        () -> auth.authenticate(captured.withoutHeader("x-amz-date").signedRequest()),
        S3ErrorCode.ACCESS_DENIED);
  }
}

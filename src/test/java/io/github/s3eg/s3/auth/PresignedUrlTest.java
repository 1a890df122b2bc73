package io.github.s3eg.s3.auth;

import static io.github.s3eg.s3.testing.S3Errors.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.body.RequestBodies;
import io.github.s3eg.s3.testing.SdkClients;
import io.github.s3eg.s3.testing.TestGateway;
import java.io.ByteArrayInputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/** Presigned URLs made by the AWS SDK's {@link S3Presigner}, checked against a fake clock. */
class PresignedUrlTest {

  private static S3Presigner presigner;

  @BeforeAll
  static void presigner() {
    presigner =
        SdkClients.presigner("http://localhost:9000", SdkClients.ACCESS_KEY, SdkClients.SECRET_KEY);
  }

  @AfterAll
  static void close() {
    presigner.close();
  }

  @Test
  void getUrlWithOneHourLifetimeWorksTwentyMinutesLaterAndFailsAfterSixtyOne() {
    PresignedGetObjectRequest url = presignGet("reports/2024 Q1+final.pdf", Duration.ofHours(1));
    SignedRequest request = toRequest(url.url(), url.signedHeaders());
    Instant signedAt = signedAt(url.url());

    AuthResult now = TestGateway.at(signedAt).authenticate(request);
    assertThat(now.method()).isEqualTo(AuthMethod.SIGV4_PRESIGNED);
    assertThat(now.payloadMode()).isEqualTo(PayloadMode.UNSIGNED);

    assertThat(TestGateway.at(signedAt.plus(Duration.ofMinutes(20))).authenticate(request))
        .as("no 15-minute window on presigned URLs")
        .isNotNull();
    assertThat(TestGateway.at(signedAt.plus(Duration.ofMinutes(60))).authenticate(request))
        .isNotNull();

    S3Exception expired =
        assertS3Error(
            () -> TestGateway.at(signedAt.plus(Duration.ofMinutes(61))).authenticate(request),
            S3ErrorCode.ACCESS_DENIED);
    assertThat(expired.getMessage()).isEqualTo("Request has expired");
    assertThat(expired.extraElements()).containsEntry("X-Amz-Expires", "3600");
  }

  @Test
  void sevenDayUrlIsHonoured() {
    PresignedGetObjectRequest url = presignGet("k", Duration.ofDays(7));
    SignedRequest request = toRequest(url.url(), url.signedHeaders());
    Instant signedAt = signedAt(url.url());

    assertThat(TestGateway.at(signedAt.plus(Duration.ofDays(7))).authenticate(request)).isNotNull();
    assertS3Error(
        () ->
            TestGateway.at(signedAt.plus(Duration.ofDays(7)).plusSeconds(1)).authenticate(request),
        S3ErrorCode.ACCESS_DENIED);
  }

  @Test
  void urlFromTheFutureIsNotValidYetBeyondTheSkew() {
    PresignedGetObjectRequest url = presignGet("k", Duration.ofHours(1));
    SignedRequest request = toRequest(url.url(), url.signedHeaders());
    Instant signedAt = signedAt(url.url());

    assertThat(TestGateway.at(signedAt.minus(Duration.ofMinutes(14))).authenticate(request))
        .as("a client clock slightly ahead is tolerated")
        .isNotNull();
    S3Exception e =
        assertS3Error(
            () -> TestGateway.at(signedAt.minus(Duration.ofHours(1))).authenticate(request),
            S3ErrorCode.ACCESS_DENIED);
    assertThat(e.getMessage()).isEqualTo("Request is not valid yet");
  }

  @Test
  void presignedPutCarriesAnUnsignedBody() throws Exception {
    PresignedPutObjectRequest url =
        presigner.presignPutObject(
            p ->
                p.signatureDuration(Duration.ofMinutes(10))
                    .putObjectRequest(r -> r.bucket("bucket").key("upload/ключ.txt")));
    byte[] body = "uploaded through a presigned URL".getBytes(StandardCharsets.UTF_8);
    SignedRequest request =
        toRequest(
            url.url(),
            url.signedHeaders(),
            "PUT",
            Map.of("content-length", List.of(Integer.toString(body.length))));

    AuthResult result = TestGateway.at(signedAt(url.url())).authenticate(request);

    assertThat(result.payloadMode()).isEqualTo(PayloadMode.UNSIGNED);
    assertThat(
            RequestBodies.open(result, request, new ByteArrayInputStream(body)).stream()
                .readAllBytes())
        .isEqualTo(body);
  }

  @Test
  void tamperedUrlsAreRejected() {
    PresignedGetObjectRequest url = presignGet("k", Duration.ofHours(1));
    String raw = url.url().getFile();
    Instant signedAt = signedAt(url.url());
    Authenticator auth = TestGateway.at(signedAt);

    for (String tampered :
        List.of(
            raw.replace("/bucket/k?", "/bucket/other?"),
            raw + "&response-content-type=text%2Fhtml",
            raw.replace("X-Amz-Expires=3600", "X-Amz-Expires=7200"))) {
      assertS3Error(
          () -> auth.authenticate(SignedRequest.of("GET", tampered, hostHeader(url.url()))),
          S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }
    assertS3Error(
        () -> auth.authenticate(SignedRequest.of("DELETE", raw, hostHeader(url.url()))),
        S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void queryParameterErrors() {
    PresignedGetObjectRequest url = presignGet("k", Duration.ofHours(1));
    String raw = url.url().getFile();
    Authenticator auth = TestGateway.at(signedAt(url.url()));

    for (String bad :
        List.of(
            raw.replace("X-Amz-Expires=3600", "X-Amz-Expires=604801"),
            raw.replace("X-Amz-Expires=3600", "X-Amz-Expires=0"),
            raw.replace("X-Amz-Expires=3600", "X-Amz-Expires=soon"),
            raw.replace("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1"),
            raw.replaceAll("&X-Amz-SignedHeaders=[^&]+", ""),
            raw.replaceAll("X-Amz-Date=\\d{8}", "X-Amz-Date=20000101"),
            raw.replace("%2Fs3%2F", "%2Fsqs%2F"))) {
      assertS3Error(
          () -> auth.authenticate(SignedRequest.of("GET", bad, hostHeader(url.url()))),
          S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
    }
  }

  @Test
  void unknownKeyInPresignedUrl() {
    try (S3Presigner stranger =
        SdkClients.presigner("http://localhost:9000", "AKIDSTRANGER", "whatever")) {
      PresignedGetObjectRequest url =
          stranger.presignGetObject(
              p ->
                  p.signatureDuration(Duration.ofMinutes(5))
                      .getObjectRequest(r -> r.bucket("b").key("k")));
      assertS3Error(
          () ->
              TestGateway.at(signedAt(url.url()))
                  .authenticate(toRequest(url.url(), url.signedHeaders())),
          S3ErrorCode.INVALID_ACCESS_KEY_ID);
    }
  }

  @Test
  void headerAndQueryAuthTogetherAreRefused() {
    PresignedGetObjectRequest url = presignGet("k", Duration.ofHours(1));
    SignedRequest request =
        toRequest(
            url.url(),
            url.signedHeaders(),
            "GET",
            Map.of("authorization", List.of("AWS4-HMAC-SHA256 Credential=x")));

    S3Exception e =
        assertS3Error(
            () -> TestGateway.at(signedAt(url.url())).authenticate(request),
            S3ErrorCode.INVALID_ARGUMENT);
    assertThat(e.getMessage()).isEqualTo("Only one auth mechanism allowed");
  }

  private static PresignedGetObjectRequest presignGet(String key, Duration lifetime) {
    return presigner.presignGetObject(
        p -> p.signatureDuration(lifetime).getObjectRequest(r -> r.bucket("bucket").key(key)));
  }

  private static SignedRequest toRequest(URL url, Map<String, List<String>> signedHeaders) {
    return toRequest(url, signedHeaders, "GET", Map.of());
  }

  private static SignedRequest toRequest(
      URL url,
      Map<String, List<String>> signedHeaders,
      String method,
      Map<String, List<String>> extra) {
    Map<String, List<String>> headers = new java.util.LinkedHashMap<>(signedHeaders);
    headers.putAll(extra);
    return SignedRequest.of(method, url.getFile(), RequestHeaders.ofMap(headers));
  }

  private static RequestHeaders hostHeader(URL url) {
    return RequestHeaders.ofMap(Map.of("host", List.of(url.getHost() + ":" + url.getPort())));
  }

  private static Instant signedAt(URL url) {
    String date = url.getQuery().replaceAll(".*X-Amz-Date=(\\d{8}T\\d{6}Z).*", "$1");
    return Instant.parse(
        date.substring(0, 4)
            + "-"
            + date.substring(4, 6)
            + "-"
            + date.substring(6, 8)
            + "T"
            + date.substring(9, 11)
            + ":"
            + date.substring(11, 13)
            + ":"
            + date.substring(13, 15)
            + "Z");
  }
}

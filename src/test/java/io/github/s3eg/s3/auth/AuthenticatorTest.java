package io.github.s3eg.s3.auth;

import static io.github.s3eg.s3.testing.S3Errors.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.testing.DocExamples;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dispatch between schemes, and the errors of requests that use none or several. */
class AuthenticatorTest {

  private final Authenticator auth = DocExamples.authenticator(DocExamples.TIME);

  @Test
  void anonymousRequestsAreDenied() {
    S3Exception e =
        assertS3Error(
            () -> auth.authenticate(SignedRequest.of("GET", "/bucket/key", headers())),
            S3ErrorCode.ACCESS_DENIED);
    AuthenticationException audit = (AuthenticationException) e;
    assertThat(audit.method()).isEmpty();
    assertThat(audit.accessKeyId()).isEmpty();
    assertThat(audit.auditReason()).startsWith("AccessDenied (no auth)");
  }

  @Test
  void unsupportedSchemesAreRefused() {
    for (String authorization :
        List.of(
            "Bearer abc",
            "AWS4-ECDSA-P256-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/s3/aws4_request")) {
      assertS3Error(
          () ->
              auth.authenticate(
                  SignedRequest.of("GET", "/b/k", headers("authorization", authorization))),
          S3ErrorCode.INVALID_ARGUMENT);
    }
  }

  @Test
  void twoAuthorizationHeadersAreRefused() {
    RequestHeaders twice =
        RequestHeaders.ofMap(
            Map.of("Authorization", List.of("AWS4-HMAC-SHA256 a", "AWS4-HMAC-SHA256 b")));
    assertS3Error(
        () -> auth.authenticate(SignedRequest.of("GET", "/b/k", twice)),
        S3ErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void credentialParametersWithoutAlgorithmAreAQueryError() {
    assertS3Error(
        () ->
            auth.authenticate(
                SignedRequest.of(
                    "GET",
                    "/b/k?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request",
                    headers("host", "h"))),
        S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  }

  @Test
  void failuresNameTheSchemeAndClaimedKeyForTheAuditLog() {
    SignedRequest request =
        SignedRequest.of(
            "GET",
            "/b/k",
            headers(
                "host", "h",
                "x-amz-date", "20130524T000000Z",
                "x-amz-content-sha256", "UNSIGNED-PAYLOAD",
                "authorization",
                    "AWS4-HMAC-SHA256"
                        + " Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                        + " SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="
                        + "0".repeat(64)));

    AuthenticationException e =
        (AuthenticationException)
            assertS3Error(() -> auth.authenticate(request), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);

    assertThat(e.method()).contains(AuthMethod.SIGV4_HEADER);
    assertThat(e.accessKeyId()).contains(DocExamples.ACCESS_KEY);
    assertThat(e.auditReason())
        .isEqualTo(
            "SignatureDoesNotMatch (SIGV4_HEADER, key AKIAIOSFODNN7EXAMPLE): " + e.getMessage());
    assertThat(e.toString()).doesNotContain(DocExamples.SECRET_KEY);
  }

  @Test
  void signedRequestSplitsTheRawUri() {
    SignedRequest r = SignedRequest.of("put", "/b/k%20x?uploads&a=b", headers());
    assertThat(r.method()).isEqualTo("PUT");
    assertThat(r.rawPath()).isEqualTo("/b/k%20x");
    assertThat(r.rawQuery()).isEqualTo("uploads&a=b");
    assertThat(SignedRequest.of("GET", "", headers()).rawPath()).isEqualTo("/");
  }

  @Test
  void requestHeadersAreCaseInsensitiveAndKeepOrder() {
    RequestHeaders h =
        RequestHeaders.of(
            List.of(
                Map.entry("X-Amz-Meta-A", "1"),
                Map.entry("x-amz-meta-a", "2"),
                Map.entry("Host", "h")));
    assertThat(h.all("X-AMZ-META-A")).containsExactly("1", "2");
    assertThat(h.first("HOST")).contains("h");
    assertThat(h.names()).containsExactly("host", "x-amz-meta-a");
    assertThat(h.toString()).doesNotContain("1");
  }

  private static RequestHeaders headers(String... nameValues) {
    return AwsDocumentedExamplesTest.headers(nameValues);
  }
}

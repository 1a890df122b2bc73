package io.github.s3eg.s3.auth;

import static io.github.s3eg.s3.testing.S3Errors.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.body.RequestBodies;
import io.github.s3eg.s3.body.VerifiedBody;
import io.github.s3eg.s3.testing.DocExamples;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The known-answer examples of the S3 API reference, "Signature Calculations for the Authorization
 * Header: Transferring Payload in a Single Chunk" and "Authenticating Requests: Using Query
 * Parameters": requests exactly as documented, with the documented signatures.
 */
class AwsDocumentedExamplesTest {

  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final String CREDENTIAL =
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,";

  private final Authenticator auth = DocExamples.authenticator(DocExamples.TIME);

  @Test
  void getObject() {
    SignedRequest request =
        request(
            "GET",
            "/test.txt",
            "",
            "host",
            "examplebucket.s3.amazonaws.com",
            "range",
            "bytes=0-9",
            "x-amz-content-sha256",
            EMPTY_SHA256,
            "x-amz-date",
            "20130524T000000Z",
            "authorization",
            CREDENTIAL
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");

    AuthResult result = auth.authenticate(request);

    assertThat(result.principal().accessKey()).isEqualTo(DocExamples.ACCESS_KEY);
    assertThat(result.method()).isEqualTo(AuthMethod.SIGV4_HEADER);
    assertThat(result.payloadMode()).isEqualTo(PayloadMode.SHA256);
    assertThat(result.payloadSha256()).contains(EMPTY_SHA256);
    assertThat(result.signingContext().orElseThrow().seedSignature())
        .isEqualTo("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  }

  @Test
  void putObjectWithDollarInKeyAndDateHeader() throws Exception {
    byte[] body = "Welcome to Amazon S3.".getBytes(StandardCharsets.UTF_8);
    SignedRequest request =
        request(
            "PUT",
            "/test$file.text",
            "",
            "host",
            "examplebucket.s3.amazonaws.com",
            "date",
            "Fri, 24 May 2013 00:00:00 GMT",
            "x-amz-date",
            "20130524T000000Z",
            "x-amz-storage-class",
            "REDUCED_REDUNDANCY",
            "x-amz-content-sha256",
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
            "content-length",
            "21",
            "authorization",
            CREDENTIAL
                + "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"
                + "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");

    AuthResult result = auth.authenticate(request);
    VerifiedBody verified = RequestBodies.open(result, request, new ByteArrayInputStream(body));

    assertThat(verified.stream().readAllBytes()).isEqualTo(body);
    assertThat(verified.contentLength()).isEqualTo(21);
  }

  @Test
  void getBucketLifecycle() {
    SignedRequest request =
        request(
            "GET",
            "/",
            "lifecycle",
            "host",
            "examplebucket.s3.amazonaws.com",
            "x-amz-date",
            "20130524T000000Z",
            "x-amz-content-sha256",
            EMPTY_SHA256,
            "authorization",
            CREDENTIAL
                + "SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
                + "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");

    assertThat(auth.authenticate(request).method()).isEqualTo(AuthMethod.SIGV4_HEADER);
  }

  @Test
  void listObjectsWithQueryParametersInAnyOrder() {
    for (String query : List.of("max-keys=2&prefix=J", "prefix=J&max-keys=2")) {
      SignedRequest request =
          request(
              "GET",
              "/",
              query,
              "host",
              "examplebucket.s3.amazonaws.com",
              "x-amz-date",
              "20130524T000000Z",
              "x-amz-content-sha256",
              EMPTY_SHA256,
              "authorization",
              CREDENTIAL
                  + "SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
                  + "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");

      assertThat(auth.authenticate(request).principal().accessKey())
          .isEqualTo(DocExamples.ACCESS_KEY);
    }
  }

  @Test
  void presignedGetObject() {
    SignedRequest request =
        SignedRequest.of(
            "GET",
            "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
            headers("host", "examplebucket.s3.amazonaws.com"));

    // Valid for its whole day, including well beyond the 15-minute window of header signatures.
    for (Duration later : List.of(Duration.ZERO, Duration.ofHours(23), Duration.ofSeconds(86400))) {
      AuthResult result =
          DocExamples.authenticator(DocExamples.TIME.plus(later)).authenticate(request);
      assertThat(result.method()).isEqualTo(AuthMethod.SIGV4_PRESIGNED);
      assertThat(result.payloadMode()).isEqualTo(PayloadMode.UNSIGNED);
    }
    S3Exception expired =
        assertS3Error(
            () ->
                DocExamples.authenticator(DocExamples.TIME.plusSeconds(86401))
                    .authenticate(request),
            S3ErrorCode.ACCESS_DENIED);
    assertThat(expired.getMessage()).isEqualTo("Request has expired");
  }

  @Test
  void changingAnySignedPartBreaksTheDocumentedSignature() {
    String authorization =
        CREDENTIAL
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";
    SignedRequest otherRange =
        request(
            "GET",
            "/test.txt",
            "",
            "host",
            "examplebucket.s3.amazonaws.com",
            "range",
            "bytes=0-10",
            "x-amz-content-sha256",
            EMPTY_SHA256,
            "x-amz-date",
            "20130524T000000Z",
            "authorization",
            authorization);

    S3Exception e =
        assertS3Error(() -> auth.authenticate(otherRange), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);

    assertThat(e.extraElements())
        .containsEntry("AWSAccessKeyId", DocExamples.ACCESS_KEY)
        .containsEntry(
            "CanonicalRequest",
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-10\n"
                + "x-amz-content-sha256:"
                + EMPTY_SHA256
                + "\nx-amz-date:20130524T000000Z\n\n"
                + "host;range;x-amz-content-sha256;x-amz-date\n"
                + EMPTY_SHA256)
        .containsKey("StringToSign");
    assertThat(e.extraElements().get("StringToSign"))
        .startsWith("AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n");
  }

  static SignedRequest request(String method, String path, String query, String... nameValues) {
    return new SignedRequest(method, path, query, headers(nameValues));
  }

  static RequestHeaders headers(String... nameValues) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      map.put(nameValues[i], List.of(nameValues[i + 1]));
    }
    return RequestHeaders.ofMap(map);
  }
}

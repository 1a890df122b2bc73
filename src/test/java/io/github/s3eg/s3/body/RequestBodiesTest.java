package io.github.s3eg.s3.body;

import static io.github.s3eg.s3.testing.S3Errors.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.auth.AuthResult;
import io.github.s3eg.s3.auth.PayloadMode;
import io.github.s3eg.s3.testing.CapturedRequest;
import io.github.s3eg.s3.testing.CapturingHttpClient;
import io.github.s3eg.s3.testing.SdkClients;
import io.github.s3eg.s3.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Bodies encoded by the real AWS SDK for Java v2 in every payload mode it uses, authenticated and
 * then decoded and verified by {@link RequestBodies}; and the same bodies tampered with.
 */
class RequestBodiesTest {

  /** Four full 128 KiB SDK chunks and a partial one. */
  private static final byte[] DATA = new byte[4 * 131072 + 1234];

  private static CapturingHttpClient http;
  private static S3Client signedTrailer;
  private static S3Client signedChunks;
  private static S3Client unsignedTrailer;
  private static S3Client unsignedPayload;
  private static S3Client hexSha256;

  @BeforeAll
  static void clients() {
    new Random(11).nextBytes(DATA);
    http = new CapturingHttpClient();
    signedTrailer = SdkClients.s3(http, "http://localhost:9000");
    signedChunks = SdkClients.s3WhenRequired(http, "http://localhost:9000");
    unsignedTrailer = SdkClients.s3(http, "https://localhost:9443");
    unsignedPayload = SdkClients.s3WhenRequired(http, "https://localhost:9443");
    hexSha256 =
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
    for (S3Client c :
        new S3Client[] {signedTrailer, signedChunks, unsignedTrailer, unsignedPayload, hexSha256}) {
      c.close();
    }
  }

  @Test
  void everySdkPayloadModeDecodesToTheOriginal() throws Exception {
    assertRoundTrip(signedTrailer, r -> {}, PayloadMode.STREAMING_SIGNED_TRAILER);
    assertRoundTrip(signedChunks, r -> {}, PayloadMode.STREAMING_SIGNED);
    assertRoundTrip(unsignedTrailer, r -> {}, PayloadMode.STREAMING_UNSIGNED_TRAILER);
    assertRoundTrip(unsignedPayload, r -> {}, PayloadMode.UNSIGNED);
    assertRoundTrip(hexSha256, r -> {}, PayloadMode.SHA256);
  }

  @Test
  void everyTrailerChecksumTheSdkComputes() throws Exception {
    // CRC64NVME needs the AWS CRT native library, which is not on the classpath; it is covered
    // by Crc64NvmeTest and the hand-encoded trailers of AwsChunkedInputStreamTest.
    for (ChecksumAlgorithm algorithm :
        new ChecksumAlgorithm[] {
          ChecksumAlgorithm.CRC32,
          ChecksumAlgorithm.CRC32_C,
          ChecksumAlgorithm.SHA1,
          ChecksumAlgorithm.SHA256
        }) {
      assertRoundTrip(
          signedTrailer, r -> r.checksumAlgorithm(algorithm), PayloadMode.STREAMING_SIGNED_TRAILER);
      assertRoundTrip(
          unsignedTrailer,
          r -> r.checksumAlgorithm(algorithm),
          PayloadMode.STREAMING_UNSIGNED_TRAILER);
    }
  }

  @Test
  void contentMd5AndChecksumHeadersAreVerified() throws Exception {
    String md5 = Base64.getEncoder().encodeToString(PayloadVerifyingInputStreamTest.md5(DATA));
    CapturedRequest withMd5 = put(unsignedPayload, r -> r.contentMD5(md5));
    assertThat(withMd5.header("content-md5")).isEqualTo(md5);
    assertThat(decode(withMd5)).isEqualTo(DATA);

    String crc =
        AwsChunkedInputStreamTest.independentChecksum(
            io.github.s3eg.s3.body.ChecksumAlgorithm.CRC32, DATA);
    CapturedRequest withCrc = put(unsignedPayload, r -> r.checksumCRC32(crc));
    assertThat(withCrc.header("x-amz-checksum-crc32")).isEqualTo(crc);
    assertThat(decode(withCrc)).isEqualTo(DATA);

    // The same headers on a body that does not match.
    assertS3Error(
        () -> decode(withMd5.withBody(tamper(withMd5.body(), 100))), S3ErrorCode.BAD_DIGEST);
    assertS3Error(
        () -> decode(withCrc.withBody(tamper(withCrc.body(), 100))), S3ErrorCode.BAD_DIGEST);
  }

  @Test
  void tamperedBodyIsRejectedInEveryPayloadMode() {
    assertS3Error(
        () -> decode(tampered(put(hexSha256, r -> {}))), S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH);
    assertS3Error(
        () -> decode(tampered(put(signedChunks, r -> {}))), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    assertS3Error(
        () -> decode(tampered(put(signedTrailer, r -> {}))), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    S3ErrorCode unsignedTrailerError =
        assertS3Error(() -> decode(tampered(put(unsignedTrailer, r -> {}))), S3ErrorCode.BAD_DIGEST)
            .errorCode();
    assertThat(unsignedTrailerError.httpStatus()).isEqualTo(400);
  }

  @Test
  void wrongCrc32TrailerOfTheSdkBodyIsBadDigest() {
    CapturedRequest captured = put(unsignedTrailer, r -> {});
    String body = new String(captured.body(), StandardCharsets.ISO_8859_1);
    String crc = captured.header("x-amz-trailer");
    assertThat(crc).isEqualTo("x-amz-checksum-crc32");
    String forged =
        body.replaceAll("x-amz-checksum-crc32:[A-Za-z0-9+/=]+", "x-amz-checksum-crc32:AAAAAA==");

    assertS3Error(
        () -> decode(captured.withBody(forged.getBytes(StandardCharsets.ISO_8859_1))),
        S3ErrorCode.BAD_DIGEST);
  }

  @Test
  void badChunkInTheMiddleOfAnSdkStreamReleasesOnlyTheChunksBeforeIt() throws Exception {
    CapturedRequest captured = put(signedChunks, r -> {});
    String text = new String(captured.body(), StandardCharsets.ISO_8859_1);
    int secondChunkHeader = text.indexOf("20000;chunk-signature=", 10);
    int secondChunkData = text.indexOf("\r\n", secondChunkHeader) + 2;
    CapturedRequest bad = captured.withBody(tamper(captured.body(), secondChunkData + 500));
    AuthResult auth = TestGateway.atSigningTimeOf(bad).authenticate(bad.signedRequest());
    VerifiedBody body = RequestBodies.open(auth, bad.signedRequest(), bad.bodyStream());

    ByteArrayOutputStream got = new ByteArrayOutputStream();
    Throwable failure = AwsChunkedInputStreamTest.readUntilFailure(body.stream(), got);

    assertThat(BodyVerificationException.find(failure).orElseThrow().errorCode())
        .isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    assertThat(got.size()).as("exactly the first 128 KiB chunk").isEqualTo(131072);
    assertThat(got.toByteArray()).isEqualTo(java.util.Arrays.copyOf(DATA, 131072));
  }

  @Test
  void decodedLengthHeaderMustMatchTheBody() {
    CapturedRequest captured = put(unsignedTrailer, r -> {});
    AuthResult auth = TestGateway.atSigningTimeOf(captured).authenticate(captured.signedRequest());
    CapturedRequest lying =
        captured.withHeader("x-amz-decoded-content-length", Integer.toString(DATA.length + 1));

    assertS3Error(
        () ->
            RequestBodies.open(auth, lying.signedRequest(), lying.bodyStream()).stream()
                .readAllBytes(),
        S3ErrorCode.INCOMPLETE_BODY);
  }

  @Test
  void headerProblemsAreFoundBeforeReading() {
    CapturedRequest chunked = put(unsignedTrailer, r -> {});
    AuthResult chunkedAuth =
        TestGateway.atSigningTimeOf(chunked).authenticate(chunked.signedRequest());
    CapturedRequest plain = put(unsignedPayload, r -> {});
    AuthResult plainAuth = TestGateway.atSigningTimeOf(plain).authenticate(plain.signedRequest());

    assertS3Error(
        () -> open(chunkedAuth, chunked.withoutHeader("x-amz-decoded-content-length")),
        S3ErrorCode.MISSING_CONTENT_LENGTH);
    assertS3Error(
        () -> open(chunkedAuth, chunked.withHeader("x-amz-trailer", "x-amz-checksum-md5")),
        S3ErrorCode.INVALID_REQUEST);
    assertS3Error(
        () -> open(plainAuth, plain.withHeader("Content-MD5", "not-base64!")),
        S3ErrorCode.INVALID_DIGEST);
    assertS3Error(
        () -> open(plainAuth, plain.withHeader("Content-MD5", "AAAA")), S3ErrorCode.INVALID_DIGEST);
    assertS3Error(
        () -> open(plainAuth, plain.withHeader("Content-Encoding", "aws-chunked")),
        S3ErrorCode.INVALID_REQUEST);
    assertS3Error(
        () -> open(plainAuth, plain.withHeader("x-amz-trailer", "x-amz-checksum-crc32")),
        S3ErrorCode.INVALID_REQUEST);
    assertS3Error(
        () ->
            open(
                plainAuth,
                plain
                    .withHeader("x-amz-checksum-crc32", "AAAAAA==")
                    .withHeader("x-amz-checksum-sha1", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")),
        S3ErrorCode.INVALID_REQUEST);
    assertS3Error(
        () -> open(plainAuth, plain.withHeader("x-amz-checksum-crc32", "AAAA")),
        S3ErrorCode.INVALID_REQUEST);
    assertS3Error(
        () -> open(plainAuth, plain.withHeader("Content-Length", "lots")),
        S3ErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void completeMultipartUploadChecksumHeadersDescribeTheObjectNotTheXml() throws Exception {
    byte[] xml = "<CompleteMultipartUpload/>".getBytes(StandardCharsets.UTF_8);
    CapturedRequest request =
        put(unsignedPayload, r -> {})
            .withMethod("POST")
            .withQuery("uploadId=abc")
            .withHeader("Content-Length", Integer.toString(xml.length))
            .withHeader("x-amz-checksum-crc32", "AAAAAA==")
            .withBody(xml);
    CapturedRequest plain = put(unsignedPayload, r -> {});
    AuthResult auth = TestGateway.atSigningTimeOf(plain).authenticate(plain.signedRequest());

    assertThat(open(auth, request).stream().readAllBytes()).isEqualTo(xml);
  }

  @Test
  void awsChunkedIsRemovedFromTheStoredContentEncoding() throws Exception {
    CapturedRequest captured = put(unsignedTrailer, r -> r.contentEncoding("gzip"));
    assertThat(String.join(",", captured.signedRequest().headers().all("content-encoding")))
        .contains("aws-chunked")
        .contains("gzip");
    AuthResult auth = TestGateway.atSigningTimeOf(captured).authenticate(captured.signedRequest());

    VerifiedBody body = open(auth, captured);

    assertThat(body.contentEncoding()).contains("gzip");
    assertThat(body.contentLength()).isEqualTo(DATA.length);
    assertThat(body.stream().readAllBytes()).isEqualTo(DATA);
  }

  // --- helpers ---

  private static void assertRoundTrip(
      S3Client client, Consumer<PutObjectRequest.Builder> customize, PayloadMode expected)
      throws Exception {
    CapturedRequest captured = put(client, customize);
    AuthResult auth = TestGateway.atSigningTimeOf(captured).authenticate(captured.signedRequest());
    assertThat(auth.payloadMode()).isEqualTo(expected);
    VerifiedBody body = RequestBodies.open(auth, captured.signedRequest(), captured.bodyStream());
    assertThat(body.contentLength()).isEqualTo(DATA.length);
    assertThat(body.stream().readAllBytes()).isEqualTo(DATA);
  }

  private static CapturedRequest put(
      S3Client client, Consumer<PutObjectRequest.Builder> customize) {
    client.putObject(
        r -> {
          r.bucket("bucket").key("dir/object.bin");
          customize.accept(r);
        },
        RequestBody.fromBytes(DATA));
    return http.last();
  }

  private static byte[] decode(CapturedRequest captured) throws Exception {
    AuthResult auth = TestGateway.atSigningTimeOf(captured).authenticate(captured.signedRequest());
    return open(auth, captured).stream().readAllBytes();
  }

  private static VerifiedBody open(AuthResult auth, CapturedRequest request) {
    return RequestBodies.open(auth, request.signedRequest(), request.bodyStream());
  }

  /** Flips one bit of the payload, well inside the data of the third chunk. */
  private static CapturedRequest tampered(CapturedRequest captured) {
    return captured.withBody(tamper(captured.body(), 2 * 131072 + 4000));
  }

  private static byte[] tamper(byte[] body, int index) {
    byte[] copy = body.clone();
    copy[index] ^= 0x01;
    return copy;
  }
}

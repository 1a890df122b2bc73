package io.github.s3eg.s3.body;

import static io.github.s3eg.s3.testing.S3Errors.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.auth.AuthResult;
import io.github.s3eg.s3.auth.PayloadMode;
import io.github.s3eg.s3.auth.RequestHeaders;
import io.github.s3eg.s3.auth.SignedRequest;
import io.github.s3eg.s3.testing.DocExamples;
import io.github.s3eg.s3.testing.TestChunkEncoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chunked-upload examples of the S3 API reference, "Signature Calculations for the
 * Authorization Header: Transferring Payload in Multiple Chunks" and "… Including Trailing
 * Headers": a PUT of 66,560 bytes of {@code a} in a 64 KiB and a 1 KiB chunk, with the documented
 * seed, chunk and trailer signatures as known answers.
 */
class AwsDocumentedChunkedExamplesTest {

  private static final String SCOPE = "20130524/us-east-1/s3/aws4_request";
  private static final String TIMESTAMP = "20130524T000000Z";

  @Test
  void documentedChunkSignaturesAreReproducedByTheIndependentTestSigner() {
    TestChunkEncoder encoder =
        new TestChunkEncoder(
            DocExamples.SECRET_KEY,
            TIMESTAMP,
            SCOPE,
            "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
    assertThat(encoder.chunkSignature(a(65536)))
        .isEqualTo("ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
    assertThat(encoder.chunkSignature(a(1024)))
        .isEqualTo("0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497");
    assertThat(encoder.chunkSignature(new byte[0]))
        .isEqualTo("b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
  }

  @Test
  void documentedChunkedUpload() throws Exception {
    byte[] body =
        body(
            "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
            "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
            "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
            "");
    assertThat(body).as("the documented Content-Length").hasSize(66824);
    SignedRequest request =
        request(
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                + "x-amz-decoded-content-length;x-amz-storage-class",
            "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
            Map.of("content-length", "66824"));

    AuthResult auth = DocExamples.authenticator(DocExamples.TIME).authenticate(request);
    assertThat(auth.payloadMode()).isEqualTo(PayloadMode.STREAMING_SIGNED);
    VerifiedBody verified = RequestBodies.open(auth, request, new ByteArrayInputStream(body));

    assertThat(verified.contentLength()).isEqualTo(66560);
    assertThat(verified.contentEncoding()).isEmpty();
    assertThat(verified.stream().readAllBytes()).isEqualTo(a(66560));
  }

  @Test
  void documentedChunkedUploadWithAWrongFinalSignatureFails() throws Exception {
    byte[] body =
        body(
            "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
            "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
            "c6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
            "");
    SignedRequest request =
        request(
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                + "x-amz-decoded-content-length;x-amz-storage-class",
            "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
            Map.of("content-length", "66824"));
    AuthResult auth = DocExamples.authenticator(DocExamples.TIME).authenticate(request);
    VerifiedBody verified = RequestBodies.open(auth, request, new ByteArrayInputStream(body));

    byte[] buffer = new byte[70000];
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    assertS3Error(
        () -> {
          int n;
          while ((n = verified.stream().read(buffer)) >= 0) {
            got.write(buffer, 0, n);
          }
        },
        S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    assertThat(got.size())
        .as("the 1 KiB chunk is the last data: it is held until the final chunk verifies")
        .isEqualTo(65536);
  }

  @Test
  void documentedChunkedUploadWithTrailer() throws Exception {
    String trailer =
        "x-amz-checksum-crc32c:sOO8/Q==\r\n"
            + "x-amz-trailer-signature:"
            + "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n";
    byte[] body =
        body(
            "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
            "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
            "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
            trailer);
    SignedRequest request =
        request(
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
            "content-encoding;host;x-amz-content-sha256;x-amz-date;"
                + "x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer",
            "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e",
            Map.of("x-amz-trailer", "x-amz-checksum-crc32c"));

    AuthResult auth = DocExamples.authenticator(DocExamples.TIME).authenticate(request);
    assertThat(auth.payloadMode()).isEqualTo(PayloadMode.STREAMING_SIGNED_TRAILER);
    VerifiedBody verified = RequestBodies.open(auth, request, new ByteArrayInputStream(body));

    assertThat(verified.stream().readAllBytes()).isEqualTo(a(66560));
  }

  /** The documented body: 64 KiB and 1 KiB of 'a', then the final chunk and the trailer. */
  private static byte[] body(String sig1, String sig2, String sigFinal, String trailer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("10000;chunk-signature=" + sig1 + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(a(65536));
    out.writeBytes(
        ("\r\n400;chunk-signature=" + sig2 + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(a(1024));
    out.writeBytes(
        ("\r\n0;chunk-signature=" + sigFinal + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes((trailer + "\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static SignedRequest request(
      String contentSha256, String signedHeaders, String seed, Map<String, String> extra) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Host", List.of("s3.amazonaws.com"));
    headers.put("x-amz-date", List.of(TIMESTAMP));
    headers.put("x-amz-storage-class", List.of("REDUCED_REDUNDANCY"));
    headers.put("x-amz-content-sha256", List.of(contentSha256));
    headers.put("Content-Encoding", List.of("aws-chunked"));
    headers.put("x-amz-decoded-content-length", List.of("66560"));
    extra.forEach((k, v) -> headers.put(k, List.of(v)));
    headers.put(
        "Authorization",
        List.of(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"
                + SCOPE
                + ",SignedHeaders="
                + signedHeaders
                + ",Signature="
                + seed));
    return new SignedRequest(
        "PUT", "/examplebucket/chunkObject.txt", "", RequestHeaders.ofMap(headers));
  }

  private static byte[] a(int n) {
    byte[] bytes = new byte[n];
    Arrays.fill(bytes, (byte) 'a');
    return bytes;
  }
}

package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * CopyObject when the body has to pass through the gateway: a source encrypted with another
 * algorithm than the configured one, and a plaintext source. A copy is a new write: it gets the
 * configured algorithm (and compression when the policy chooses it), checked at the backend. Two
 * gateways share one backend and one password, as during an algorithm change.
 */
class ReencryptingCopyTest {

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Test
  void aCopyOfAnotherAlgorithmsObjectIsReencryptedToTheConfiguredOne() throws Exception {
    try (TestBackend backend = TestBackend.start();
        GatewayFixture aes = GatewayFixture.startOn(backend, Map.of());
        GatewayFixture chacha =
            GatewayFixture.startOn(
                backend,
                Map.of(
                    "ENCRYPTION_PREFERRED_ALGORITHM", "CHACHA20-POLY1305",
                    "COMPRESSION_ENABLED", "true"));
        S3Client oldWriter = aes.defaultClient();
        S3Client s3 = chacha.defaultClient();
        S3Client direct = backend.directClient()) {
      oldWriter.createBucket(b -> b.bucket("algo"));
      byte[] binary = new byte[3_000_000];
      new java.util.Random(5).nextBytes(binary);
      byte[] text = CompressionPipelineTest.text(6, 2_000_000);
      oldWriter.putObject(
          b -> b.bucket("algo").key("bin").contentType("application/octet-stream"),
          RequestBody.fromBytes(binary));
      oldWriter.putObject(
          b -> b.bucket("algo").key("log").contentType("text/plain"), RequestBody.fromBytes(text));
      String binEtag = oldWriter.headObject(b -> b.bucket("algo").key("bin")).eTag();
      assertThat(direct.headObject(b -> b.bucket("algo").key("bin")).metadata())
          .containsEntry("s3eg-alg", "AES256-GCM");

      chacha.probe().reset();
      s3.copyObject(
          b ->
              b.sourceBucket("algo")
                  .sourceKey("bin")
                  .destinationBucket("algo")
                  .destinationKey("bin-copy"));
      // The body passed through the gateway: read from the backend and written back.
      assertThat(chacha.probe().requests())
          .extracting(CountingProxy.SeenRequest::method)
          .contains("GET", "PUT");
      Map<String, String> copied =
          direct.headObject(b -> b.bucket("algo").key("bin-copy")).metadata();
      assertThat(copied)
          .containsEntry("s3eg-alg", "CHACHA20-POLY1305")
          .containsEntry("s3eg-v", "1")
          .containsKey("s3eg-etag");
      assertThat(s3.getObjectAsBytes(b -> b.bucket("algo").key("bin-copy")).asByteArray())
          .isEqualTo(binary);
      assertThat(s3.headObject(b -> b.bucket("algo").key("bin-copy")).eTag()).isEqualTo(binEtag);
      // The SDK's CRC32 of the source goes with the copy, sealed under its new data key.
      assertThat(
              s3.headObject(
                      b ->
                          b.bucket("algo")
                              .key("bin-copy")
                              .checksumMode(
                                  software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED))
                  .checksumCRC32())
          .isEqualTo(ChecksumsTest.crc32(binary));
      // The old gateway still reads the copy (it reads every supported algorithm).
      assertThat(oldWriter.getObjectAsBytes(b -> b.bucket("algo").key("bin-copy")).asByteArray())
          .isEqualTo(binary);

      // A text copy is a new write: compressed under the copying gateway's policy.
      s3.copyObject(
          b ->
              b.sourceBucket("algo")
                  .sourceKey("log")
                  .destinationBucket("algo")
                  .destinationKey("log-copy"));
      var raw = direct.getObjectAsBytes(b -> b.bucket("algo").key("log-copy"));
      assertThat(raw.response().metadata())
          .containsEntry("s3eg-alg", "CHACHA20-POLY1305")
          .containsEntry("s3eg-v", "2")
          .containsEntry("s3eg-cmp", "zstd.262144");
      assertThat(raw.asByteArray().length).isLessThan(text.length / 2);
      assertThat(s3.getObjectAsBytes(b -> b.bucket("algo").key("log-copy")).asByteArray())
          .isEqualTo(text);

      // Same algorithm: server-side, no body through the gateway; compression travels along.
      chacha.probe().reset();
      s3.copyObject(
          b ->
              b.sourceBucket("algo")
                  .sourceKey("log-copy")
                  .destinationBucket("algo")
                  .destinationKey("log-copy2")
                  .metadataDirective(MetadataDirective.REPLACE)
                  .contentType("text/plain"));
      // No GET of the object (the source's tags are read, ?tagging: a copy keeps them).
      assertThat(chacha.probe().requests())
          .filteredOn(r -> !r.target().contains("?tagging"))
          .extracting(CountingProxy.SeenRequest::method)
          .doesNotContain("GET");
      assertThat(direct.headObject(b -> b.bucket("algo").key("log-copy2")).metadata())
          .containsEntry("s3eg-cmp", "zstd.262144");
      assertThat(s3.getObjectAsBytes(b -> b.bucket("algo").key("log-copy2")).asByteArray())
          .isEqualTo(text);
      assertThat(CompressionPipelineTest.spoolFiles()).isEmpty();
    }
  }

  @Test
  void aPlaintextSourceIsEncryptedByStreaming() throws Exception {
    try (GatewayFixture f =
            GatewayFixture.start(Map.of("ENCRYPTION_ALLOW_PLAINTEXT_READS", "true"));
        S3Client s3 = f.defaultClient();
        S3Client direct = f.backend().directClient()) {
      s3.createBucket(b -> b.bucket("legacy"));
      byte[] data =
          "old plaintext from before the gateway, PLAINTEXT-MARKER"
              .repeat(20_000)
              .getBytes(StandardCharsets.US_ASCII);
      direct.putObject(
          b -> b.bucket("legacy").key("old").contentType("application/octet-stream"),
          RequestBody.fromBytes(data));
      s3.copyObject(
          b ->
              b.sourceBucket("legacy")
                  .sourceKey("old")
                  .destinationBucket("legacy")
                  .destinationKey("encrypted"));
      var raw = direct.getObjectAsBytes(b -> b.bucket("legacy").key("encrypted"));
      GetObjectResponse r = raw.response();
      assertThat(r.metadata()).containsEntry("s3eg-alg", "AES256-GCM").containsKey("s3eg-etag");
      assertThat(contains(raw.asByteArray(), "PLAINTEXT-MARKER".getBytes())).isFalse();
      assertThat(s3.getObjectAsBytes(b -> b.bucket("legacy").key("encrypted")).asByteArray())
          .isEqualTo(data);
      assertThat(s3.headObject(b -> b.bucket("legacy").key("encrypted")).eTag())
          .isEqualTo("\"" + CompressionPipelineTest.md5Hex(data) + "\"");
    }
  }
}

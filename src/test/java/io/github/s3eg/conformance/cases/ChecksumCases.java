package io.github.s3eg.conformance.cases;

import static io.github.s3eg.conformance.CaseContext.bytes;
import static io.github.s3eg.conformance.CaseContext.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.conformance.CaseTable;
import io.github.s3eg.conformance.HttpResult;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;

/**
 * Additional checksums (S3 API reference: "Checking object integrity", PutObject x-amz-checksum-*,
 * GetObject/HeadObject with x-amz-checksum-mode: ENABLED, GetObjectAttributes).
 */
final class ChecksumCases {

  private ChecksumCases() {}

  static String crc32(byte[] b) {
    CRC32 c = new CRC32();
    c.update(b);
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) c.getValue()).array());
  }

  static String crc32c(byte[] b) {
    CRC32C c = new CRC32C();
    c.update(b);
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) c.getValue()).array());
  }

  static String digest(String algorithm, byte[] b) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance(algorithm).digest(b));
  }

  static void addTo(CaseTable t) {
    t.add(
        "checksums/sdk-defaults-round-trip",
        "The SDK at its defaults (CRC32 trailer on PUT, validation on GET) stores and reads back",
        c -> {
          byte[] body = bytes(300_000);
          c.s3WithDefaultChecksums()
              .putObject(r -> r.bucket(c.bucket()).key("k"), RequestBody.fromBytes(body));
          assertThat(
                  c.s3WithDefaultChecksums()
                      .getObjectAsBytes(
                          r -> r.bucket(c.bucket()).key("k").checksumMode(ChecksumMode.ENABLED))
                      .asByteArray())
              .isEqualTo(body);
        });
    String[][] headers = {
      {"crc32", "x-amz-checksum-crc32", "CRC32"},
      {"crc32c", "x-amz-checksum-crc32c", "CRC32C"},
      {"sha1", "x-amz-checksum-sha1", "SHA-1"},
      {"sha256", "x-amz-checksum-sha256", "SHA-256"},
    };
    for (String[] h : headers) {
      t.add(
          "checksums/put-" + h[0] + "-header-returned-on-head",
          "PutObject with " + h[1] + " (header); HEAD with checksum mode ENABLED returns it",
          c -> {
            byte[] body = bytes(5000);
            String value = value(h[2], body);
            HttpResult put =
                c.request("PUT").bucket(c.bucket()).key("k").header(h[1], value).body(body).send();
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
            assertThat(put.header(h[1])).isEqualTo(value);
            HttpResult head =
                c.request("HEAD")
                    .bucket(c.bucket())
                    .key("k")
                    .header("x-amz-checksum-mode", "ENABLED")
                    .send();
            assertThat(head.header(h[1])).isEqualTo(value);
          });
      t.add(
          "checksums/put-" + h[0] + "-mismatch",
          "PutObject with a wrong " + h[1] + ": 400 BadDigest, nothing stored",
          c -> {
            byte[] body = bytes(5000);
            String wrong = value(h[2], bytes(5001));
            expectError(
                400,
                "BadDigest",
                c.request("PUT").bucket(c.bucket()).key("k").header(h[1], wrong).body(body).send());
            expectError(404, "NoSuchKey", () -> c.get("k"));
          });
    }
    t.add(
        "checksums/get-returns-checksum",
        "GetObject with checksum mode ENABLED returns the stored CRC32",
        c -> {
          byte[] body = bytes(5000);
          c.s3()
              .putObject(
                  r -> r.bucket(c.bucket()).key("k").checksumCRC32(crc32(body)),
                  RequestBody.fromBytes(body));
          var got =
              c.s3()
                  .getObjectAsBytes(
                      r -> r.bucket(c.bucket()).key("k").checksumMode(ChecksumMode.ENABLED));
          assertThat(got.response().checksumCRC32()).isEqualTo(crc32(body));
        });
    t.add(
        "checksums/no-checksum-without-mode",
        "Without checksum mode, GET does not return x-amz-checksum-*",
        c -> {
          byte[] body = bytes(100);
          c.request("PUT")
              .bucket(c.bucket())
              .key("k")
              .header("x-amz-checksum-crc32", crc32(body))
              .body(body)
              .send();
          HttpResult r = c.request("GET").bucket(c.bucket()).key("k").send();
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.header("x-amz-checksum-crc32")).isNull();
        });
    t.add(
        "checksums/sdk-algorithm-crc32c",
        "The SDK with checksumAlgorithm CRC32C (trailer) stores; HEAD returns the CRC32C",
        c -> {
          byte[] body = bytes(70_000);
          c.s3WithDefaultChecksums()
              .putObject(
                  r -> r.bucket(c.bucket()).key("k").checksumAlgorithm(ChecksumAlgorithm.CRC32_C),
                  RequestBody.fromBytes(body));
          assertThat(
                  c.s3WithDefaultChecksums()
                      .headObject(
                          r -> r.bucket(c.bucket()).key("k").checksumMode(ChecksumMode.ENABLED))
                      .checksumCRC32C())
              .isEqualTo(crc32c(body));
        });
    t.add(
        "checksums/object-attributes",
        "GetObjectAttributes answers the ETag and the object's size",
        c -> {
          byte[] body = bytes(4321);
          String etag = c.put("k", body).eTag();
          var r =
              c.s3()
                  .getObjectAttributes(
                      a ->
                          a.bucket(c.bucket())
                              .key("k")
                              .objectAttributes(
                                  ObjectAttributes.E_TAG, ObjectAttributes.OBJECT_SIZE));
          assertThat(r.objectSize()).isEqualTo(4321L);
          assertThat("\"" + r.eTag() + "\"").isEqualTo(etag);
        });
    t.add(
        "checksums/object-attributes-checksum",
        "GetObjectAttributes answers the object's stored checksum",
        c -> {
          byte[] body = bytes(4321);
          c.request("PUT")
              .bucket(c.bucket())
              .key("k")
              .header("x-amz-checksum-sha256", digest("SHA-256", body))
              .body(body)
              .send();
          var r =
              c.s3()
                  .getObjectAttributes(
                      a ->
                          a.bucket(c.bucket())
                              .key("k")
                              .objectAttributes(ObjectAttributes.CHECKSUM));
          assertThat(r.checksum().checksumSHA256()).isEqualTo(digest("SHA-256", body));
        });
    t.add(
        "checksums/multipart-parts-listed",
        "A multipart upload with CRC32: ListParts gives each part's checksum",
        c -> {
          String id =
              c.s3WithDefaultChecksums()
                  .createMultipartUpload(
                      r -> r.bucket(c.bucket()).key("k").checksumAlgorithm(ChecksumAlgorithm.CRC32))
                  .uploadId();
          byte[] part = bytes(1000);
          c.s3WithDefaultChecksums()
              .uploadPart(
                  r ->
                      r.bucket(c.bucket())
                          .key("k")
                          .uploadId(id)
                          .partNumber(1)
                          .checksumAlgorithm(ChecksumAlgorithm.CRC32),
                  RequestBody.fromBytes(part));
          var parts =
              c.s3WithDefaultChecksums().listParts(r -> r.bucket(c.bucket()).key("k").uploadId(id));
          assertThat(parts.parts().get(0).checksumCRC32()).isEqualTo(crc32(part));
        });
  }

  private static String value(String algorithm, byte[] body) throws Exception {
    return switch (algorithm) {
      case "CRC32" -> crc32(body);
      case "CRC32C" -> crc32c(body);
      default -> digest(algorithm, body);
    };
  }
}

package io.github.s3eg.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/** Object contents for tests and the few ways tests write or damage them. */
public final class TestObjects {

  private TestObjects() {}

  /** {@code size} bytes that repeat for the same seed and do not compress. */
  public static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** {@code size} bytes of numbered ASCII lines, which compress well. */
  static byte[] compressibleText(int size) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; s.length() < size; i++) {
      s.append("line ").append(i).append(" of a compressible text\n");
    }
    return s.substring(0, size).getBytes(StandardCharsets.US_ASCII);
  }

  /** Uploads {@code content} in parts of {@code partSize} bytes (the last one shorter). */
  public static void multipart(
      S3Client s3, String bucket, String key, byte[] content, int partSize) {
    String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    for (int n = 1, off = 0; off < content.length; n++, off += partSize) {
      int number = n;
      byte[] part = Arrays.copyOfRange(content, off, Math.min(content.length, off + partSize));
      String etag =
          s3.uploadPart(
                  b -> b.bucket(bucket).key(key).uploadId(id).partNumber(number),
                  RequestBody.fromBytes(part))
              .eTag();
      parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
    }
    s3.completeMultipartUpload(
        b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
  }

  /**
   * Flips one bit of the stored body at {@code offset}, keeping its metadata: a tampered object as
   * the backend holds it ({@code direct} talks to the backend, not to a gateway).
   */
  static void flipStoredByte(S3Client direct, String bucket, String key, int offset) {
    var stored = direct.getObjectAsBytes(b -> b.bucket(bucket).key(key));
    byte[] body = stored.asByteArray();
    body[offset] ^= 1;
    direct.putObject(
        b -> b.bucket(bucket).key(key).metadata(stored.response().metadata()),
        RequestBody.fromBytes(body));
  }
}

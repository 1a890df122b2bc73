package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The gateway's basic S3 surface in front of Ceph's RADOS Gateway (the {@code ceph} provider
 * preset): PUT, GET (whole and ranged), HEAD, LIST, COPY, DELETE, DeleteObjects and multipart
 * through the gateway, and the backend read directly holding only ciphertext.
 */
class CephGatewayTest {

  private static CephBackend ceph;
  private static GatewayFixture gateway;
  private static S3Client client;
  private static S3Client backend;

  @BeforeAll
  static void start() throws Exception {
    ceph = CephBackend.shared();
    gateway = GatewayFixture.startOn(ceph, Map.of());
    client = gateway.defaultClient();
    backend = ceph.directClient();
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      client.close();
      backend.close();
      gateway.close();
    }
  }

  private static String newBucketThroughGateway(String purpose) {
    String bucket = purpose + "-" + Long.toString(System.nanoTime(), 36);
    client.createBucket(b -> b.bucket(bucket));
    return bucket;
  }

  private static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  private static String md5Hex(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }

  @Test
  void putGetHeadListDeleteRoundTripThroughTheGateway() throws Exception {
    String bucket = newBucketThroughGateway("gw-basics");
    byte[] data = random(300_001, 1);
    client.putObject(
        b -> b.bucket(bucket).key("dir/doc.bin").metadata(Map.of("color", "blue")),
        RequestBody.fromBytes(data));
    client.putObject(b -> b.bucket(bucket).key("dir/empty"), RequestBody.empty());

    assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key("dir/doc.bin")).asByteArray())
        .isEqualTo(data);
    assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key("dir/empty")).asByteArray())
        .isEmpty();
    byte[] range =
        client
            .getObjectAsBytes(b -> b.bucket(bucket).key("dir/doc.bin").range("bytes=70000-70099"))
            .asByteArray();
    assertThat(range).isEqualTo(Arrays.copyOfRange(data, 70_000, 70_100));

    HeadObjectResponse head = client.headObject(b -> b.bucket(bucket).key("dir/doc.bin"));
    assertThat(head.contentLength()).isEqualTo(data.length);
    assertThat(head.eTag()).isEqualTo("\"" + md5Hex(data) + "\"");
    assertThat(head.metadata()).containsEntry("color", "blue");
    // RGW 16.2 stores the backend upload's "aws-chunked" as Content-Encoding: never shown.
    assertThat(head.contentEncoding()).isNull();
    assertThat(
            client.getObject(b -> b.bucket(bucket).key("dir/doc.bin")).response().contentEncoding())
        .isNull();

    List<S3Object> listed = client.listObjectsV2(b -> b.bucket(bucket)).contents();
    assertThat(listed).extracting(S3Object::key).containsExactly("dir/doc.bin", "dir/empty");
    assertThat(listed).extracting(S3Object::size).containsExactly((long) data.length, 0L);

    client.copyObject(
        b ->
            b.sourceBucket(bucket)
                .sourceKey("dir/doc.bin")
                .destinationBucket(bucket)
                .destinationKey("copy.bin"));
    assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key("copy.bin")).asByteArray())
        .isEqualTo(data);

    client.deleteObject(b -> b.bucket(bucket).key("dir/doc.bin"));
    assertThatThrownBy(() -> client.headObject(b -> b.bucket(bucket).key("dir/doc.bin")))
        .isInstanceOf(NoSuchKeyException.class);
    client.deleteObjects(
        b ->
            b.bucket(bucket)
                .delete(
                    d ->
                        d.objects(
                            ObjectIdentifier.builder().key("dir/empty").build(),
                            ObjectIdentifier.builder().key("copy.bin").build())));
    assertThat(client.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
    client.deleteBucket(b -> b.bucket(bucket));
    assertThat(backend.listBuckets().buckets()).noneMatch(b -> b.name().equals(bucket));
  }

  @Test
  void objectHeadersSurviveTheBackend() {
    String bucket = newBucketThroughGateway("gw-headers");
    client.putObject(
        b ->
            b.bucket(bucket)
                .key("page.html.gz")
                .contentType("text/html")
                .contentEncoding("gzip")
                .contentDisposition("inline")
                .cacheControl("max-age=60"),
        RequestBody.fromString("not really gzip"));

    var got = client.getObject(b -> b.bucket(bucket).key("page.html.gz")).response();
    assertThat(got.contentType()).isEqualTo("text/html");
    assertThat(got.contentEncoding()).isEqualTo("gzip");
    assertThat(got.contentDisposition()).isEqualTo("inline");
    assertThat(got.cacheControl()).isEqualTo("max-age=60");
  }

  @Test
  void backendHoldsOnlyCiphertext() {
    String bucket = newBucketThroughGateway("gw-cipher");
    String secret = "the plaintext that must never reach the backend ".repeat(200);
    client.putObject(b -> b.bucket(bucket).key("secret.txt"), RequestBody.fromString(secret));

    byte[] stored = backend.getObjectAsBytes(b -> b.bucket(bucket).key("secret.txt")).asByteArray();
    assertThat(stored.length).isGreaterThan(secret.length());
    assertThat(new String(stored, StandardCharsets.ISO_8859_1))
        .doesNotContain("the plaintext that must never reach the backend");
    // The gateway's envelope (wrapped data key, format) travels as the backend object's metadata.
    assertThat(backend.headObject(b -> b.bucket(bucket).key("secret.txt")).metadata()).isNotEmpty();
  }

  @Test
  void multipartUploadThroughTheGatewayIsEncryptedPartByPart() throws Exception {
    String bucket = newBucketThroughGateway("gw-multipart");
    byte[] first = new byte[5 * 1024 * 1024];
    Arrays.fill(first, (byte) 'a');
    byte[] second = "the last, short part".getBytes(StandardCharsets.UTF_8);
    String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key("big.bin")).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    byte[][] bodies = {first, second};
    for (int n = 1; n <= bodies.length; n++) {
      int number = n;
      String etag =
          client
              .uploadPart(
                  b -> b.bucket(bucket).key("big.bin").uploadId(uploadId).partNumber(number),
                  RequestBody.fromBytes(bodies[number - 1]))
              .eTag();
      parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
    }
    String etag =
        client
            .completeMultipartUpload(
                b ->
                    b.bucket(bucket)
                        .key("big.bin")
                        .uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts)))
            .eTag();
    assertThat(etag).endsWith("-2\"");

    byte[] whole = new byte[first.length + second.length];
    System.arraycopy(first, 0, whole, 0, first.length);
    System.arraycopy(second, 0, whole, first.length, second.length);
    assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key("big.bin")).asByteArray())
        .isEqualTo(whole);
    byte[] acrossParts =
        client
            .getObjectAsBytes(
                b ->
                    b.bucket(bucket)
                        .key("big.bin")
                        .range("bytes=" + (first.length - 4) + "-" + (first.length + 3)))
            .asByteArray();
    assertThat(new String(acrossParts, StandardCharsets.UTF_8)).isEqualTo("aaaathe ");
    assertThat(client.headObject(b -> b.bucket(bucket).key("big.bin")).contentLength())
        .isEqualTo(whole.length);
    assertThat(client.listObjectsV2(b -> b.bucket(bucket)).contents())
        .singleElement()
        .satisfies(o -> assertThat(o.size()).isEqualTo(whole.length));

    // On Ceph the backend object is a multipart object too (its ETag ends in -2), of ciphertext.
    HeadObjectResponse stored = backend.headObject(b -> b.bucket(bucket).key("big.bin"));
    assertThat(stored.eTag()).endsWith("-2\"");
    byte[] storedTail =
        backend
            .getObjectAsBytes(
                b ->
                    b.bucket(bucket)
                        .key("big.bin")
                        .range("bytes=" + (stored.contentLength() - 200) + "-"))
            .asByteArray();
    assertThat(new String(storedTail, StandardCharsets.ISO_8859_1))
        .doesNotContain("the last, short part");
    byte[] storedHead =
        backend
            .getObjectAsBytes(b -> b.bucket(bucket).key("big.bin").range("bytes=0-65535"))
            .asByteArray();
    assertThat(new String(storedHead, StandardCharsets.ISO_8859_1)).doesNotContain("aaaaaaaaaaaa");
  }
}

package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The gateway's own records (upload records, part indexes under {@code .s3eg/}) and the backend's
 * bookkeeping of abandoned uploads never keep a bucket from being deleted: once no client object
 * remains, DeleteBucket removes them and the bucket; while one remains it answers BucketNotEmpty
 * and removes nothing. Compression and the object cache are on, so their objects are covered too.
 */
class BucketDeletionTest {

  private static final byte[] PART = new byte[5 * 1024 * 1024];

  private static GatewayFixture fixture;
  private static S3Client s3;
  private static S3Client direct;

  @TempDir Path work;

  @BeforeAll
  static void start() throws Exception {
    fixture = GatewayFixture.start(Map.of("COMPRESSION_ENABLED", "true", "CACHE_ENABLED", "true"));
    s3 = fixture.whenRequiredClient();
    direct = fixture.backend().directClient();
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    direct.close();
    fixture.close();
  }

  private static String upload(String bucket, String key) {
    String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    s3.uploadPart(
        b -> b.bucket(bucket).key(key).uploadId(id).partNumber(1), RequestBody.fromBytes(PART));
    return id;
  }

  private static void assertDeleted(String bucket) {
    s3.deleteBucket(b -> b.bucket(bucket));
    assertThatThrownBy(() -> direct.headBucket(b -> b.bucket(bucket)))
        .isInstanceOf(NoSuchBucketException.class);
    assertThatThrownBy(() -> s3.headBucket(b -> b.bucket(bucket)))
        .isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void afterACompletedMultipartUpload() {
    s3.createBucket(b -> b.bucket("del-completed"));
    String id = upload("del-completed", "big");
    String etag =
        s3.listParts(b -> b.bucket("del-completed").key("big").uploadId(id)).parts().get(0).eTag();
    s3.completeMultipartUpload(
        b ->
            b.bucket("del-completed")
                .key("big")
                .uploadId(id)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
    s3.deleteObject(b -> b.bucket("del-completed").key("big"));
    assertDeleted("del-completed");
  }

  @Test
  void afterAnAbortedMultipartUpload() {
    s3.createBucket(b -> b.bucket("del-aborted"));
    String id = upload("del-aborted", "big");
    s3.abortMultipartUpload(b -> b.bucket("del-aborted").key("big").uploadId(id));
    assertDeleted("del-aborted");
  }

  @Test
  void afterAnAbandonedMultipartUpload() {
    s3.createBucket(b -> b.bucket("del-abandoned"));
    upload("del-abandoned", "never/completed");
    s3.createMultipartUpload(b -> b.bucket("del-abandoned").key("no-parts"));
    // The gateway's upload records and the backend's uploads are really there.
    assertThat(direct.listObjectsV2(b -> b.bucket("del-abandoned").prefix(".s3eg/")).contents())
        .hasSize(2);
    assertThat(direct.listMultipartUploads(b -> b.bucket("del-abandoned")).uploads()).hasSize(2);
    assertThat(s3.listObjectsV2(b -> b.bucket("del-abandoned")).contents()).isEmpty();
    assertDeleted("del-abandoned");
  }

  @Test
  void afterACompressedObject() {
    s3.createBucket(b -> b.bucket("del-compressed"));
    s3.putObject(
        b -> b.bucket("del-compressed").key("text.txt").contentType("text/plain"),
        RequestBody.fromString("compress me ".repeat(2000)));
    assertThat(direct.headObject(b -> b.bucket("del-compressed").key("text.txt")).contentLength())
        .isLessThan(24_000);
    s3.deleteObject(b -> b.bucket("del-compressed").key("text.txt"));
    assertDeleted("del-compressed");
  }

  @Test
  void afterACachedObjectAndTheCacheDoesNotOutliveTheBucket() {
    s3.createBucket(b -> b.bucket("del-cached"));
    s3.putObject(b -> b.bucket("del-cached").key("small"), RequestBody.fromString("cached"));
    for (int i = 0; i < 2; i++) {
      assertThat(s3.getObjectAsBytes(b -> b.bucket("del-cached").key("small")).asUtf8String())
          .isEqualTo("cached");
    }
    s3.deleteObject(b -> b.bucket("del-cached").key("small"));
    assertDeleted("del-cached");
    s3.createBucket(b -> b.bucket("del-cached"));
    assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("del-cached").key("small")))
        .isInstanceOf(NoSuchKeyException.class);
    assertDeleted("del-cached");
  }

  @Test
  void aClientObjectStillBlocksDeletionAndNothingIsRemoved() {
    s3.createBucket(b -> b.bucket("del-blocked"));
    s3.putObject(b -> b.bucket("del-blocked").key("kept"), RequestBody.fromString("kept"));
    upload("del-blocked", "open");
    assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket("del-blocked")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(409);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty");
            });
    assertThat(direct.listMultipartUploads(b -> b.bucket("del-blocked")).uploads()).hasSize(1);
    assertThat(direct.listObjectsV2(b -> b.bucket("del-blocked").prefix(".s3eg/")).contents())
        .hasSize(1);
    assertThat(s3.getObjectAsBytes(b -> b.bucket("del-blocked").key("kept")).asUtf8String())
        .isEqualTo("kept");
  }

  @Test
  void awsRbForceSucceedsAfterAnAbandonedMultipartUpload() throws Exception {
    CliTool.requireInstalled("/usr/bin/aws", "awscli");
    s3.createBucket(b -> b.bucket("rb-force"));
    s3.putObject(b -> b.bucket("rb-force").key("a/file"), RequestBody.fromString("file"));
    upload("rb-force", "abandoned");
    Map<String, String> env =
        Map.of(
            "AWS_ACCESS_KEY_ID", GatewayFixture.CLIENT_KEY,
            "AWS_SECRET_ACCESS_KEY", GatewayFixture.CLIENT_SECRET);
    CliTool.Result rb =
        CliTool.run(
            env,
            work,
            "/usr/bin/aws",
            "--endpoint-url",
            fixture.endpoint().toString(),
            "s3",
            "rb",
            "--force",
            "s3://rb-force");
    rb.assertOk("aws s3 rb --force");
    assertThat(rb.output()).contains("remove_bucket: rb-force");
    assertThat(direct.listBuckets().buckets().stream().map(b -> b.name()).toList())
        .doesNotContainAnyElementsOf(List.of("rb-force"));
  }
}

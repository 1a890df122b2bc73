package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * Object and bucket tags through the gateway, on Ceph RGW: set with the write ({@code
 * x-amz-tagging} on PutObject, CreateMultipartUpload and CopyObject, where the gateway applies what
 * RGW drops), per version with the tagging calls, and counted on GET. Tags are the one thing about
 * an object the backend keeps in the clear, as S3 defines them: the test reads them there too.
 */
class TaggingTest {

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

  private static List<Tag> tags(S3Client s3, String bucket, String key, String versionId) {
    return s3.getObjectTagging(b -> b.bucket(bucket).key(key).versionId(versionId)).tagSet();
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  @Test
  void tagsGoWithThePutAndThroughTheTaggingCalls() {
    String bucket = ceph.newBucket("gw-tags");
    client.putObject(
        b -> b.bucket(bucket).key("k").tagging("project=apollo&tier=cold storage"),
        RequestBody.fromString("tagged"));
    assertThat(tags(client, bucket, "k", null))
        .containsExactlyInAnyOrder(tag("project", "apollo"), tag("tier", "cold storage"));
    assertThat(client.getObject(b -> b.bucket(bucket).key("k")).response().tagCount()).isEqualTo(2);
    // Stored as they are: the backend shows them to whoever reads it.
    assertThat(tags(backend, bucket, "k", null)).contains(tag("project", "apollo"));

    client.putObjectTagging(
        b -> b.bucket(bucket).key("k").tagging(t -> t.tagSet(tag("state", "archived"))));
    assertThat(tags(client, bucket, "k", null)).containsExactly(tag("state", "archived"));
    client.deleteObjectTagging(b -> b.bucket(bucket).key("k"));
    assertThat(tags(client, bucket, "k", null)).isEmpty();
  }

  @Test
  void tagsBelongToAVersion() {
    String bucket = ceph.newVersionedBucket("gw-tags-versions");
    String v1 =
        client
            .putObject(b -> b.bucket(bucket).key("k").tagging("n=1"), RequestBody.fromString("1"))
            .versionId();
    String v2 =
        client
            .putObject(b -> b.bucket(bucket).key("k").tagging("n=2"), RequestBody.fromString("2"))
            .versionId();
    client.putObjectTagging(
        b -> b.bucket(bucket).key("k").versionId(v1).tagging(t -> t.tagSet(tag("n", "one"))));
    assertThat(tags(client, bucket, "k", v1)).containsExactly(tag("n", "one"));
    assertThat(tags(client, bucket, "k", v2)).containsExactly(tag("n", "2"));
    assertThat(tags(client, bucket, "k", null)).containsExactly(tag("n", "2"));
    assertThat(client.getObjectTagging(b -> b.bucket(bucket).key("k").versionId(v1)).versionId())
        .isEqualTo(v1);
  }

  @Test
  void aMultipartUploadGetsTheTagsItWasCreatedWith() {
    String bucket = ceph.newBucket("gw-tags-multipart");
    String id =
        client
            .createMultipartUpload(b -> b.bucket(bucket).key("k").tagging("kind=backup"))
            .uploadId();
    String etag =
        client
            .uploadPart(
                b -> b.bucket(bucket).key("k").uploadId(id).partNumber(1),
                RequestBody.fromString("one part"))
            .eTag();
    client.completeMultipartUpload(
        b ->
            b.bucket(bucket)
                .key("k")
                .uploadId(id)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
    // RGW 16.2 drops x-amz-tagging on CreateMultipartUpload; the gateway set it after Complete.
    assertThat(tags(client, bucket, "k", null)).containsExactly(tag("kind", "backup"));
  }

  @Test
  void aCopyKeepsTheSourceTagsOrTakesTheRequestedOnes() {
    String bucket = ceph.newBucket("gw-tags-copy");
    client.putObject(b -> b.bucket(bucket).key("src").tagging("a=1"), RequestBody.fromString("s"));
    client.copyObject(
        b ->
            b.sourceBucket(bucket)
                .sourceKey("src")
                .destinationBucket(bucket)
                .destinationKey("kept"));
    assertThat(tags(client, bucket, "kept", null)).containsExactly(tag("a", "1"));
    client.copyObject(
        b ->
            b.sourceBucket(bucket)
                .sourceKey("src")
                .destinationBucket(bucket)
                .destinationKey("replaced")
                .taggingDirective(TaggingDirective.REPLACE)
                .tagging("b=2"));
    assertThat(tags(client, bucket, "replaced", null)).containsExactly(tag("b", "2"));
    client.copyObject(
        b ->
            b.sourceBucket(bucket)
                .sourceKey("src")
                .destinationBucket(bucket)
                .destinationKey("cleared")
                .taggingDirective(TaggingDirective.REPLACE));
    assertThat(tags(client, bucket, "cleared", null)).isEmpty();
  }

  @Test
  void tagsBeyondS3sLimitsAreRefusedBeforeTheBackend() {
    String bucket = ceph.newBucket("gw-tags-limits");
    StringBuilder eleven = new StringBuilder();
    for (int i = 0; i < 11; i++) {
      eleven.append(i == 0 ? "" : "&").append("k").append(i).append("=v");
    }
    assertThatThrownBy(
            () ->
                client.putObject(
                    b -> b.bucket(bucket).key("k").tagging(eleven.toString()),
                    RequestBody.fromString("x")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidTag"));
    assertThat(client.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
  }

  @Test
  void bucketTags() {
    String bucket = ceph.newBucket("gw-bucket-tags");
    client.putBucketTagging(
        b -> b.bucket(bucket).tagging(t -> t.tagSet(tag("owner", "backups"), tag("env", "prod"))));
    assertThat(client.getBucketTagging(b -> b.bucket(bucket)).tagSet())
        .containsExactlyInAnyOrder(tag("owner", "backups"), tag("env", "prod"));
    client.deleteBucketTagging(b -> b.bucket(bucket));
    assertThatThrownBy(() -> client.getBucketTagging(b -> b.bucket(bucket)))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
  }

  @Test
  void versioningOfTheBucketDoesNotChangeWhatAPutTagged() {
    String bucket = ceph.newBucket("gw-tags-suspended");
    client.putBucketVersioning(
        b ->
            b.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));
    client.putObject(b -> b.bucket(bucket).key("k").tagging("x=y"), RequestBody.fromString("z"));
    assertThat(tags(client, bucket, "k", null)).containsExactly(tag("x", "y"));
  }
}

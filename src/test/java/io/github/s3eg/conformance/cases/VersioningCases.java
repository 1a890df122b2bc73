package io.github.s3eg.conformance.cases;

import static io.github.s3eg.conformance.CaseContext.bytes;
import static io.github.s3eg.conformance.CaseContext.concat;
import static io.github.s3eg.conformance.CaseContext.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.conformance.Capability;
import io.github.s3eg.conformance.CaseContext;
import io.github.s3eg.conformance.CaseTable;
import io.github.s3eg.conformance.HttpResult;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * Versioning, Object Lock and tagging (S3 API reference: PutBucketVersioning, GetObject with
 * versionId, DeleteObject, ListObjectVersions, PutObjectRetention, PutObjectLegalHold,
 * PutObjectTagging, CopyObject's x-amz-tagging-directive): what a backup tool relies on. Run only
 * where the backend has the capability (Ceph RGW in this suite); a case RGW itself gets wrong fails
 * directly and so asks nothing of the gateway.
 */
final class VersioningCases {

  private static final Set<Capability> VERSIONING = Set.of(Capability.VERSIONING);
  private static final Set<Capability> LOCK = Set.of(Capability.VERSIONING, Capability.OBJECT_LOCK);
  private static final Set<Capability> TAGGING = Set.of(Capability.TAGGING);
  private static final Set<Capability> VERSIONED_TAGGING =
      Set.of(Capability.TAGGING, Capability.VERSIONING);

  /** A part size S3 accepts for every part but the last. */
  private static final int PART = 5 * 1024 * 1024;

  private VersioningCases() {}

  static void addTo(CaseTable t) {
    versions(t);
    deletes(t);
    listings(t);
    locks(t);
    tags(t);
  }

  private static void versions(CaseTable t) {
    t.add(
        "versioning/every-version-readable",
        "Three PUTs of one key are three versions; GET and HEAD ?versionId read each one",
        VERSIONING,
        c -> {
          String bucket = versionedBucket(c);
          byte[][] bodies = {bytes(10), bytes(70_001), bytes(3)};
          List<String> ids = new ArrayList<>();
          for (byte[] body : bodies) {
            ids.add(c.put(bucket, "k", body).versionId());
          }
          assertThat(ids).doesNotHaveDuplicates().doesNotContainNull();
          for (int i = 0; i < bodies.length; i++) {
            String v = ids.get(i);
            assertThat(getVersion(c, bucket, "k", v)).isEqualTo(bodies[i]);
            var head = c.s3().headObject(r -> r.bucket(bucket).key("k").versionId(v));
            assertThat(head.contentLength()).isEqualTo((long) bodies[i].length);
            assertThat(head.versionId()).isEqualTo(v);
          }
        });
    t.add(
        "versioning/multipart-version-readable-after-newer",
        "A multipart version stays readable by its id, whole and by range, after newer multipart"
            + " and single versions of its key",
        VERSIONING,
        c -> {
          String bucket = versionedBucket(c);
          byte[] first = concat(bytes(PART), bytes(1000));
          String v1 = multipart(c.s3(), bucket, "k", Map.of(), bytes(PART), bytes(1000));
          multipart(c.s3(), bucket, "k", Map.of(), bytes(PART + 1), bytes(7));
          c.put(bucket, "k", bytes(5));
          assertThat(getVersion(c, bucket, "k", v1)).isEqualTo(first);
          byte[] across =
              c.s3()
                  .getObjectAsBytes(
                      r ->
                          r.bucket(bucket)
                              .key("k")
                              .versionId(v1)
                              .range("bytes=" + (PART - 10) + "-" + (PART + 9)))
                  .asByteArray();
          assertThat(across).isEqualTo(java.util.Arrays.copyOfRange(first, PART - 10, PART + 10));
        });
    t.add(
        "versioning/copy-of-old-version-restores-it",
        "CopyObject with ?versionId of an older version onto its own key makes it the current"
            + " version again (a new version; the old ones stay)",
        VERSIONING,
        c -> {
          String bucket = versionedBucket(c);
          String v1 = c.put(bucket, "k", bytes(11)).versionId();
          c.put(bucket, "k", bytes(12));
          var copy =
              c.s3()
                  .copyObject(
                      r ->
                          r.sourceBucket(bucket)
                              .sourceKey("k")
                              .sourceVersionId(v1)
                              .destinationBucket(bucket)
                              .destinationKey("k"));
          assertThat(copy.copySourceVersionId()).isEqualTo(v1);
          assertThat(c.get(bucket, "k")).isEqualTo(bytes(11));
          assertThat(c.s3().listObjectVersions(r -> r.bucket(bucket)).versions()).hasSize(3);
        });
    t.add(
        "versioning/copy-answers-version-ids",
        "CopyObject in a versioned bucket answers x-amz-version-id (the copy's) and"
            + " x-amz-copy-source-version-id",
        VERSIONING,
        c -> {
          String bucket = versionedBucket(c);
          String v1 = c.put(bucket, "src", bytes(21)).versionId();
          var copy =
              c.s3()
                  .copyObject(
                      r ->
                          r.sourceBucket(bucket)
                              .sourceKey("src")
                              .destinationBucket(bucket)
                              .destinationKey("dst"));
          assertThat(copy.copySourceVersionId()).isEqualTo(v1);
          assertThat(copy.versionId()).isNotBlank();
          assertThat(getVersion(c, bucket, "dst", copy.versionId())).isEqualTo(bytes(21));
        });
  }

  private static void deletes(CaseTable t) {
    t.add(
        "versioning/delete-adds-a-marker",
        "DELETE without versionId in a versioned bucket answers x-amz-delete-marker and a version"
            + " id; GET then 404, the old version stays readable by id",
        VERSIONING,
        c -> {
          String bucket = versionedBucket(c);
          String v1 = multipart(c.s3(), bucket, "k", Map.of(), bytes(PART), bytes(31));
          var deleted = c.s3().deleteObject(r -> r.bucket(bucket).key("k"));
          assertThat(deleted.deleteMarker()).isTrue();
          assertThat(deleted.versionId()).isNotBlank().isNotEqualTo(v1);
          expectError(404, "NoSuchKey", () -> c.get(bucket, "k"));
          assertThat(getVersion(c, bucket, "k", v1)).isEqualTo(concat(bytes(PART), bytes(31)));
          c.s3().deleteObject(r -> r.bucket(bucket).key("k").versionId(deleted.versionId()));
          assertThat(c.get(bucket, "k")).isEqualTo(concat(bytes(PART), bytes(31)));
        });
    t.add(
        "versioning/get-of-a-marker-names-it",
        "GET of a key whose current version is a delete marker: 404 NoSuchKey with"
            + " x-amz-delete-marker: true and the marker's version id",
        VERSIONING,
        c -> {
          String bucket = versionedBucket(c);
          c.put(bucket, "k", bytes(1));
          String marker = c.s3().deleteObject(r -> r.bucket(bucket).key("k")).versionId();
          HttpResult r = c.request("GET").bucket(bucket).key("k").send();
          expectError(404, "NoSuchKey", r);
          assertThat(r.header("x-amz-delete-marker")).isEqualTo("true");
          assertThat(r.header("x-amz-version-id")).isEqualTo(marker);
        });
    t.add(
        "versioning/head-of-a-marker-version",
        "HEAD ?versionId of a delete marker: 405 with x-amz-delete-marker: true",
        VERSIONING,
        c -> {
          String bucket = versionedBucket(c);
          c.put(bucket, "k", bytes(1));
          String marker = c.s3().deleteObject(r -> r.bucket(bucket).key("k")).versionId();
          HttpResult r =
              c.request("HEAD").bucket(bucket).key("k").query("versionId", marker).send();
          assertThat(r.status()).as(r.toString()).isEqualTo(405);
          assertThat(r.header("x-amz-delete-marker")).isEqualTo("true");
        });
    t.add(
        "versioning/delete-version-deletes-only-it",
        "DELETE ?versionId of the newest multipart version removes it alone: the older multipart"
            + " version is current again and reads whole; the deleted id answers 404",
        VERSIONING,
        c -> {
          String bucket = versionedBucket(c);
          String v1 = multipart(c.s3(), bucket, "k", Map.of(), bytes(PART), bytes(41));
          String v2 = multipart(c.s3(), bucket, "k", Map.of(), bytes(PART + 2), bytes(42));
          var deleted = c.s3().deleteObject(r -> r.bucket(bucket).key("k").versionId(v2));
          assertThat(deleted.versionId()).isEqualTo(v2);
          assertThat(c.get(bucket, "k")).isEqualTo(concat(bytes(PART), bytes(41)));
          assertThat(getVersion(c, bucket, "k", v1)).isEqualTo(concat(bytes(PART), bytes(41)));
          expectError(404, null, () -> getVersion(c, bucket, "k", v2));
          assertThat(c.s3().listObjectVersions(r -> r.bucket(bucket)).versions())
              .extracting(ObjectVersion::versionId)
              .containsExactly(v1);
        });
    t.add(
        "versioning/delete-objects-with-versions",
        "DeleteObjects with VersionIds deletes exactly those versions",
        VERSIONING,
        c -> {
          String bucket = versionedBucket(c);
          String v1 = c.put(bucket, "k", bytes(51)).versionId();
          String v2 = c.put(bucket, "k", bytes(52)).versionId();
          String v3 = c.put(bucket, "k", bytes(53)).versionId();
          var r =
              c.s3()
                  .deleteObjects(
                      d ->
                          d.bucket(bucket)
                              .delete(
                                  x ->
                                      x.objects(
                                          o -> o.key("k").versionId(v1),
                                          o -> o.key("k").versionId(v3))));
          assertThat(r.errors()).isEmpty();
          assertThat(r.deleted()).extracting(d -> d.versionId()).containsExactlyInAnyOrder(v1, v3);
          assertThat(c.get(bucket, "k")).isEqualTo(bytes(52));
          assertThat(c.s3().listObjectVersions(l -> l.bucket(bucket)).versions())
              .extracting(ObjectVersion::versionId)
              .containsExactly(v2);
        });
  }

  private static void listings(CaseTable t) {
    t.add(
        "listing-versions/size-and-etag-of-every-version",
        "ListObjectVersions gives every version the Size and ETag its upload answered (single"
            + " PUTs and a multipart upload)",
        VERSIONING,
        c -> {
          String bucket = versionedBucket(c);
          Map<String, Long> sizes = new java.util.HashMap<>();
          Map<String, String> etags = new java.util.HashMap<>();
          for (int size : new int[] {1, 2000, 65_537}) {
            var put = c.put(bucket, "k", bytes(size));
            sizes.put(put.versionId(), (long) size);
            etags.put(put.versionId(), put.eTag());
          }
          var complete = completeMultipart(c.s3(), bucket, "k", Map.of(), bytes(PART), bytes(61));
          sizes.put(complete.versionId(), PART + 61L);
          etags.put(complete.versionId(), complete.eTag());
          var versions = c.s3().listObjectVersions(r -> r.bucket(bucket)).versions();
          assertThat(versions).hasSize(4);
          for (ObjectVersion v : versions) {
            assertThat(v.size()).as(v.toString()).isEqualTo(sizes.get(v.versionId()));
            assertThat(v.eTag()).as(v.toString()).isEqualTo(etags.get(v.versionId()));
          }
          assertThat(versions).filteredOn(ObjectVersion::isLatest).hasSize(1);
          assertThat(versions.get(0).versionId()).isEqualTo(complete.versionId());
        });
    t.add(
        "listing-versions/delete-marker-listed",
        "ListObjectVersions lists a delete marker (IsLatest) beside the versions it hides",
        VERSIONING,
        c -> {
          String bucket = versionedBucket(c);
          c.put(bucket, "k", bytes(2));
          String marker = c.s3().deleteObject(r -> r.bucket(bucket).key("k")).versionId();
          var r = c.s3().listObjectVersions(l -> l.bucket(bucket));
          assertThat(r.versions()).hasSize(1);
          assertThat(r.deleteMarkers()).hasSize(1);
          assertThat(r.deleteMarkers().get(0).versionId()).isEqualTo(marker);
          assertThat(r.deleteMarkers().get(0).isLatest()).isTrue();
        });
    t.add(
        "listing-versions/pagination",
        "ListObjectVersions pages with max-keys and key/version-id markers through every version",
        VERSIONING,
        c -> {
          String bucket = versionedBucket(c);
          List<String> written = new ArrayList<>();
          for (String key : new String[] {"a", "b"}) {
            for (int i = 0; i < 3; i++) {
              written.add(c.put(bucket, key, bytes(i + 1)).versionId());
            }
          }
          List<String> seen = new ArrayList<>();
          String keyMarker = null;
          String versionMarker = null;
          for (int page = 0; page < 10; page++) {
            String km = keyMarker;
            String vm = versionMarker;
            var r =
                c.s3()
                    .listObjectVersions(
                        l -> l.bucket(bucket).maxKeys(4).keyMarker(km).versionIdMarker(vm));
            r.versions().forEach(v -> seen.add(v.versionId()));
            if (!r.isTruncated()) {
              break;
            }
            keyMarker = r.nextKeyMarker();
            versionMarker = r.nextVersionIdMarker();
          }
          assertThat(seen).containsExactlyInAnyOrderElementsOf(written);
        });
  }

  private static void locks(CaseTable t) {
    t.add(
        "object-lock/locked-version-survives-delete-and-overwrite",
        "A version under GOVERNANCE retention: DELETE ?versionId is refused (403 AccessDenied);"
            + " a DELETE and an overwrite only add versions; the locked version stays readable",
        LOCK,
        c -> {
          String bucket = lockBucket(c);
          String v =
              c.s3()
                  .putObject(
                      r ->
                          r.bucket(bucket)
                              .key("k")
                              .objectLockMode(ObjectLockMode.GOVERNANCE)
                              .objectLockRetainUntilDate(inAnHour()),
                      RequestBody.fromBytes(bytes(71)))
                  .versionId();
          expectError(
              403,
              "AccessDenied",
              () -> c.s3().deleteObject(r -> r.bucket(bucket).key("k").versionId(v)));
          c.s3().deleteObject(r -> r.bucket(bucket).key("k"));
          c.put(bucket, "k", bytes(72));
          assertThat(c.get(bucket, "k")).isEqualTo(bytes(72));
          assertThat(getVersion(c, bucket, "k", v)).isEqualTo(bytes(71));
        });
    t.add(
        "object-lock/locked-multipart-version-survives",
        "A multipart version under retention set after Complete stays readable after a refused"
            + " DELETE ?versionId and newer versions",
        LOCK,
        c -> {
          String bucket = lockBucket(c);
          String v = multipart(c.s3(), bucket, "k", Map.of(), bytes(PART), bytes(73));
          c.s3()
              .putObjectRetention(
                  r ->
                      r.bucket(bucket)
                          .key("k")
                          .versionId(v)
                          .retention(
                              x ->
                                  x.mode(ObjectLockRetentionMode.GOVERNANCE)
                                      .retainUntilDate(inAnHour())));
          expectError(
              403,
              "AccessDenied",
              () -> c.s3().deleteObject(r -> r.bucket(bucket).key("k").versionId(v)));
          multipart(c.s3(), bucket, "k", Map.of(), bytes(PART + 3), bytes(74));
          assertThat(getVersion(c, bucket, "k", v)).isEqualTo(concat(bytes(PART), bytes(73)));
        });
    t.add(
        "object-lock/retention-round-trip",
        "PutObjectRetention then GetObjectRetention and HEAD give the mode and date back",
        LOCK,
        c -> {
          String bucket = lockBucket(c);
          String v = c.put(bucket, "k", bytes(75)).versionId();
          Instant until = inAnHour();
          c.s3()
              .putObjectRetention(
                  r ->
                      r.bucket(bucket)
                          .key("k")
                          .versionId(v)
                          .retention(
                              x ->
                                  x.mode(ObjectLockRetentionMode.GOVERNANCE)
                                      .retainUntilDate(until)));
          var got =
              c.s3().getObjectRetention(r -> r.bucket(bucket).key("k").versionId(v)).retention();
          assertThat(got.mode()).isEqualTo(ObjectLockRetentionMode.GOVERNANCE);
          assertThat(got.retainUntilDate()).isEqualTo(until);
          var head = c.s3().headObject(r -> r.bucket(bucket).key("k").versionId(v));
          assertThat(head.objectLockMode()).isEqualTo(ObjectLockMode.GOVERNANCE);
        });
    t.add(
        "object-lock/legal-hold-blocks-delete-until-released",
        "A legal hold refuses DELETE ?versionId (403) until it is released",
        LOCK,
        c -> {
          String bucket = lockBucket(c);
          String v = c.put(bucket, "k", bytes(76)).versionId();
          c.s3()
              .putObjectLegalHold(
                  r ->
                      r.bucket(bucket)
                          .key("k")
                          .versionId(v)
                          .legalHold(h -> h.status(ObjectLockLegalHoldStatus.ON)));
          assertThat(
                  c.s3()
                      .getObjectLegalHold(r -> r.bucket(bucket).key("k").versionId(v))
                      .legalHold()
                      .status())
              .isEqualTo(ObjectLockLegalHoldStatus.ON);
          expectError(
              403,
              "AccessDenied",
              () -> c.s3().deleteObject(r -> r.bucket(bucket).key("k").versionId(v)));
          c.s3()
              .putObjectLegalHold(
                  r ->
                      r.bucket(bucket)
                          .key("k")
                          .versionId(v)
                          .legalHold(h -> h.status(ObjectLockLegalHoldStatus.OFF)));
          c.s3().deleteObject(r -> r.bucket(bucket).key("k").versionId(v));
          assertThat(c.s3().listObjectVersions(r -> r.bucket(bucket)).versions()).isEmpty();
        });
    t.add(
        "object-lock/governance-bypass",
        "x-amz-bypass-governance-retention lets DELETE ?versionId remove a GOVERNANCE version",
        LOCK,
        c -> {
          String bucket = lockBucket(c);
          String v =
              c.s3()
                  .putObject(
                      r ->
                          r.bucket(bucket)
                              .key("k")
                              .objectLockMode(ObjectLockMode.GOVERNANCE)
                              .objectLockRetainUntilDate(inAnHour()),
                      RequestBody.fromBytes(bytes(77)))
                  .versionId();
          c.s3()
              .deleteObject(
                  r -> r.bucket(bucket).key("k").versionId(v).bypassGovernanceRetention(true));
          assertThat(c.s3().listObjectVersions(r -> r.bucket(bucket)).versions()).isEmpty();
        });
    t.add(
        "object-lock/multipart-upload-gets-its-lock",
        "CreateMultipartUpload with x-amz-object-lock-* locks the completed version",
        LOCK,
        c -> {
          String bucket = lockBucket(c);
          Instant until = inAnHour();
          String v =
              multipart(
                  c.s3(),
                  bucket,
                  "k",
                  Map.of(
                      "x-amz-object-lock-mode",
                      "GOVERNANCE",
                      "x-amz-object-lock-retain-until-date",
                      until.toString()),
                  bytes(78));
          var got =
              c.s3().getObjectRetention(r -> r.bucket(bucket).key("k").versionId(v)).retention();
          assertThat(got.mode()).isEqualTo(ObjectLockRetentionMode.GOVERNANCE);
          expectError(
              403,
              "AccessDenied",
              () -> c.s3().deleteObject(r -> r.bucket(bucket).key("k").versionId(v)));
        });
    t.add(
        "object-lock/default-retention-applies",
        "A bucket's default retention (PutObjectLockConfiguration) locks a new version",
        LOCK,
        c -> {
          String bucket = lockBucket(c);
          c.s3()
              .putObjectLockConfiguration(
                  r ->
                      r.bucket(bucket)
                          .objectLockConfiguration(
                              o ->
                                  o.objectLockEnabled("Enabled")
                                      .rule(
                                          x ->
                                              x.defaultRetention(
                                                  d ->
                                                      d.mode(ObjectLockRetentionMode.GOVERNANCE)
                                                          .days(1)))));
          String v = c.put(bucket, "k", bytes(79)).versionId();
          assertThat(
                  c.s3().headObject(r -> r.bucket(bucket).key("k").versionId(v)).objectLockMode())
              .isEqualTo(ObjectLockMode.GOVERNANCE);
          expectError(
              403,
              "AccessDenied",
              () -> c.s3().deleteObject(r -> r.bucket(bucket).key("k").versionId(v)));
        });
  }

  private static void tags(CaseTable t) {
    t.add(
        "tagging/count-on-get",
        "GET of a tagged object answers x-amz-tagging-count",
        TAGGING,
        c -> {
          c.bucket();
          c.s3()
              .putObject(
                  r -> r.bucket(c.bucket()).key("k").tagging("a=1&b=2"),
                  RequestBody.fromBytes(bytes(81)));
          HttpResult r = c.request("GET").bucket(c.bucket()).key("k").send();
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.header("x-amz-tagging-count")).isEqualTo("2");
        });
    t.add(
        "tagging/delete-object-tagging",
        "DeleteObjectTagging leaves an empty TagSet",
        TAGGING,
        c -> {
          c.bucket();
          c.s3()
              .putObject(
                  r -> r.bucket(c.bucket()).key("k").tagging("a=1"),
                  RequestBody.fromBytes(bytes(82)));
          c.s3().deleteObjectTagging(r -> r.bucket(c.bucket()).key("k"));
          assertThat(c.s3().getObjectTagging(r -> r.bucket(c.bucket()).key("k")).tagSet())
              .isEmpty();
        });
    t.add(
        "tagging/copy-keeps-source-tags",
        "CopyObject without a tagging directive gives the copy the source's tags",
        TAGGING,
        c -> {
          c.bucket();
          c.s3()
              .putObject(
                  r -> r.bucket(c.bucket()).key("src").tagging("team=blue"),
                  RequestBody.fromBytes(bytes(83)));
          c.s3()
              .copyObject(
                  r ->
                      r.sourceBucket(c.bucket())
                          .sourceKey("src")
                          .destinationBucket(c.bucket())
                          .destinationKey("dst"));
          assertThat(tagsOf(c, c.bucket(), "dst", null)).containsExactly("team=blue");
        });
    t.add(
        "tagging/copy-replaces-tags",
        "CopyObject with x-amz-tagging-directive: REPLACE gives the copy only the new tags",
        TAGGING,
        c -> {
          c.bucket();
          c.s3()
              .putObject(
                  r -> r.bucket(c.bucket()).key("src").tagging("team=blue"),
                  RequestBody.fromBytes(bytes(84)));
          c.s3()
              .copyObject(
                  r ->
                      r.sourceBucket(c.bucket())
                          .sourceKey("src")
                          .destinationBucket(c.bucket())
                          .destinationKey("dst")
                          .taggingDirective(TaggingDirective.REPLACE)
                          .tagging("team=red"));
          assertThat(tagsOf(c, c.bucket(), "dst", null)).containsExactly("team=red");
        });
    t.add(
        "tagging/multipart-upload-gets-its-tags",
        "CreateMultipartUpload with x-amz-tagging tags the completed object",
        TAGGING,
        c -> {
          c.bucket();
          multipart(c.s3(), c.bucket(), "k", Map.of("x-amz-tagging", "stage=done"), bytes(85));
          assertThat(tagsOf(c, c.bucket(), "k", null)).containsExactly("stage=done");
        });
    t.add(
        "tagging/tags-belong-to-a-version",
        "PutObjectTagging ?versionId tags that version only",
        VERSIONED_TAGGING,
        c -> {
          String bucket = versionedBucket(c);
          String v1 = c.put(bucket, "k", bytes(86)).versionId();
          String v2 = c.put(bucket, "k", bytes(87)).versionId();
          c.s3()
              .putObjectTagging(
                  r ->
                      r.bucket(bucket)
                          .key("k")
                          .versionId(v1)
                          .tagging(g -> g.tagSet(Tag.builder().key("n").value("one").build())));
          assertThat(tagsOf(c, bucket, "k", v1)).containsExactly("n=one");
          assertThat(tagsOf(c, bucket, "k", v2)).isEmpty();
        });
    t.add(
        "tagging/bucket-tagging-round-trip",
        "PutBucketTagging, GetBucketTagging, DeleteBucketTagging (then 404 NoSuchTagSet)",
        TAGGING,
        c -> {
          c.bucket();
          c.s3()
              .putBucketTagging(
                  r ->
                      r.bucket(c.bucket())
                          .tagging(g -> g.tagSet(Tag.builder().key("cost").value("x").build())));
          assertThat(c.s3().getBucketTagging(r -> r.bucket(c.bucket())).tagSet())
              .extracting(x -> x.key() + "=" + x.value())
              .containsExactly("cost=x");
          c.s3().deleteBucketTagging(r -> r.bucket(c.bucket()));
          expectError(
              404, "NoSuchTagSet", () -> c.s3().getBucketTagging(r -> r.bucket(c.bucket())));
        });
  }

  // ---- helpers

  private static String versionedBucket(CaseContext c) {
    String bucket = c.bucket();
    c.s3()
        .putBucketVersioning(
            r ->
                r.bucket(bucket)
                    .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    return bucket;
  }

  private static String lockBucket(CaseContext c) {
    String bucket = c.newBucketName();
    c.s3().createBucket(r -> r.bucket(bucket).objectLockEnabledForBucket(true));
    return bucket;
  }

  /** An hour from now, to the second (S3 keeps retain-until dates to the second). */
  private static Instant inAnHour() {
    return Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
  }

  private static byte[] getVersion(CaseContext c, String bucket, String key, String versionId) {
    return c.s3()
        .getObjectAsBytes(r -> r.bucket(bucket).key(key).versionId(versionId))
        .asByteArray();
  }

  private static List<String> tagsOf(CaseContext c, String bucket, String key, String versionId) {
    return c
        .s3()
        .getObjectTagging(r -> r.bucket(bucket).key(key).versionId(versionId))
        .tagSet()
        .stream()
        .map(x -> x.key() + "=" + x.value())
        .toList();
  }

  /** A multipart upload of {@code parts}, with extra headers on its Create; its version id. */
  private static String multipart(
      S3Client s3, String bucket, String key, Map<String, String> createHeaders, byte[]... parts) {
    return completeMultipart(s3, bucket, key, createHeaders, parts).versionId();
  }

  private static software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse
      completeMultipart(
          S3Client s3,
          String bucket,
          String key,
          Map<String, String> createHeaders,
          byte[]... parts) {
    String uploadId =
        s3.createMultipartUpload(
                r -> {
                  r.bucket(bucket).key(key);
                  String mode = createHeaders.get("x-amz-object-lock-mode");
                  if (mode != null) {
                    r.objectLockMode(mode)
                        .objectLockRetainUntilDate(
                            Instant.parse(
                                createHeaders.get("x-amz-object-lock-retain-until-date")));
                  }
                  r.tagging(createHeaders.get("x-amz-tagging"));
                })
            .uploadId();
    List<CompletedPart> done = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      int number = i + 1;
      byte[] body = parts[i];
      String etag =
          s3.uploadPart(
                  r ->
                      r.bucket(bucket)
                          .key(key)
                          .uploadId(uploadId)
                          .partNumber(number)
                          .contentMD5(md5Base64(body)),
                  RequestBody.fromBytes(body))
              .eTag();
      done.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
    }
    return s3.completeMultipartUpload(
        r -> r.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(done)));
  }

  /** Uploads into an Object Lock bucket need an integrity checksum, in S3. */
  private static String md5Base64(byte[] body) {
    try {
      return java.util.Base64.getEncoder()
          .encodeToString(java.security.MessageDigest.getInstance("MD5").digest(body));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

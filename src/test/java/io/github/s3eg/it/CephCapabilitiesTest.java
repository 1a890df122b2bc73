package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * What the Ceph test backend ({@link CephBackend}, RGW 16.2) really does, asked directly with the
 * AWS SDK v2 (no gateway): atomic conditional writes, versioning, Object Lock and tagging, which
 * later work builds on, and, in {@link KnownDeviations}, where it differs from S3 so that nobody
 * relies on those parts. docs/testing.md lists the same findings; a Ceph upgrade that changes one
 * fails here first.
 */
class CephCapabilitiesTest {

  private static final int RACE_ROUNDS = 40;
  private static final int RACERS = 3;

  private static CephBackend ceph;
  private static S3Client s3;

  @BeforeAll
  static void start() {
    ceph = CephBackend.shared();
    s3 = ceph.directClient();
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
  }

  /** The HTTP status of a call: 200 when it succeeds, else the S3 error's status. */
  private static int statusOf(Runnable call) {
    try {
      call.run();
      return 200;
    } catch (S3Exception e) {
      return e.statusCode();
    }
  }

  /** {@code racers} calls released together (a barrier); their statuses in racer order. */
  private static List<Integer> race(int racers, IntFunction<Runnable> racer) throws Exception {
    CyclicBarrier start = new CyclicBarrier(racers);
    try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        Runnable call = racer.apply(i);
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return statusOf(call);
                }));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> result : results) {
        statuses.add(result.get());
      }
      return statuses;
    }
  }

  private static String get(String bucket, String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
  }

  private static String get(String bucket, String key, String versionId) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(versionId)).asUtf8String();
  }

  private static String put(String bucket, String key, String body) {
    return s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body)).versionId();
  }

  private static String unquoted(String etag) {
    return etag.replace("\"", "");
  }

  private static Instant inOneHour() {
    return Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
  }

  private static String multipartUpload(String bucket, String key, String body) {
    String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    return complete(bucket, key, id, body, b -> {});
  }

  private static String complete(
      String bucket,
      String key,
      String uploadId,
      String body,
      Consumer<CompleteMultipartUploadRequest.Builder> conditions) {
    String etag =
        s3.uploadPart(
                b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromString(body))
            .eTag();
    return s3.completeMultipartUpload(
            b -> {
              b.bucket(bucket)
                  .key(key)
                  .uploadId(uploadId)
                  .multipartUpload(
                      m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build()));
              conditions.accept(b);
            })
        .versionId();
  }

  @Nested
  class ConditionalWrites {

    @Test
    void ifNoneMatchStarCreatesOnlyAnAbsentKey() {
      String bucket = ceph.newBucket("inm");
      s3.putObject(
          b -> b.bucket(bucket).key("k").ifNoneMatch("*"), RequestBody.fromString("first"));

      assertThatThrownBy(
              () ->
                  s3.putObject(
                      b -> b.bucket(bucket).key("k").ifNoneMatch("*"),
                      RequestBody.fromString("second")))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(412);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("PreconditionFailed");
              });
      assertThat(get(bucket, "k")).isEqualTo("first");
    }

    @Test
    void racingIfNoneMatchStarCreatesHaveExactlyOneWinner() throws Exception {
      String bucket = ceph.newBucket("inm-race");
      for (int round = 0; round < RACE_ROUNDS; round++) {
        String key = "lock-" + round;
        List<Integer> statuses =
            race(
                RACERS,
                i ->
                    () ->
                        s3.putObject(
                            b -> b.bucket(bucket).key(key).ifNoneMatch("*"),
                            RequestBody.fromString("racer-" + i)));

        assertThat(statuses).as("round %d", round).containsOnly(200, 412).containsOnlyOnce(200);
        assertThat(get(bucket, key)).isEqualTo("racer-" + statuses.indexOf(200));
      }
    }

    @Test
    void ifMatchReplacesOnlyTheVersionItNames() {
      String bucket = ceph.newBucket("if-match");
      String first =
          s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("v1")).eTag();
      s3.putObject(
          b -> b.bucket(bucket).key("k").ifMatch(unquoted(first)), RequestBody.fromString("v2"));

      // "first" is stale now: the write that expects it is refused.
      assertThat(
              statusOf(
                  () ->
                      s3.putObject(
                          b -> b.bucket(bucket).key("k").ifMatch(unquoted(first)),
                          RequestBody.fromString("v3"))))
          .isEqualTo(412);
      assertThat(get(bucket, "k")).isEqualTo("v2");
    }

    @Test
    void racingIfMatchWritersHaveExactlyOneWinner() throws Exception {
      String bucket = ceph.newBucket("if-match-race");
      for (int round = 0; round < RACE_ROUNDS; round++) {
        String key = "counter-" + round;
        String etag =
            unquoted(
                s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("base"))
                    .eTag());
        List<Integer> statuses =
            race(
                RACERS,
                i ->
                    () ->
                        s3.putObject(
                            b -> b.bucket(bucket).key(key).ifMatch(etag),
                            RequestBody.fromString("racer-" + i)));

        assertThat(statuses).as("round %d", round).containsOnly(200, 412).containsOnlyOnce(200);
        assertThat(get(bucket, key)).isEqualTo("racer-" + statuses.indexOf(200));
      }
    }
  }

  @Nested
  class Versioning {

    @Test
    void bucketVersioningIsEnabledAndSuspended() {
      String bucket = ceph.newBucket("versioning-state");
      assertThat(s3.getBucketVersioning(b -> b.bucket(bucket)).status()).isNull();
      s3.putBucketVersioning(
          b ->
              b.bucket(bucket)
                  .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
      assertThat(s3.getBucketVersioning(b -> b.bucket(bucket)).status())
          .isEqualTo(BucketVersioningStatus.ENABLED);
      s3.putBucketVersioning(
          b ->
              b.bucket(bucket)
                  .versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));
      assertThat(s3.getBucketVersioning(b -> b.bucket(bucket)).status())
          .isEqualTo(BucketVersioningStatus.SUSPENDED);
    }

    @Test
    void everyWriteIsAVersionReadableByItsId() {
      String bucket = ceph.newVersionedBucket("versions");
      String v1 = put(bucket, "k", "one");
      String v2 = put(bucket, "k", "two!");
      String v3 = multipartUpload(bucket, "k", "three");

      assertThat(List.of(v1, v2, v3)).doesNotContainNull().doesNotHaveDuplicates();
      assertThat(get(bucket, "k")).isEqualTo("three");
      assertThat(get(bucket, "k", v1)).isEqualTo("one");
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("k").versionId(v2));
      assertThat(head.contentLength()).isEqualTo(4);
      assertThat(head.versionId()).isEqualTo(v2);
    }

    @Test
    void copyingAnOldVersionOverTheKeyRestoresIt() {
      String bucket = ceph.newVersionedBucket("restore");
      String v1 = put(bucket, "k", "good");
      put(bucket, "k", "bad");
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey("k")
                  .sourceVersionId(v1)
                  .destinationBucket(bucket)
                  .destinationKey("k"));

      assertThat(get(bucket, "k")).isEqualTo("good");
      assertThat(s3.listObjectVersions(b -> b.bucket(bucket)).versions()).hasSize(3);
    }

    @Test
    void deleteWithoutVersionLeavesADeleteMarkerAndTheVersions() {
      String bucket = ceph.newVersionedBucket("markers");
      String v1 = put(bucket, "k", "one");
      String v2 = put(bucket, "k", "two");
      DeleteObjectResponse deleted = s3.deleteObject(b -> b.bucket(bucket).key("k"));

      assertThat(deleted.deleteMarker()).isTrue();
      assertThat(deleted.versionId()).isNotIn(v1, v2);
      assertThatThrownBy(() -> get(bucket, "k")).isInstanceOf(NoSuchKeyException.class);
      assertThat(get(bucket, "k", v1)).isEqualTo("one");

      ListObjectVersionsResponse listed = s3.listObjectVersions(b -> b.bucket(bucket));
      assertThat(listed.versions())
          .extracting(ObjectVersion::versionId, ObjectVersion::isLatest, ObjectVersion::size)
          .containsExactly(tuple(v2, false, 3L), tuple(v1, false, 3L));
      assertThat(listed.deleteMarkers())
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.versionId()).isEqualTo(deleted.versionId());
                assertThat(m.isLatest()).isTrue();
              });

      // Removing the marker brings the newest version back.
      s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(deleted.versionId()));
      assertThat(get(bucket, "k")).isEqualTo("two");
    }

    @Test
    void deletingAVersionRemovesOnlyThatVersion() {
      String bucket = ceph.newVersionedBucket("delete-version");
      String v1 = put(bucket, "k", "one");
      String v2 = put(bucket, "k", "two");
      String v3 = put(bucket, "k", "three");
      s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(v3));
      assertThat(get(bucket, "k")).isEqualTo("two");

      var result =
          s3.deleteObjects(
              b ->
                  b.bucket(bucket)
                      .delete(
                          d ->
                              d.objects(
                                  ObjectIdentifier.builder().key("k").versionId(v1).build())));
      assertThat(result.deleted())
          .singleElement()
          .satisfies(o -> assertThat(o.versionId()).isEqualTo(v1));
      assertThat(s3.listObjectVersions(b -> b.bucket(bucket)).versions())
          .extracting(ObjectVersion::versionId)
          .containsExactly(v2);
    }

    @Test
    void listObjectVersionsPages() {
      String bucket = ceph.newVersionedBucket("version-pages");
      for (int i = 0; i < 5; i++) {
        put(bucket, "k", "v" + i);
      }
      ListObjectVersionsResponse first = s3.listObjectVersions(b -> b.bucket(bucket).maxKeys(3));
      assertThat(first.isTruncated()).isTrue();
      assertThat(first.versions()).hasSize(3);
      ListObjectVersionsResponse rest =
          s3.listObjectVersions(
              b ->
                  b.bucket(bucket)
                      .keyMarker(first.nextKeyMarker())
                      .versionIdMarker(first.nextVersionIdMarker()));
      assertThat(rest.isTruncated()).isFalse();
      assertThat(rest.versions()).hasSize(2);
    }
  }

  @Nested
  class ObjectLock {

    @Test
    void aBucketCreatedWithObjectLockIsVersionedAndTakesALockConfiguration() {
      String bucket = ceph.newObjectLockBucket("lock-config");
      assertThat(s3.getBucketVersioning(b -> b.bucket(bucket)).status())
          .isEqualTo(BucketVersioningStatus.ENABLED);
      s3.putObjectLockConfiguration(
          b ->
              b.bucket(bucket)
                  .objectLockConfiguration(
                      c ->
                          c.objectLockEnabled(ObjectLockEnabled.ENABLED)
                              .rule(
                                  r ->
                                      r.defaultRetention(
                                          d ->
                                              d.mode(ObjectLockRetentionMode.GOVERNANCE)
                                                  .days(1)))));

      GetObjectLockConfigurationResponse config =
          s3.getObjectLockConfiguration(b -> b.bucket(bucket));
      assertThat(config.objectLockConfiguration().objectLockEnabled())
          .isEqualTo(ObjectLockEnabled.ENABLED);
      assertThat(config.objectLockConfiguration().rule().defaultRetention().days()).isEqualTo(1);
      // The default retention applies to new versions.
      String v = put(bucket, "k", "defaulted");
      assertThat(s3.headObject(b -> b.bucket(bucket).key("k").versionId(v)).objectLockMode())
          .isEqualTo(ObjectLockMode.GOVERNANCE);
    }

    @Test
    void aBucketWithoutObjectLockRefusesLockSettings() {
      String bucket = ceph.newBucket("no-lock");
      assertThat(
              statusOf(
                  () ->
                      s3.putObjectLockConfiguration(
                          b ->
                              b.bucket(bucket)
                                  .objectLockConfiguration(
                                      c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED)))))
          .isEqualTo(409);
      assertThat(
              statusOf(
                  () ->
                      s3.putObject(
                          b ->
                              b.bucket(bucket)
                                  .key("k")
                                  .objectLockMode(ObjectLockMode.GOVERNANCE)
                                  .objectLockRetainUntilDate(inOneHour()),
                          RequestBody.fromString("x"))))
          .isEqualTo(400);
    }

    @Test
    void governanceRetentionRefusesDeleteOfTheVersionUnlessBypassed() {
      String bucket = ceph.newObjectLockBucket("governance");
      Instant until = inOneHour();
      String v =
          s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key("k")
                          .objectLockMode(ObjectLockMode.GOVERNANCE)
                          .objectLockRetainUntilDate(until),
                  RequestBody.fromString("kept"))
              .versionId();
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("k").versionId(v));
      assertThat(head.objectLockMode()).isEqualTo(ObjectLockMode.GOVERNANCE);
      assertThat(head.objectLockRetainUntilDate()).isEqualTo(until);

      assertThatThrownBy(() -> s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(v)))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
              });
      // Deleting the key (no version) only adds a delete marker; overwriting adds a version.
      assertThat(s3.deleteObject(b -> b.bucket(bucket).key("k")).deleteMarker()).isTrue();
      put(bucket, "k", "newer");
      assertThat(get(bucket, "k", v)).isEqualTo("kept");

      s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(v).bypassGovernanceRetention(true));
      assertThat(s3.listObjectVersions(b -> b.bucket(bucket)).versions())
          .extracting(ObjectVersion::versionId)
          .doesNotContain(v);
    }

    @Test
    void complianceRetentionCannotBeBypassedShortenedOrWeakened() {
      String bucket = ceph.newObjectLockBucket("compliance");
      Instant until = inOneHour();
      String v =
          s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key("k")
                          .objectLockMode(ObjectLockMode.COMPLIANCE)
                          .objectLockRetainUntilDate(until),
                  RequestBody.fromString("kept"))
              .versionId();

      assertThat(
              statusOf(
                  () ->
                      s3.deleteObject(
                          b ->
                              b.bucket(bucket)
                                  .key("k")
                                  .versionId(v)
                                  .bypassGovernanceRetention(true))))
          .isEqualTo(403);
      assertThat(
              statusOf(
                  () ->
                      s3.putObjectRetention(
                          b ->
                              b.bucket(bucket)
                                  .key("k")
                                  .versionId(v)
                                  .bypassGovernanceRetention(true)
                                  .retention(
                                      r ->
                                          r.mode(ObjectLockRetentionMode.GOVERNANCE)
                                              .retainUntilDate(until.plusSeconds(60))))))
          .isEqualTo(403);
      assertThat(
              statusOf(
                  () ->
                      s3.putObjectRetention(
                          b ->
                              b.bucket(bucket)
                                  .key("k")
                                  .versionId(v)
                                  .retention(
                                      r ->
                                          r.mode(ObjectLockRetentionMode.COMPLIANCE)
                                              .retainUntilDate(until.minusSeconds(60))))))
          .isEqualTo(403);
      // Extending is allowed.
      s3.putObjectRetention(
          b ->
              b.bucket(bucket)
                  .key("k")
                  .versionId(v)
                  .retention(
                      r ->
                          r.mode(ObjectLockRetentionMode.COMPLIANCE)
                              .retainUntilDate(until.plusSeconds(60))));
      assertThat(
              s3.getObjectRetention(b -> b.bucket(bucket).key("k").versionId(v))
                  .retention()
                  .retainUntilDate())
          .isEqualTo(until.plusSeconds(60));
      assertThat(get(bucket, "k", v)).isEqualTo("kept");
    }

    @Test
    void retentionSetLaterProtectsAnExistingVersion() {
      String bucket = ceph.newObjectLockBucket("retention-later");
      String v = put(bucket, "k", "plain");
      Instant until = inOneHour();
      s3.putObjectRetention(
          b ->
              b.bucket(bucket)
                  .key("k")
                  .versionId(v)
                  .retention(
                      r -> r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(until)));

      assertThat(s3.getObjectRetention(b -> b.bucket(bucket).key("k").versionId(v)).retention())
          .satisfies(
              r -> {
                assertThat(r.mode()).isEqualTo(ObjectLockRetentionMode.GOVERNANCE);
                assertThat(r.retainUntilDate()).isEqualTo(until);
              });
      assertThat(statusOf(() -> s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(v))))
          .isEqualTo(403);
      // Shortening governance retention needs the bypass header.
      assertThat(
              statusOf(
                  () ->
                      s3.putObjectRetention(
                          b ->
                              b.bucket(bucket)
                                  .key("k")
                                  .versionId(v)
                                  .retention(
                                      r ->
                                          r.mode(ObjectLockRetentionMode.GOVERNANCE)
                                              .retainUntilDate(until.minusSeconds(60))))))
          .isEqualTo(403);
      s3.putObjectRetention(
          b ->
              b.bucket(bucket)
                  .key("k")
                  .versionId(v)
                  .bypassGovernanceRetention(true)
                  .retention(
                      r ->
                          r.mode(ObjectLockRetentionMode.GOVERNANCE)
                              .retainUntilDate(until.minusSeconds(60))));
    }

    @Test
    void legalHoldOnPutOrLaterRefusesDeleteUntilReleased() {
      String bucket = ceph.newObjectLockBucket("legal-hold");
      String held =
          s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key("held")
                          .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON),
                  RequestBody.fromString("held"))
              .versionId();
      String later = put(bucket, "later", "later");
      s3.putObjectLegalHold(
          b ->
              b.bucket(bucket)
                  .key("later")
                  .versionId(later)
                  .legalHold(h -> h.status(ObjectLockLegalHoldStatus.ON)));

      assertThat(
              s3.headObject(b -> b.bucket(bucket).key("held").versionId(held))
                  .objectLockLegalHoldStatus())
          .isEqualTo(ObjectLockLegalHoldStatus.ON);
      assertThat(
              s3.getObjectLegalHold(b -> b.bucket(bucket).key("later").versionId(later))
                  .legalHold()
                  .status())
          .isEqualTo(ObjectLockLegalHoldStatus.ON);
      assertThat(
              statusOf(
                  () ->
                      s3.deleteObject(
                          b ->
                              b.bucket(bucket)
                                  .key("held")
                                  .versionId(held)
                                  .bypassGovernanceRetention(true))))
          .isEqualTo(403);
      var refused =
          s3.deleteObjects(
              b ->
                  b.bucket(bucket)
                      .delete(
                          d ->
                              d.objects(
                                  ObjectIdentifier.builder()
                                      .key("later")
                                      .versionId(later)
                                      .build())));
      assertThat(refused.errors())
          .singleElement()
          .satisfies(e -> assertThat(e.code()).isEqualTo("AccessDenied"));

      s3.putObjectLegalHold(
          b ->
              b.bucket(bucket)
                  .key("held")
                  .versionId(held)
                  .legalHold(h -> h.status(ObjectLockLegalHoldStatus.OFF)));
      s3.deleteObject(b -> b.bucket(bucket).key("held").versionId(held));
      assertThat(s3.listObjectVersions(b -> b.bucket(bucket).prefix("held")).versions()).isEmpty();
    }

    @Test
    void versioningCannotBeSuspendedOnALockedBucket() {
      String bucket = ceph.newObjectLockBucket("lock-versioning");
      assertThat(
              statusOf(
                  () ->
                      s3.putBucketVersioning(
                          b ->
                              b.bucket(bucket)
                                  .versioningConfiguration(
                                      v -> v.status(BucketVersioningStatus.SUSPENDED)))))
          .isEqualTo(409);
    }
  }

  @Nested
  class Tagging {

    @Test
    void objectTagsOnPutAndThroughTheTaggingCalls() {
      String bucket = ceph.newBucket("tags");
      s3.putObject(
          b -> b.bucket(bucket).key("k").tagging("a=1&b=two"), RequestBody.fromString("x"));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("k")).tagSet())
          .containsExactlyInAnyOrder(tag("a", "1"), tag("b", "two"));
      assertThat(s3.getObject(b -> b.bucket(bucket).key("k")).response().tagCount()).isEqualTo(2);

      s3.putObjectTagging(b -> b.bucket(bucket).key("k").tagging(t -> t.tagSet(tag("c", "3"))));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("k")).tagSet())
          .containsExactly(tag("c", "3"));
      s3.deleteObjectTagging(b -> b.bucket(bucket).key("k"));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("k")).tagSet()).isEmpty();
    }

    @Test
    void tagsBelongToAVersion() {
      String bucket = ceph.newVersionedBucket("version-tags");
      String v1 = put(bucket, "k", "one");
      put(bucket, "k", "two");
      s3.putObjectTagging(
          b -> b.bucket(bucket).key("k").versionId(v1).tagging(t -> t.tagSet(tag("old", "yes"))));

      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("k").versionId(v1)).tagSet())
          .containsExactly(tag("old", "yes"));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("k")).tagSet()).isEmpty();
    }

    @Test
    void copyKeepsTheSourceTags() {
      String bucket = ceph.newBucket("copy-tags");
      s3.putObject(b -> b.bucket(bucket).key("src").tagging("a=1"), RequestBody.fromString("x"));
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey("src")
                  .destinationBucket(bucket)
                  .destinationKey("dst"));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("dst")).tagSet())
          .containsExactly(tag("a", "1"));
    }

    @Test
    void bucketTagging() {
      String bucket = ceph.newBucket("bucket-tags");
      s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(tag("team", "backup"))));
      assertThat(s3.getBucketTagging(b -> b.bucket(bucket)).tagSet())
          .containsExactly(tag("team", "backup"));
      s3.deleteBucketTagging(b -> b.bucket(bucket));
      assertThat(statusOf(() -> s3.getBucketTagging(b -> b.bucket(bucket)))).isEqualTo(404);
    }
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  /**
   * Where RGW 16.2 differs from S3 (as measured here): later work must not rely on these parts of
   * this backend, and a test through the gateway that needs them must say why it cannot run here.
   */
  @Nested
  class KnownDeviations {

    @Test
    void anEmptyBodySentAsSignedAwsChunkedIsRefused() {
      String bucket = ceph.newBucket("dev-empty-chunked");
      // The SDK signs bodies over plain HTTP as aws-chunked; RGW 16.2 finds the signature of the
      // only (final, empty) chunk wrong. The gateway's part checksum markers carry one byte.
      assertThat(
              statusOf(() -> s3.putObject(b -> b.bucket(bucket).key("empty"), RequestBody.empty())))
          .isEqualTo(400);
      s3.putObject(b -> b.bucket(bucket).key("one"), RequestBody.fromString("\n"));
      assertThat(get(bucket, "one")).isEqualTo("\n");
    }

    @Test
    void ifMatchComparesTheEtagWithoutQuotes() {
      String bucket = ceph.newBucket("dev-if-match");
      String etag =
          s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("v1")).eTag();
      assertThat(etag).startsWith("\"");
      // S3 accepts the quoted ETag it returned; RGW 16.2 only matches the bare hex.
      assertThat(
              statusOf(
                  () ->
                      s3.putObject(
                          b -> b.bucket(bucket).key("k").ifMatch(etag),
                          RequestBody.fromString("v2"))))
          .isEqualTo(412);
      assertThat(get(bucket, "k")).isEqualTo("v1");
    }

    @Test
    void ifMatchOnAMissingKeyAnswers412NotNoSuchKey() {
      String bucket = ceph.newBucket("dev-if-match-missing");
      assertThatThrownBy(
              () ->
                  s3.putObject(
                      b -> b.bucket(bucket).key("absent").ifMatch("0123456789abcdef"),
                      RequestBody.fromString("x")))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
    }

    @Test
    void completeMultipartUploadIgnoresIfNoneMatchAndIfMatch() {
      String bucket = ceph.newBucket("dev-complete");
      put(bucket, "k", "existing");
      String first = s3.createMultipartUpload(b -> b.bucket(bucket).key("k")).uploadId();
      complete(bucket, "k", first, "replaced despite If-None-Match", b -> b.ifNoneMatch("*"));
      assertThat(get(bucket, "k")).isEqualTo("replaced despite If-None-Match");

      String second = s3.createMultipartUpload(b -> b.bucket(bucket).key("k")).uploadId();
      complete(bucket, "k", second, "replaced despite If-Match", b -> b.ifMatch("0123abcd"));
      assertThat(get(bucket, "k")).isEqualTo("replaced despite If-Match");
    }

    @Test
    void copyObjectIgnoresIfNoneMatchOnItsDestination() {
      String bucket = ceph.newBucket("dev-copy-inm");
      put(bucket, "src", "source");
      put(bucket, "dst", "existing");
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey("src")
                  .destinationBucket(bucket)
                  .destinationKey("dst")
                  .ifNoneMatch("*"));
      assertThat(get(bucket, "dst")).isEqualTo("source");
    }

    @Test
    void ifNoneMatchStarIsIgnoredInAVersionedBucket() {
      String bucket = ceph.newVersionedBucket("dev-inm-versioned");
      put(bucket, "k", "first");
      assertThat(
              statusOf(
                  () ->
                      s3.putObject(
                          b -> b.bucket(bucket).key("k").ifNoneMatch("*"),
                          RequestBody.fromString("second"))))
          .isEqualTo(200);
      assertThat(get(bucket, "k")).isEqualTo("second");
    }

    @Test
    void completeMultipartUploadAnswersAnEmptyEtag() {
      String bucket = ceph.newBucket("dev-complete-etag");
      String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("k")).uploadId();
      String etag =
          s3.uploadPart(
                  b -> b.bucket(bucket).key("k").uploadId(id).partNumber(1),
                  RequestBody.fromString("part"))
              .eTag();
      var completed =
          s3.completeMultipartUpload(
              b ->
                  b.bucket(bucket)
                      .key("k")
                      .uploadId(id)
                      .multipartUpload(
                          m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
      assertThat(completed.eTag()).isEmpty();
      assertThat(s3.headObject(b -> b.bucket(bucket).key("k")).eTag()).endsWith("-1\"");
    }

    @Test
    void aDeleteMarkerIsAnswered404WithoutTheDeleteMarkerHeader() {
      String bucket = ceph.newVersionedBucket("dev-marker");
      put(bucket, "k", "one");
      String marker = s3.deleteObject(b -> b.bucket(bucket).key("k")).versionId();
      // S3: 405 MethodNotAllowed with x-amz-delete-marker: true (and 404 with that header for
      // the key without a version).
      assertThatThrownBy(() -> s3.headObject(b -> b.bucket(bucket).key("k").versionId(marker)))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(404);
                assertThat(
                        e.awsErrorDetails()
                            .sdkHttpResponse()
                            .firstMatchingHeader("x-amz-delete-marker"))
                    .isEmpty();
              });
    }

    @Test
    void copyObjectAnswersNoVersionIds() {
      String bucket = ceph.newVersionedBucket("dev-copy-version");
      String v1 = put(bucket, "k", "one");
      var copied =
          s3.copyObject(
              b ->
                  b.sourceBucket(bucket)
                      .sourceKey("k")
                      .sourceVersionId(v1)
                      .destinationBucket(bucket)
                      .destinationKey("copy"));
      // S3 answers x-amz-version-id (the new version) and x-amz-copy-source-version-id.
      assertThat(copied.versionId()).isNull();
      assertThat(copied.copySourceVersionId()).isNull();
      assertThat(s3.listObjectVersions(b -> b.bucket(bucket).prefix("copy")).versions()).hasSize(1);
    }

    @Test
    void lockSettingsOnCreateMultipartUploadAreDropped() {
      String bucket = ceph.newObjectLockBucket("dev-lock-multipart");
      String id =
          s3.createMultipartUpload(
                  b ->
                      b.bucket(bucket)
                          .key("k")
                          .objectLockMode(ObjectLockMode.GOVERNANCE)
                          .objectLockRetainUntilDate(inOneHour())
                          .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON))
              .uploadId();
      String v = complete(bucket, "k", id, "unlocked", b -> {});
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("k").versionId(v));
      assertThat(head.objectLockMode()).isNull();
      assertThat(head.objectLockLegalHoldStatus()).isNull();
    }

    @Test
    void aPutWithLockSettingsNeedsNoIntegrityChecksum() {
      String bucket = ceph.newObjectLockBucket("dev-lock-checksum");
      List<Set<String>> sent = new CopyOnWriteArrayList<>();
      try (S3Client recording =
          ceph.directClientBuilder()
              .overrideConfiguration(
                  o ->
                      o.addExecutionInterceptor(
                          new ExecutionInterceptor() {
                            @Override
                            public void beforeTransmission(
                                Context.BeforeTransmission context,
                                ExecutionAttributes attributes) {
                              sent.add(context.httpRequest().headers().keySet());
                            }
                          }))
              .build()) {
        // S3 refuses this PUT without Content-MD5 or an x-amz-checksum-* header; RGW 16.2 takes it.
        String v =
            recording
                .putObject(
                    b ->
                        b.bucket(bucket)
                            .key("k")
                            .objectLockMode(ObjectLockMode.GOVERNANCE)
                            .objectLockRetainUntilDate(inOneHour()),
                    RequestBody.fromString("x"))
                .versionId();
        assertThat(sent)
            .singleElement()
            .satisfies(
                names ->
                    assertThat(names)
                        .noneMatch(
                            n ->
                                n.equalsIgnoreCase("Content-MD5")
                                    || n.toLowerCase(Locale.ROOT).startsWith("x-amz-checksum-")));
        assertThat(s3.headObject(b -> b.bucket(bucket).key("k").versionId(v)).objectLockMode())
            .isEqualTo(ObjectLockMode.GOVERNANCE);
      }
    }

    @Test
    void copyObjectTakesTheSourceLockNotTheRequestedOne() {
      String bucket = ceph.newObjectLockBucket("dev-lock-copy");
      Instant until = inOneHour();
      put(bucket, "plain", "p");
      s3.putObject(
          b ->
              b.bucket(bucket)
                  .key("locked")
                  .objectLockMode(ObjectLockMode.COMPLIANCE)
                  .objectLockRetainUntilDate(until),
          RequestBody.fromString("c"));
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey("plain")
                  .destinationBucket(bucket)
                  .destinationKey("plain-copy")
                  .objectLockMode(ObjectLockMode.GOVERNANCE)
                  .objectLockRetainUntilDate(until));
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey("locked")
                  .destinationBucket(bucket)
                  .destinationKey("locked-copy"));

      assertThat(s3.headObject(b -> b.bucket(bucket).key("plain-copy")).objectLockMode()).isNull();
      assertThat(s3.headObject(b -> b.bucket(bucket).key("locked-copy")).objectLockMode())
          .isEqualTo(ObjectLockMode.COMPLIANCE);
    }

    @Test
    void taggingOnCreateMultipartUploadAndCopyReplaceIsDropped() {
      String bucket = ceph.newBucket("dev-tags");
      String id =
          s3.createMultipartUpload(b -> b.bucket(bucket).key("mpu").tagging("m=1")).uploadId();
      complete(bucket, "mpu", id, "x", b -> {});
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("mpu")).tagSet()).isEmpty();

      s3.putObject(b -> b.bucket(bucket).key("src").tagging("a=1"), RequestBody.fromString("x"));
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey("src")
                  .destinationBucket(bucket)
                  .destinationKey("dst")
                  .taggingDirective(TaggingDirective.REPLACE)
                  .tagging("z=9"));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("dst")).tagSet())
          .containsExactly(tag("a", "1"));
    }

    @Test
    void getObjectAttributesIsNotImplemented() {
      String bucket = ceph.newBucket("dev-attributes");
      put(bucket, "k", "x");
      // RGW 16.2 answers GET ?attributes as a plain GetObject (the object's bytes, not XML).
      assertThatThrownBy(
              () ->
                  s3.getObjectAttributes(
                      b ->
                          b.bucket(bucket).key("k").objectAttributes(ObjectAttributes.OBJECT_SIZE)))
          .isInstanceOf(SdkClientException.class)
          .hasMessageContaining("Could not parse XML response");
    }

    @Test
    void anAwsChunkedUploadKeepsContentEncodingAwsChunked() {
      String bucket = ceph.newBucket("dev-aws-chunked");
      // Over plain HTTP the SDK signs the body in aws-chunked encoding; S3 strips "aws-chunked"
      // from the stored Content-Encoding, RGW 16.2 keeps it and answers it on GET and HEAD.
      put(bucket, "k", "x");
      assertThat(s3.headObject(b -> b.bucket(bucket).key("k")).contentEncoding())
          .isEqualTo("aws-chunked");
    }

    @Test
    void aHeaderSentAsTwoLinesBreaksTheSignature() {
      String bucket = ceph.newBucket("dev-two-lines");
      // Over plain HTTP the SDK sends "Content-Encoding: gzip" and "Content-Encoding: aws-chunked"
      // as two lines and signs "gzip,aws-chunked"; RGW 16.2 reads one line only. (The gateway's
      // backend client joins them: backend.OneLineHeaders.)
      assertThatThrownBy(
              () ->
                  s3.putObject(
                      b -> b.bucket(bucket).key("k").contentEncoding("gzip"),
                      RequestBody.fromString("x")))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
              });
    }

    @Test
    void checksumTrailersAreRefused() {
      String bucket = ceph.newBucket("dev-trailers");
      // The SDK's default: aws-chunked body with a CRC32 trailer (why the gateway's ceph preset
      // sends checksums only where S3 requires them).
      try (S3Client defaults =
          ceph.directClientBuilder()
              .requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED)
              .responseChecksumValidation(ResponseChecksumValidation.WHEN_SUPPORTED)
              .build()) {
        assertThat(
                statusOf(
                    () ->
                        defaults.putObject(
                            b -> b.bucket(bucket).key("k"), RequestBody.fromString("x"))))
            .isEqualTo(400);
      }
    }
  }
}

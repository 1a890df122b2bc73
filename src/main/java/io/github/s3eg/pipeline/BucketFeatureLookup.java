package io.github.s3eg.pipeline;

import io.github.s3eg.s3.CopySource;
import io.github.s3eg.s3.RequestedVersion;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.versions.BucketFeatures;
import io.github.s3eg.versions.LockSettings;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningRequest;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationRequest;
import software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationResponse;

/**
 * The {@code bucketFeatures} step: whether the request's bucket keeps versions and has Object Lock
 * ({@link BucketFeatures}, kept a minute per instance), asked as route steps ({@code
 * backend:getBucketVersioning}, then {@code backend:getObjectLockConfiguration}) when a request
 * depends on them and this instance does not know them yet: the object writes (their spooling, a
 * part's MD5, a copy's version, Complete's lock settings, the deletion of an upload's records), the
 * object reads and deletes (a version's records, a delete marker's answer), and any request that
 * names a version or asks for lock settings. Then the checks that need them: a version id in a
 * bucket that never kept versions is refused as S3 refuses it, and lock settings in a bucket
 * without Object Lock. Plain Java; one turn per call.
 */
final class BucketFeatureLookup {

  /** The operations whose later steps ask for the bucket's features. */
  private static final Set<String> DEPENDS =
      Set.of(
          "GetObject",
          "HeadObject",
          "GetObjectAttributes",
          "DeleteObject",
          "DeleteObjects",
          "PutObject",
          "CopyObject",
          "CreateMultipartUpload",
          "UploadPart",
          "UploadPartCopy",
          "CompleteMultipartUpload",
          "AbortMultipartUpload");

  /** One lookup in progress: the versioning answer, once asked. */
  static final class Turn {
    boolean lockAsked;
    GetBucketVersioningResponse versioning;
  }

  private final BucketFeatures features;
  private final RejectUnsupported rules;

  /** {@code features} null: nothing is ever looked up (the step only provides its fact). */
  BucketFeatureLookup(BucketFeatures features, RejectUnsupported rules) {
    this.features = features;
    this.rules = rules;
  }

  /**
   * One turn: {@code answer} is the backend's answer to the request returned last (null when the
   * backend lacks the feature). Returns the next request, or null once the features are known (or
   * not needed) and checked.
   */
  Object next(RequestState state, Object answer) {
    S3Request s3 = state.request();
    Turn turn = state.featureLookup();
    if (turn == null) {
      if (features == null || !needed(state)) {
        state.provide(Fact.BUCKET_FEATURES);
        return null;
      }
      Optional<BucketFeatures.Features> known = features.known(s3.bucket());
      if (known.isPresent()) {
        return checked(state);
      }
      state.startFeatureLookup(new Turn());
      return GetBucketVersioningRequest.builder().bucket(s3.bucket()).build();
    }
    if (!turn.lockAsked) {
      turn.lockAsked = true;
      turn.versioning = answer instanceof GetBucketVersioningResponse r ? r : null;
      return GetObjectLockConfigurationRequest.builder().bucket(s3.bucket()).build();
    }
    features.learn(
        s3.bucket(),
        turn.versioning,
        answer instanceof GetObjectLockConfigurationResponse r ? r : null);
    return checked(state);
  }

  private Object checked(RequestState state) {
    rules.checkAgainstFeatures(state.request());
    state.provide(Fact.BUCKET_FEATURES);
    return null;
  }

  private static boolean needed(RequestState state) {
    S3Request s3 = state.request();
    if (s3.bucket() == null) {
      return false;
    }
    if (state.authentication().formPending()) {
      return false; // a browser upload's form is verified first (readForm)
    }
    CopySource source = CopySource.of(s3);
    // A request no S3 operation matches (POST on a key) has no operation name; Set.of refuses null.
    return (state.operation() != null && DEPENDS.contains(state.operation()))
        || RequestedVersion.of(s3) != null
        || (source != null && source.versionId() != null)
        || !LockSettings.fromRequest(s3).isEmpty();
  }

  Step step() {
    // Its backend requests are the backend: steps after it, which check their own contract; the
    // step itself runs for every request (a browser upload's too, with nothing to look up).
    return Step.named("bucketFeatures")
        .requires(Fact.AUTHENTICATED, Fact.REQUEST_CHECKED)
        .provides(Fact.BUCKET_FEATURES)
        .does(
            (state, exchange) -> exchange.getIn().setBody(next(state, exchange.getIn().getBody())));
  }
}

package io.github.s3eg.versions;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;

/**
 * What S3 answers a GET or HEAD that meets a delete marker, where a backend answers less (Ceph RGW
 * 16.2 says only 404): for the key's current version, {@code 404 NoSuchKey} with {@code
 * x-amz-delete-marker: true} and the marker's version id; for a marker named by {@code versionId},
 * {@code 405 MethodNotAllowed} with the same headers and {@code Allow: DELETE}. Asked only after
 * the backend answered 404 in a bucket that keeps versions: one listing of the key's versions.
 */
public final class DeleteMarkers {

  static final int LOOK_AT = 1000;

  private final S3Client backend;
  private final BucketFeatures features;

  public DeleteMarkers(S3Client backend, BucketFeatures features) {
    this.backend = backend;
    this.features = features;
  }

  /**
   * The answer S3 gives when a read of {@code key} (version {@code versionId}, or the current one
   * for null) met a delete marker; empty when it did not (or the bucket keeps no versions).
   */
  public Optional<S3Exception> explain(String bucket, String key, String versionId, String method) {
    if (!features.keepsVersions(bucket)) {
      return Optional.empty();
    }
    Optional<DeleteMarkerEntry> marker =
        backend
            .listObjectVersions(l -> l.bucket(bucket).prefix(key).maxKeys(LOOK_AT))
            .deleteMarkers()
            .stream()
            .filter(m -> m.key().equals(key))
            .filter(
                m ->
                    versionId == null
                        ? Boolean.TRUE.equals(m.isLatest())
                        : versionId.equals(m.versionId()))
            .findFirst();
    return marker.map(
        m -> {
          S3Exception answer =
              versionId == null
                  ? new S3Exception(S3ErrorCode.NO_SUCH_KEY, "The specified key does not exist.")
                      .with("Key", key)
                  : new S3Exception(
                          S3ErrorCode.METHOD_NOT_ALLOWED,
                          "The specified method is not allowed against this resource.")
                      .with("Method", method)
                      .with("ResourceType", "DeleteMarker")
                      .header("Allow", "DELETE");
          return answer
              .header("x-amz-delete-marker", "true")
              .header("x-amz-version-id", m.versionId());
        });
  }
}

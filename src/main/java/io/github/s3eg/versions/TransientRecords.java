package io.github.s3eg.versions;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;

/**
 * The gateway's records that live only while a multipart upload is open: its upload record and its
 * part checksum markers. Their names belong to one upload, so in a bucket that keeps versions,
 * deleting one deletes every version of its name (a plain DELETE would only hide it behind a delete
 * marker, and each upload would leave its record behind for good). In a bucket with a default
 * retention the backend keeps them until it ends; the failure is logged, and they verify for
 * nothing.
 */
public final class TransientRecords {

  private static final Logger LOG = LoggerFactory.getLogger(TransientRecords.class);

  private final S3Client backend;
  private final BucketFeatures features;

  public TransientRecords(S3Client backend, BucketFeatures features) {
    this.backend = backend;
    this.features = features;
  }

  /** Whether deletes in {@code bucket} must name versions. */
  public boolean keepsVersions(String bucket) {
    return features.keepsVersions(bucket);
  }

  /**
   * Deletes every version (and delete marker) of the names under {@code prefix} (a record's name,
   * or a folder of markers).
   */
  public void deleteEveryVersion(String bucket, String prefix) {
    List<String[]> found = new ArrayList<>();
    String keyMarker = null;
    String versionMarker = null;
    while (true) {
      String km = keyMarker;
      String vm = versionMarker;
      ListObjectVersionsResponse r =
          backend.listObjectVersions(
              l -> l.bucket(bucket).prefix(prefix).keyMarker(km).versionIdMarker(vm));
      r.versions().forEach(v -> found.add(new String[] {v.key(), v.versionId()}));
      r.deleteMarkers().forEach(m -> found.add(new String[] {m.key(), m.versionId()}));
      if (!Boolean.TRUE.equals(r.isTruncated()) || r.nextKeyMarker() == null) {
        break;
      }
      keyMarker = r.nextKeyMarker();
      versionMarker = r.nextVersionIdMarker();
    }
    for (String[] v : found) {
      try {
        backend.deleteObject(d -> d.bucket(bucket).key(v[0]).versionId(v[1]));
      } catch (RuntimeException e) {
        LOG.warn("could not delete {} version {} in {}: {}", v[0], v[1], bucket, e.getMessage());
      }
    }
  }
}

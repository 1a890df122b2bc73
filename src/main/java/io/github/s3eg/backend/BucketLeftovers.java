package io.github.s3eg.backend;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What can stay in a bucket once its last client object is gone, and must never keep it from being
 * deleted: the gateway's own records ({@link ReservedKeys}: records of uploads never completed,
 * indexes whose object went without them) and the backend's multipart uploads in progress (an
 * abandoned upload; on S3Proxy also its stub objects). Before DeleteBucket, {@link #clear} answers
 * BucketNotEmpty while any client object remains, as S3 does, and otherwise removes those, so the
 * backend's DeleteBucket can succeed.
 *
 * <p>Not atomic, as nothing across several backend requests is: an upload started while a bucket is
 * being deleted is aborted, and an object written meanwhile makes the backend's DeleteBucket answer
 * BucketNotEmpty (the record of an upload it belongs to may then be gone: that upload answers
 * NoSuchUpload).
 */
public final class BucketLeftovers {

  private static final Logger LOG = LoggerFactory.getLogger(BucketLeftovers.class);

  private final S3Client backend;
  private final VisibleListing listing;

  public BucketLeftovers(S3Client backend) {
    this.backend = backend;
    this.listing = new VisibleListing(backend);
  }

  /**
   * Empties {@code bucket} of everything no client sees.
   *
   * @throws S3Exception BucketNotEmpty while a client object remains (nothing is removed then)
   */
  public void clear(String bucket) {
    if (!listing.isEmpty(bucket)) {
      throw new S3Exception(
              S3ErrorCode.BUCKET_NOT_EMPTY, "The bucket you tried to delete is not empty")
          .with("BucketName", bucket);
    }
    List<MultipartUpload> uploads =
        backend.listMultipartUploadsPaginator(l -> l.bucket(bucket)).uploads().stream().toList();
    for (MultipartUpload u : uploads) {
      try {
        backend.abortMultipartUpload(a -> a.bucket(bucket).key(u.key()).uploadId(u.uploadId()));
      } catch (NoSuchUploadException alreadyGone) {
        // completed or aborted meanwhile
      }
    }
    List<S3Object> records =
        backend
            .listObjectsV2Paginator(l -> l.bucket(bucket).prefix(ReservedKeys.PREFIX))
            .contents()
            .stream()
            .toList();
    for (S3Object record : records) {
      try {
        backend.deleteObject(d -> d.bucket(bucket).key(record.key()));
      } catch (NoSuchKeyException alreadyGone) {
        // deleted meanwhile
      }
    }
    if (!uploads.isEmpty() || !records.isEmpty()) {
      LOG.info(
          "bucket {}: removed {} abandoned multipart upload(s) and {} gateway record(s) before"
              + " deleting it",
          bucket,
          uploads.size(),
          records.size());
    }
  }
}

package io.github.s3eg.pipeline;

import io.github.s3eg.s3.ObjectHeaders;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * What the backend said about a stored object, from a {@code getObject} (with the body it sent,
 * which may be a window of the object) or a {@code headObject}: the metadata {@code resolveKey}
 * verifies, and the sizes and headers the answer is built from.
 *
 * @param body the ciphertext the GET returned, or null for a HEAD
 * @param windowStart where that body starts in the stored object
 * @param storedSize the stored object's whole size
 * @param storageClass the backend's storage class, or null for its default
 * @param answer the backend's answer, for the version headers ({@link #writeVersionHeaders})
 */
public record StoredObject(
    String bucket,
    String key,
    Map<String, String> metadata,
    String eTag,
    Instant lastModified,
    ObjectHeaders headers,
    ResponseInputStream<GetObjectResponse> body,
    long windowStart,
    long windowLength,
    long storedSize,
    String storageClass,
    software.amazon.awssdk.core.SdkResponse answer) {

  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

  static StoredObject of(String bucket, String key, ResponseInputStream<GetObjectResponse> in) {
    GetObjectResponse r = in.response();
    long start = 0;
    long length = r.contentLength() == null ? 0 : r.contentLength();
    long total = length;
    Matcher m = r.contentRange() == null ? null : CONTENT_RANGE.matcher(r.contentRange());
    if (m != null && m.matches()) {
      start = Long.parseLong(m.group(1));
      total = Long.parseLong(m.group(3));
    }
    return new StoredObject(
        bucket,
        key,
        r.metadata(),
        r.eTag(),
        r.lastModified(),
        ObjectOperations.clientHeaders(r),
        in,
        start,
        length,
        total,
        r.storageClassAsString(),
        r);
  }

  static StoredObject of(String bucket, String key, HeadObjectResponse r) {
    long size = r.contentLength() == null ? 0 : r.contentLength();
    return new StoredObject(
        bucket,
        key,
        r.metadata(),
        r.eTag(),
        r.lastModified(),
        ObjectOperations.clientHeaders(r),
        null,
        0,
        size,
        size,
        r.storageClassAsString(),
        r);
  }

  /** The stored version's id, or null in a bucket without versioning. */
  String versionId() {
    return answer instanceof GetObjectResponse g
        ? g.versionId()
        : answer instanceof HeadObjectResponse h ? h.versionId() : null;
  }

  /** The version, lock and tag headers S3 answers a GET or HEAD with (VersionHeaders). */
  void writeVersionHeaders(io.github.s3eg.s3.S3Response response) {
    if (answer instanceof GetObjectResponse g) {
      io.github.s3eg.versions.VersionHeaders.write(response, g);
    } else if (answer instanceof HeadObjectResponse h) {
      io.github.s3eg.versions.VersionHeaders.write(response, h);
    }
  }

  /** The last byte of the window the GET returned. */
  long windowEnd() {
    return windowStart + windowLength - 1;
  }

  /** True when the GET returned the whole object. */
  boolean whole() {
    return body != null && windowStart == 0 && windowLength == storedSize;
  }
}

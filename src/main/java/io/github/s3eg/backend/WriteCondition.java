package io.github.s3eg.backend;

import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The condition a backend write carries, so that a client's conditional write is as atomic as the
 * backend makes it: {@code If-None-Match: *} (create only), or {@code If-Match} with the backend's
 * ETag of the object the gateway found under the client's ETag (replace only that object). A check
 * in the gateway followed by an unconditional write could let a concurrent writer in between.
 */
public record WriteCondition(String ifMatch, String ifNoneMatch) {

  /** An unconditional write. */
  public static final WriteCondition NONE = new WriteCondition(null, null);

  /** Write only if no object has the key. */
  public static WriteCondition ifAbsent() {
    return new WriteCondition(null, "*");
  }

  /**
   * Write only over the object whose backend ETag is {@code backendEtag}. It is sent without its
   * quotes: Ceph RGW (16.2) matches only the bare hex and refuses a quoted ETag even when it is the
   * object's; S3, MinIO and S3Proxy accept either form.
   */
  public static WriteCondition ifStill(String backendEtag) {
    String bare = backendEtag.trim();
    if (bare.length() >= 2 && bare.startsWith("\"") && bare.endsWith("\"")) {
      bare = bare.substring(1, bare.length() - 1);
    }
    return new WriteCondition(bare, null);
  }

  public void applyTo(PutObjectRequest.Builder b) {
    b.ifMatch(ifMatch).ifNoneMatch(ifNoneMatch);
  }

  public void applyTo(CopyObjectRequest.Builder b) {
    b.ifMatch(ifMatch).ifNoneMatch(ifNoneMatch);
  }

  public void applyTo(CompleteMultipartUploadRequest.Builder b) {
    b.ifMatch(ifMatch).ifNoneMatch(ifNoneMatch);
  }
}

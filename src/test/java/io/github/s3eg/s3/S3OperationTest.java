package io.github.s3eg.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The operation names the dispatch in routes/s3-api.yaml goes by. */
class S3OperationTest {

  @ParameterizedTest(name = "{0} {1}{2} copy={3} -> {4}")
  @CsvSource(
      nullValues = "-",
      value = {
        "GET,    /,       '',                false, ListBuckets",
        "GET,    /,       s3eg-audit,        false, AuditEvents",
        "PUT,    /,       '',                false, -",
        "GET,    /b,      location,          false, GetBucketLocation",
        "GET,    /b,      uploads,           false, ListMultipartUploads",
        "GET,    /b,      list-type=2,       false, ListObjectsV2",
        "GET,    /b,      list-type=1,       false, ListObjects",
        "GET,    /b,      '',                false, ListObjects",
        "HEAD,   /b,      '',                false, HeadBucket",
        "PUT,    /b,      '',                false, CreateBucket",
        "DELETE, /b,      '',                false, DeleteBucket",
        "POST,   /b,      s3eg-rewrap,       false, Rewrap",
        "POST,   /b,      delete,            false, DeleteObjects",
        "POST,   /b,      '',                false, PostObject",
        "PATCH,  /b,      '',                false, -",
        "POST,   /b/k,    uploads,           false, CreateMultipartUpload",
        "PUT,    /b/k,    uploadId=u,        true,  UploadPartCopy",
        "PUT,    /b/k,    uploadId=u,        false, UploadPart",
        "POST,   /b/k,    uploadId=u,        false, CompleteMultipartUpload",
        "DELETE, /b/k,    uploadId=u,        false, AbortMultipartUpload",
        "GET,    /b/k,    uploadId=u,        false, ListParts",
        "POST,   /b/k,    '',                false, -",
        "PUT,    /b/k,    '',                true,  CopyObject",
        "PUT,    /b/k,    '',                false, PutObject",
        "GET,    /b/k,    '',                false, GetObject",
        "HEAD,   /b/k,    '',                false, HeadObject",
        "DELETE, /b/k,    '',                false, DeleteObject",
        "OPTIONS, /b/k,   '',                false, -",
        "GET,    /b,      versioning,        false, GetBucketVersioning",
        "PUT,    /b,      versioning,        false, PutBucketVersioning",
        "DELETE, /b,      versioning,        false, -",
        "GET,    /b,      versions,          false, ListObjectVersions",
        "PUT,    /b,      versions,          false, -",
        "DELETE, /b,      versions,          false, -",
        "GET,    /b,      object-lock,       false, GetObjectLockConfiguration",
        "PUT,    /b,      object-lock,       false, PutObjectLockConfiguration",
        "DELETE, /b,      object-lock,       false, -",
        "GET,    /b,      tagging,           false, GetBucketTagging",
        "PUT,    /b,      tagging,           false, PutBucketTagging",
        "DELETE, /b,      tagging,           false, DeleteBucketTagging",
        "GET,    /b/k,    retention,         false, GetObjectRetention",
        "PUT,    /b/k,    retention,         false, PutObjectRetention",
        "DELETE, /b/k,    retention,         false, -",
        "GET,    /b/k,    legal-hold,        false, GetObjectLegalHold",
        "PUT,    /b/k,    legal-hold,        false, PutObjectLegalHold",
        "DELETE, /b/k,    legal-hold,        false, -",
        "GET,    /b/k,    tagging,           false, GetObjectTagging",
        "PUT,    /b/k,    tagging,           false, PutObjectTagging",
        "DELETE, /b/k,    tagging,           false, DeleteObjectTagging",
        "GET,    /b/k,    versionId=v1,      false, GetObject",
        "HEAD,   /b/k,    versionId=v1,      false, HeadObject",
        "DELETE, /b/k,    versionId=v1,      false, DeleteObject",
        "PUT,    /b/k,    tagging,           true,  PutObjectTagging",
        "GET,    /b,      acl,               false, GetBucketAcl",
        "PUT,    /b,      acl,               false, PutBucketAcl",
        "DELETE, /b,      acl,               false, -",
        "GET,    /b/k,    acl,               false, GetObjectAcl",
        "PUT,    /b/k,    acl,               false, PutObjectAcl",
        "GET,    /b,      policy,            false, GetBucketPolicy",
        "PUT,    /b,      policy,            false, PutBucketPolicy",
        "DELETE, /b,      policy,            false, DeleteBucketPolicy",
        "GET,    /b,      policyStatus,      false, GetBucketPolicyStatus",
        "GET,    /b/k,    policy,            false, GetObject",
        "PUT,    /b,      cors,              false, PutBucketCors",
        "DELETE, /b,      lifecycle,         false, DeleteBucketLifecycle",
        "PUT,    /b,      lifecycle,         false, PutBucketLifecycleConfiguration",
        "GET,    /b,      encryption,        false, GetBucketEncryption",
        "PUT,    /b,      ownershipControls, false, PutBucketOwnershipControls",
        "DELETE, /b,      publicAccessBlock, false, DeletePublicAccessBlock",
        "PUT,    /b,      notification,      false, PutBucketNotificationConfiguration",
        "DELETE, /b,      notification,      false, -",
        "GET,    /b,      logging,           false, GetBucketLogging",
        "DELETE, /b,      website,           false, DeleteBucketWebsite",
        "PUT,    /b,      requestPayment,    false, PutBucketRequestPayment",
      })
  void namesTheOperation(String method, String path, String query, boolean copy, String expected) {
    String[] parts = path.substring(1).split("/", 2);
    String bucket = parts[0].isEmpty() ? null : parts[0];
    String key = parts.length > 1 ? parts[1] : null;
    Map<String, String> params = new HashMap<>();
    if (!query.isEmpty()) {
      String[] kv = query.split("=", 2);
      params.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    Map<String, List<String>> headers = new HashMap<>();
    if (copy) {
      headers.put("X-Amz-Copy-Source", List.of("/src/key"));
    }
    S3Request request =
        new S3Request("id", method, path, query, bucket, key, params, headers, "127.0.0.1");
    assertThat(S3Operation.of(request)).isEqualTo(expected);
  }
}

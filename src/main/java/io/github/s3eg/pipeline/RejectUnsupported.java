package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendKeys;
import io.github.s3eg.s3.CopySource;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import java.util.Set;

/**
 * Answers 501 NotImplemented to S3 sub-resources the gateway does not handle, instead of passing
 * them to the backend unchecked: an ACL, policy, lifecycle or tagging call carried through with the
 * gateway's backend credentials would bypass the gateway's own rules, and a versioned read would
 * bypass decryption checks. Operations S3 added later must be listed too: a request the routes do
 * not recognise runs as the plain operation of its method (a RenameObject as an empty PutObject, a
 * DeleteBucketMetadataTableConfiguration as DeleteBucket). docs/s3-compatibility.md lists every
 * operation and what the gateway does with it. Refuses keys the backend would take for another
 * name, and the gateway's reserved keys ({@link BackendKeys}).
 */
public final class RejectUnsupported {

  static final Set<String> UNSUPPORTED =
      Set.of(
          "abac",
          "accelerate",
          "acl",
          "analytics",
          "cors",
          "encryption",
          "intelligent-tiering",
          "inventory",
          "legal-hold",
          "lifecycle",
          "logging",
          "metadataConfiguration",
          "metadataInventoryTable",
          "metadataJournalTable",
          "metadataTable",
          "metrics",
          "notification",
          "object-lock",
          "ownershipControls",
          "policy",
          "policyStatus",
          "publicAccessBlock",
          "renameObject",
          "replication",
          "requestPayment",
          "restore",
          "retention",
          "select",
          "session",
          "tagging",
          "torrent",
          "versionId",
          "versioning",
          "versions",
          "website");

  /**
   * Sub-resources unsupported on reads only. {@code partNumber} on GET/HEAD asks for one part of a
   * multipart object; answering with the whole object would let a client that downloads by parts
   * assemble a corrupt file. (On PUT it names the part of an UploadPart.)
   */
  static final Set<String> UNSUPPORTED_ON_READ = Set.of("partNumber");

  /**
   * Object Lock request headers (PutObject, CopyObject, CreateMultipartUpload). The gateway does
   * not pass them on, so an object its writer asked to lock would silently be deletable: refused
   * instead, like the Object Lock sub-resources.
   */
  static final Set<String> UNSUPPORTED_HEADERS =
      Set.of(
          "x-amz-object-lock-mode",
          "x-amz-object-lock-retain-until-date",
          "x-amz-object-lock-legal-hold");

  /** CreateBucket's request for Object Lock (a bucket that could never lock anything). */
  static final String BUCKET_OBJECT_LOCK = "x-amz-bucket-object-lock-enabled";

  private final Set<String> alsoUnsupported;
  private final BackendKeys keys;

  /**
   * {@code alsoUnsupported}: sub-resources switched off by configuration (e.g. multipart); {@code
   * keys}: what the backend takes for a key (every key the request names is checked against it).
   */
  public RejectUnsupported(Set<String> alsoUnsupported, BackendKeys keys) {
    this.alsoUnsupported = Set.copyOf(alsoUnsupported);
    this.keys = keys;
  }

  /**
   * Refuses {@code s3} if it names a key the backend would take for another name, a reserved key,
   * or a sub-resource the gateway does not proxy.
   */
  public void check(S3Request s3) {
    // Every key the request names: its own and a copy's source (DeleteObjects checks its body's).
    keys.check(s3.key());
    CopySource source = CopySource.of(s3);
    if (source != null) {
      keys.check(source.key());
    }
    if (s3.key() == null) {
      keys.checkPrefix(s3.param("prefix")); // listings
    }
    for (var parameter : s3.query().entrySet()) {
      if (parameter.getKey().startsWith("response-") && !isHeaderValue(parameter.getValue())) {
        // A response-* override becomes a response header: no CR, LF or other control characters.
        throw new S3Exception(
                S3ErrorCode.INVALID_ARGUMENT, "Header values may not contain control characters.")
            .with("ArgumentName", parameter.getKey());
      }
    }
    for (String header : UNSUPPORTED_HEADERS) {
      if (s3.header(header) != null) {
        throw notImplementedHeader(header);
      }
    }
    if ("true".equalsIgnoreCase(String.valueOf(s3.header(BUCKET_OBJECT_LOCK)).trim())) {
      throw notImplementedHeader(BUCKET_OBJECT_LOCK);
    }
    boolean read = "GET".equals(s3.method()) || "HEAD".equals(s3.method());
    for (String parameter : s3.query().keySet()) {
      if (UNSUPPORTED.contains(parameter)
          || alsoUnsupported.contains(parameter)
          || (read && UNSUPPORTED_ON_READ.contains(parameter))) {
        throw new S3Exception(
                S3ErrorCode.NOT_IMPLEMENTED,
                "The gateway does not support the '" + parameter + "' sub-resource.")
            .with("Resource", "?" + parameter);
      }
    }
  }

  private static S3Exception notImplementedHeader(String header) {
    return new S3Exception(
            S3ErrorCode.NOT_IMPLEMENTED,
            "The gateway does not support Object Lock (the '" + header + "' header).")
        .with("Header", header);
  }

  private static boolean isHeaderValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return false;
      }
    }
    return true;
  }
}

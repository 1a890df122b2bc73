package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendKeys;
import io.github.s3eg.s3.AclHeaders;
import io.github.s3eg.s3.ConfigurationSubresource;
import io.github.s3eg.s3.CopySource;
import io.github.s3eg.s3.RequestedVersion;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.versions.LockSettings;
import java.util.Set;

/**
 * Answers 501 NotImplemented to S3 sub-resources the gateway does not handle, instead of passing
 * them to the backend unchecked: an analytics or inventory call carried through with the gateway's
 * backend credentials would bypass the gateway's own rules. (Versioning, Object Lock and tagging
 * have operations of their own: versions.yaml.) Operations S3 added later must be listed too: a
 * request the routes do not recognise runs as the plain operation of its method (a RenameObject as
 * an empty PutObject, a DeleteBucketMetadataTableConfiguration as DeleteBucket).
 * docs/s3-compatibility.md lists every operation and what the gateway does with it. Refuses keys
 * the backend would take for another name, the gateway's reserved keys ({@link BackendKeys}), and a
 * {@code versionId} on an operation that cannot honour it.
 *
 * <p>The configuration sub-resources in {@code SUBRESOURCES_FORWARDED} ({@link
 * ConfigurationSubresource}: ACLs, policy, CORS, lifecycle, …) pass, to be forwarded by their
 * routes; the others get 501 like the rest. ACL headers on writes follow the same setting: with
 * {@code acl} forwarded, they are kept for the write ({@link AclHeaders#PROPERTY}); without, a
 * request that asks for more than the default ACL is refused rather than stored with another ACL
 * than it asked for. Object Lock headers on a write into a bucket without Object Lock are refused
 * (400 InvalidRequest, as S3 does) rather than ignored by a backend that would leave the object
 * deletable.
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
          "lifecycle",
          "logging",
          "metadataConfiguration",
          "metadataInventoryTable",
          "metadataJournalTable",
          "metadataTable",
          "metrics",
          "notification",
          "ownershipControls",
          "policy",
          "policyStatus",
          "publicAccessBlock",
          "renameObject",
          "replication",
          "requestPayment",
          "restore",
          "select",
          "session",
          "torrent",
          "website");

  /**
   * Sub-resources unsupported on reads only. {@code partNumber} on GET/HEAD asks for one part of a
   * multipart object; answering with the whole object would let a client that downloads by parts
   * assemble a corrupt file. (On PUT it names the part of an UploadPart.)
   */
  static final Set<String> UNSUPPORTED_ON_READ = Set.of("partNumber");

  /** The operations that act on one version of an object when the request names it. */
  static final Set<String> VERSIONED_OPERATIONS =
      Set.of(
          "GetObject",
          "HeadObject",
          "DeleteObject",
          "GetObjectAttributes",
          "GetObjectTagging",
          "PutObjectTagging",
          "DeleteObjectTagging",
          "GetObjectRetention",
          "PutObjectRetention",
          "GetObjectLegalHold",
          "PutObjectLegalHold");

  private final Set<String> alsoUnsupported;
  private final BackendKeys keys;
  private final boolean reserveInstructionFiles;
  private final Set<String> forwarded;

  /**
   * {@code alsoUnsupported}: sub-resources switched off by configuration (e.g. multipart); {@code
   * keys}: what the backend takes for a key (every key the request names is checked against it).
   */
  public RejectUnsupported(Set<String> alsoUnsupported, BackendKeys keys) {
    this(alsoUnsupported, keys, false, Set.of());
  }

  /**
   * {@code reserveInstructionFiles}: with {@code ENCRYPTION_READ_S3EC=true}, keys ending in {@code
   * .instruction} are the S3 Encryption Client's instruction files (the metadata of the object of
   * the same name without the suffix): never readable or writable by clients, nor copy sources.
   * {@code forwarded}: the {@link ConfigurationSubresource#setting() settings} of the configuration
   * sub-resources forwarded to the backend ({@code SUBRESOURCES_FORWARDED}).
   */
  public RejectUnsupported(
      Set<String> alsoUnsupported,
      BackendKeys keys,
      boolean reserveInstructionFiles,
      Set<String> forwarded) {
    this.alsoUnsupported = Set.copyOf(alsoUnsupported);
    this.keys = keys;
    this.reserveInstructionFiles = reserveInstructionFiles;
    this.forwarded = Set.copyOf(forwarded);
  }

  static S3Exception instructionFile(String key) {
    return new S3Exception(
            S3ErrorCode.ACCESS_DENIED,
            "Keys ending in .instruction are S3 Encryption Client instruction files, reserved"
                + " while ENCRYPTION_READ_S3EC=true.")
        .with("Key", key);
  }

  private io.github.s3eg.versions.BucketFeatures features;

  /**
   * A version id other than {@code null} in a bucket that never had versioning is refused as S3
   * refuses it ({@code features}): a backend without versioning (S3Proxy 2.9) would ignore it and
   * read, copy or delete the current object instead.
   */
  public void checkVersionIdsWith(io.github.s3eg.versions.BucketFeatures features) {
    this.features = features;
  }

  private void checkVersionExists(String bucket, String versionId) {
    if (features != null
        && bucket != null
        && versionId != null
        && !versionId.equals("null")
        && !features.keepsVersions(bucket)) {
      throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid version id specified")
          .with("ArgumentName", RequestedVersion.PARAMETER)
          .with("ArgumentValue", versionId);
    }
  }

  /**
   * Refuses {@code s3} if it names a key the backend would take for another name, a reserved key,
   * or a sub-resource the gateway does not proxy.
   *
   * @param operation the S3 operation the request was named ({@code parseRequest})
   * @return the ACL headers the request's backend write carries ({@link AclHeaders#NONE} unless
   *     ACLs are forwarded)
   */
  public AclHeaders check(S3Request s3, String operation) {
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
    if (s3.has(RequestedVersion.PARAMETER) && !VERSIONED_OPERATIONS.contains(operation)) {
      // A write that cannot honour it must not act on the current object instead.
      throw new S3Exception(
              S3ErrorCode.INVALID_ARGUMENT, "This operation does not take a versionId.")
          .with("ArgumentName", RequestedVersion.PARAMETER);
    }
    if (reserveInstructionFiles && S3ecReads.isInstructionFileKey(s3.key())) {
      throw instructionFile(s3.key());
    }
    if (reserveInstructionFiles && source != null && S3ecReads.isInstructionFileKey(source.key())) {
      throw instructionFile(source.key());
    }
    boolean read = "GET".equals(s3.method()) || "HEAD".equals(s3.method());
    for (String parameter : s3.query().keySet()) {
      if (isForwarded(parameter, s3.level())) {
        continue;
      }
      if (UNSUPPORTED.contains(parameter)
          || alsoUnsupported.contains(parameter)
          || (read && UNSUPPORTED_ON_READ.contains(parameter))) {
        throw new S3Exception(
                S3ErrorCode.NOT_IMPLEMENTED,
                "The gateway does not support the '" + parameter + "' sub-resource.")
            .with("Resource", "?" + parameter);
      }
    }
    return writeHeaders(s3, read);
  }

  /**
   * The checks that need the bucket's features (the {@code bucketFeatures} step, once they are
   * known): a version id in a bucket that never kept versions, lock settings in one without Object
   * Lock.
   */
  void checkAgainstFeatures(S3Request s3) {
    checkVersionExists(s3.bucket(), RequestedVersion.of(s3));
    CopySource source = CopySource.of(s3);
    if (source != null) {
      checkVersionExists(source.bucket(), source.versionId());
    }
    boolean read = "GET".equals(s3.method()) || "HEAD".equals(s3.method());
    if (!read && features != null) {
      // Before any body is read: a backend would ignore them (S3Proxy) or refuse after the upload.
      features.requireObjectLockFor(s3.bucket(), LockSettings.fromRequest(s3));
    }
  }

  /**
   * The Object Lock, ACL and ownership headers of a request. ACL headers are kept for the write
   * when ACLs are forwarded, refused when they ask for more than the default and are not. A browser
   * upload's form fields go through here too, as the PutObject they become ({@link BrowserUpload}).
   */
  AclHeaders checkWriteHeaders(S3Request s3, boolean read) {
    if (!read && features != null) {
      // Before any body is read: a backend would ignore them (S3Proxy) or refuse after the upload.
      features.requireObjectLockFor(s3.bucket(), LockSettings.fromRequest(s3));
    }
    return writeHeaders(s3, read);
  }

  private AclHeaders writeHeaders(S3Request s3, boolean read) {
    AclHeaders acl = AclHeaders.from(s3);
    AclHeaders kept = AclHeaders.NONE;
    if (forwarded.contains(ConfigurationSubresource.ACL.setting())) {
      kept = acl;
    } else if (!read && !acl.isDefault()) {
      throw new S3Exception(
              S3ErrorCode.NOT_IMPLEMENTED,
              "This gateway does not forward ACLs (SUBRESOURCES_FORWARDED); only the default private"
                  + " ACL can be used.")
          .with("Header", "x-amz-acl");
    }
    if (!read
        && s3.header("x-amz-object-ownership") != null
        && !forwarded.contains(ConfigurationSubresource.OWNERSHIP_CONTROLS.setting())) {
      throw new S3Exception(
              S3ErrorCode.NOT_IMPLEMENTED,
              "This gateway does not forward object ownership controls (SUBRESOURCES_FORWARDED).")
          .with("Header", "x-amz-object-ownership");
    }
    return kept;
  }

  /** Checks a key a request names in its body (a browser upload's {@code key} field). */
  void checkKey(String key) {
    keys.check(key);
  }

  /** A configuration sub-resource forwarded by configuration, at a level where it exists. */
  private boolean isForwarded(String parameter, String level) {
    return ConfigurationSubresource.byParameter(parameter)
        .filter(s -> forwarded.contains(s.setting()) && s.existsAt(level))
        .isPresent();
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

package io.github.s3eg.pipeline;

import io.github.s3eg.backend.ReservedKeys;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import java.util.Set;

/**
 * Answers 501 NotImplemented to S3 sub-resources the gateway does not handle, instead of passing
 * them to the backend unchecked: an ACL, policy, lifecycle or tagging call carried through with the
 * gateway's backend credentials would bypass the gateway's own rules, and a versioned read would
 * bypass decryption checks.
 */
public final class RejectUnsupported {

  static final Set<String> UNSUPPORTED =
      Set.of(
          "accelerate",
          "acl",
          "analytics",
          "attributes",
          "cors",
          "encryption",
          "intelligent-tiering",
          "inventory",
          "legal-hold",
          "lifecycle",
          "logging",
          "metrics",
          "notification",
          "object-lock",
          "ownershipControls",
          "policy",
          "policyStatus",
          "publicAccessBlock",
          "replication",
          "requestPayment",
          "restore",
          "retention",
          "select",
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

  private final Set<String> alsoUnsupported;

  /** {@code alsoUnsupported}: sub-resources switched off by configuration (e.g. multipart). */
  public RejectUnsupported(Set<String> alsoUnsupported) {
    this.alsoUnsupported = Set.copyOf(alsoUnsupported);
  }

  /** Refuses {@code s3} if it names a reserved key or a sub-resource the gateway does not proxy. */
  public void check(S3Request s3) {
    if (ReservedKeys.isReserved(s3.key())) {
      // The gateway's own records and indexes: never readable or writable by clients.
      throw new S3Exception(
              S3ErrorCode.ACCESS_DENIED,
              "Keys under " + ReservedKeys.PREFIX + " are reserved by the gateway.")
          .with("Key", s3.key());
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
}

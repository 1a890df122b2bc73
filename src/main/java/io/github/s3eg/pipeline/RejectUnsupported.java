package io.github.s3eg.pipeline;

import io.github.s3eg.backend.ReservedKeys;
import io.github.s3eg.s3.AclHeaders;
import io.github.s3eg.s3.ConfigurationSubresource;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Answers 501 NotImplemented to S3 sub-resources the gateway does not handle, instead of passing
 * them to the backend unchecked: a tagging or analytics call carried through with the gateway's
 * backend credentials would bypass the gateway's own rules, and a versioned read would bypass
 * decryption checks. The configuration sub-resources in {@code SUBRESOURCES_FORWARDED} ({@link
 * ConfigurationSubresource}: ACLs, policy, CORS, lifecycle, …) pass, to be forwarded by their
 * routes; the others get 501 like the rest.
 *
 * <p>ACL headers on writes follow the same setting: with {@code acl} forwarded, they are kept for
 * the write ({@link AclHeaders#PROPERTY}); without, a request that asks for more than the default
 * ACL is refused rather than stored with another ACL than it asked for.
 */
public final class RejectUnsupported implements Processor {

  static final Set<String> UNSUPPORTED =
      Set.of(
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
  private final Set<String> forwarded;

  /** {@code alsoUnsupported}: sub-resources switched off by configuration (e.g. multipart). */
  public RejectUnsupported(Set<String> alsoUnsupported) {
    this(alsoUnsupported, Set.of());
  }

  /**
   * {@code forwarded}: the {@link ConfigurationSubresource#setting() settings} of the configuration
   * sub-resources forwarded to the backend ({@code SUBRESOURCES_FORWARDED}).
   */
  public RejectUnsupported(Set<String> alsoUnsupported, Set<String> forwarded) {
    this.alsoUnsupported = Set.copyOf(alsoUnsupported);
    this.forwarded = Set.copyOf(forwarded);
  }

  @Override
  public void process(Exchange exchange) {
    S3Request s3 = exchange.getProperty(S3Request.PROPERTY, S3Request.class);
    if (ReservedKeys.isReserved(s3.key())) {
      // The gateway's own records and indexes: never readable or writable by clients.
      throw new S3Exception(
              S3ErrorCode.ACCESS_DENIED,
              "Keys under " + ReservedKeys.PREFIX + " are reserved by the gateway.")
          .with("Key", s3.key());
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
    AclHeaders acl = AclHeaders.from(s3);
    if (forwarded.contains(ConfigurationSubresource.ACL.setting())) {
      exchange.setProperty(AclHeaders.PROPERTY, acl);
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
  }

  /** A configuration sub-resource forwarded by configuration, at a level where it exists. */
  private boolean isForwarded(String parameter, String level) {
    return ConfigurationSubresource.byParameter(parameter)
        .filter(s -> forwarded.contains(s.setting()) && s.existsAt(level))
        .isPresent();
  }
}

package io.github.s3eg.s3;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The ACL a client asks for when it writes: the canned {@code x-amz-acl} and the {@code
 * x-amz-grant-*} headers of PutObject, CopyObject, CreateMultipartUpload and CreateBucket (and the
 * {@code acl} field of a browser POST). The gateway forwards them to the backend write they belong
 * to, and to its own later writes of the same object (a metadata-only self-copy gets the default
 * ACL at S3 unless it asks again).
 *
 * <p>Kept in the exchange property {@value #PROPERTY} by {@code rejectUnsupported} when ACLs are
 * forwarded ({@code SUBRESOURCES_FORWARDED} has {@code acl}); absent, writes carry no ACL header.
 */
public record AclHeaders(
    String cannedAcl,
    String grantFullControl,
    String grantRead,
    String grantReadAcp,
    String grantWrite,
    String grantWriteAcp) {

  /** The exchange property holding the request's {@link AclHeaders}. */
  public static final String PROPERTY = "s3Acl";

  /** The request headers that set an ACL. */
  public static final List<String> NAMES =
      List.of(
          "x-amz-acl",
          "x-amz-grant-full-control",
          "x-amz-grant-read",
          "x-amz-grant-read-acp",
          "x-amz-grant-write",
          "x-amz-grant-write-acp");

  public static final AclHeaders NONE = new AclHeaders(null, null, null, null, null, null);

  /** The ACL headers of a request (each null when absent). */
  public static AclHeaders from(S3Request request) {
    return new AclHeaders(
        request.header("x-amz-acl"),
        request.header("x-amz-grant-full-control"),
        request.header("x-amz-grant-read"),
        request.header("x-amz-grant-read-acp"),
        request.header("x-amz-grant-write"),
        request.header("x-amz-grant-write-acp"));
  }

  /** No ACL header at all. */
  public boolean isEmpty() {
    return equals(NONE);
  }

  /**
   * Asks for nothing but what every write gets anyway: no header, or {@code x-amz-acl: private}
   * alone (which several clients send on every upload).
   */
  public boolean isDefault() {
    return new AclHeaders(
                null, grantFullControl, grantRead, grantReadAcp, grantWrite, grantWriteAcp)
            .isEmpty()
        && (cannedAcl == null || cannedAcl.trim().toLowerCase(Locale.ROOT).equals("private"));
  }

  /** Applies the headers an object write takes (there is no write grant on objects). */
  public void applyToObject(
      Consumer<String> acl,
      Consumer<String> fullControl,
      Consumer<String> read,
      Consumer<String> readAcp,
      Consumer<String> writeAcp) {
    acl.accept(cannedAcl);
    fullControl.accept(grantFullControl);
    read.accept(grantRead);
    readAcp.accept(grantReadAcp);
    writeAcp.accept(grantWriteAcp);
  }

  /** Applies every header to a bucket creation. */
  public void applyToBucket(
      Consumer<String> acl,
      Consumer<String> fullControl,
      Consumer<String> read,
      Consumer<String> readAcp,
      Consumer<String> write,
      Consumer<String> writeAcp) {
    applyToObject(acl, fullControl, read, readAcp, writeAcp);
    write.accept(grantWrite);
  }
}

package io.github.s3eg.s3;

/**
 * Names the S3 operation of a request from its method, level (service, bucket, object),
 * sub-resources and copy-source header, once, right after parsing. The {@code s3-api} route
 * dispatches on this name ({@code ${exchangeProperty.s3Operation} == 'PutObject'}): one property
 * read and a string comparison per branch, where matching each branch on method, level and query
 * with {@code simple} expressions cost a reflective bean call per term (about 0.2 ms a request,
 * measured; see docs/performance.md).
 */
public final class S3Operation {

  /** The exchange property holding the name, or no property when nothing matches. */
  public static final String PROPERTY = "s3Operation";

  private S3Operation() {}

  /** The operation's name (the route it goes to), or null for a method the level does not allow. */
  public static String of(S3Request r) {
    String method = r.method();
    java.util.Optional<ConfigurationSubresource> configuration = ConfigurationSubresource.of(r);
    if (configuration.isPresent() && configuration.get().existsAt(r.level())) {
      // Forwarded configuration (GetBucketPolicy, PutObjectAcl, …); another method: 405.
      return configuration.get().operation(r.level(), method);
    }
    return switch (r.level()) {
      case "service" -> service(r, method);
      case "bucket" -> bucket(r, method);
      default -> object(r, method);
    };
  }

  private static String service(S3Request r, String method) {
    if (!method.equals("GET")) {
      return null;
    }
    return r.has("s3eg-audit") ? "AuditEvents" : "ListBuckets";
  }

  private static String bucket(S3Request r, String method) {
    return switch (method) {
      case "GET" -> {
        if (r.has("location")) {
          yield "GetBucketLocation";
        }
        if (r.has("uploads")) {
          yield "ListMultipartUploads";
        }
        if (r.has("s3eg-scrub")) {
          yield "ScrubStatus";
        }
        String configuration = bucketConfiguration(r, "Get");
        if (configuration != null) {
          yield configuration;
        }
        if (r.has("versions")) {
          yield "ListObjectVersions";
        }
        yield "2".equals(r.param("list-type")) ? "ListObjectsV2" : "ListObjects";
      }
      case "HEAD" -> "HeadBucket";
      case "PUT" -> {
        String configuration = bucketConfiguration(r, "Put");
        if (configuration != null) {
          yield configuration;
        }
        yield r.has("versions") ? null : "CreateBucket";
      }
      case "DELETE" -> {
        if (r.has("versioning") || r.has("object-lock") || r.has("versions")) {
          yield null; // settings S3 has no delete for: never a DeleteBucket
        }
        yield r.has("tagging") ? "DeleteBucketTagging" : "DeleteBucket";
      }
      case "POST" -> {
        if (r.has("s3eg-rewrap")) {
          yield "Rewrap";
        }
        if (r.has("s3eg-scrub")) {
          yield "Scrub";
        }
        // Any other POST on a bucket is a browser upload (POST Object); it must be a form.
        yield r.has("delete") ? "DeleteObjects" : "PostObject";
      }
      default -> null;
    };
  }

  /**
   * Bucket settings the gateway passes to the backend with a verb ({@code Get}, {@code Put}):
   * versioning, the Object Lock configuration and the bucket's tags; null for none of them.
   */
  private static String bucketConfiguration(S3Request r, String verb) {
    if (r.has("versioning")) {
      return verb + "BucketVersioning";
    }
    if (r.has("object-lock")) {
      return verb + "ObjectLockConfiguration";
    }
    if (r.has("tagging")) {
      return verb + "BucketTagging";
    }
    return null;
  }

  /**
   * An object's retention, legal hold and tags ({@code GetObjectRetention}, {@code
   * PutObjectLegalHold}, …): null when the request names none of them.
   */
  private static String objectSetting(S3Request r, String verb) {
    if (r.has("retention")) {
      return verb + "ObjectRetention";
    }
    if (r.has("legal-hold")) {
      return verb + "ObjectLegalHold";
    }
    if (r.has("tagging")) {
      return verb + "ObjectTagging";
    }
    return null;
  }

  private static String object(S3Request r, String method) {
    boolean upload = r.has("uploadId");
    boolean copy = r.header("x-amz-copy-source") != null;
    return switch (method) {
      case "POST" -> {
        if (r.has("uploads")) {
          yield "CreateMultipartUpload";
        }
        yield upload ? "CompleteMultipartUpload" : null;
      }
      case "PUT" -> {
        if (upload) {
          yield copy ? "UploadPartCopy" : "UploadPart";
        }
        String setting = objectSetting(r, "Put");
        if (setting != null) {
          yield setting;
        }
        yield copy ? "CopyObject" : "PutObject";
      }
      case "GET" -> {
        if (upload) {
          yield "ListParts";
        }
        String setting = objectSetting(r, "Get");
        if (setting != null) {
          yield setting;
        }
        yield r.has("attributes") ? "GetObjectAttributes" : "GetObject";
      }
      case "HEAD" -> "HeadObject";
      case "DELETE" -> {
        if (upload) {
          yield "AbortMultipartUpload";
        }
        if (r.has("retention") || r.has("legal-hold")) {
          yield null; // settings S3 has no delete for: never a DeleteObject
        }
        yield r.has("tagging") ? "DeleteObjectTagging" : "DeleteObject";
      }
      default -> null;
    };
  }
}

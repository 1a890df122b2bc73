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
        yield "2".equals(r.param("list-type")) ? "ListObjectsV2" : "ListObjects";
      }
      case "HEAD" -> "HeadBucket";
      case "PUT" -> "CreateBucket";
      case "DELETE" -> "DeleteBucket";
      case "POST" -> {
        if (r.has("s3eg-rewrap")) {
          yield "Rewrap";
        }
        yield r.has("delete") ? "DeleteObjects" : null;
      }
      default -> null;
    };
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
        yield copy ? "CopyObject" : "PutObject";
      }
      case "GET" -> {
        if (upload) {
          yield "ListParts";
        }
        yield r.has("attributes") ? "GetObjectAttributes" : "GetObject";
      }
      case "HEAD" -> "HeadObject";
      case "DELETE" -> upload ? "AbortMultipartUpload" : "DeleteObject";
      default -> null;
    };
  }
}

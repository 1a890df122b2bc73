package io.github.s3eg.conformance;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * What a case has at hand on its target: the SDK clients, fresh buckets of its own (so that cases
 * never see each other's objects), hand-built requests, and a few helpers for the checks cases
 * repeat.
 */
public final class CaseContext {

  private final TargetClients clients;
  private final String caseName;
  private final AtomicInteger bucketCounter;
  private String bucket;

  CaseContext(TargetClients clients, String caseName, AtomicInteger bucketCounter) {
    this.clients = clients;
    this.caseName = caseName;
    this.bucketCounter = bucketCounter;
  }

  public Target target() {
    return clients.target;
  }

  /** The SDK client for most cases: checksums only where S3 requires them, no retries. */
  public S3Client s3() {
    return clients.s3;
  }

  /** The SDK client at its default settings (CRC32 trailers, response checksum validation). */
  public S3Client s3WithDefaultChecksums() {
    return clients.s3WithDefaultChecksums;
  }

  public S3Presigner presigner() {
    return clients.presigner;
  }

  /** This case's own bucket, created on first use. */
  public String bucket() {
    if (bucket == null) {
      bucket = newBucketName();
      s3().createBucket(b -> b.bucket(bucket));
    }
    return bucket;
  }

  /** A bucket name no one uses yet (not created): unique per target, readable in logs. */
  public String newBucketName() {
    String slug =
        caseName
            .substring(caseName.indexOf(':') + 1)
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-");
    String name =
        "cf" + target().name().charAt(0) + String.format("%04d", bucketCounter.incrementAndGet());
    name = name + "-" + slug;
    name = name.length() > 63 ? name.substring(0, 63) : name;
    return name.replaceAll("-+$", "");
  }

  /** A fresh bucket besides {@link #bucket()}, created now. */
  public String createBucket() {
    String name = newBucketName();
    s3().createBucket(b -> b.bucket(name));
    return name;
  }

  /** A request built by hand on this target: {@code c.request("GET").bucket(b).send()}. */
  public RawRequest request(String method) {
    return new RawRequest(clients.http, target(), method, clients.retried);
  }

  /** Sends {@code method} to a URL as it is (a presigned URL), without signing. */
  public HttpResult fetch(String method, URI url, byte[] body) {
    SdkHttpFullRequest.Builder b =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.fromValue(method))
            .uri(url)
            .putHeader("Connection", "close");
    if (body != null) {
      b.contentStreamProvider(() -> new java.io.ByteArrayInputStream(body))
          .putHeader("Content-Length", Integer.toString(body.length));
    }
    return RawRequest.execute(clients.http, b.build());
  }

  /** Sends a bodiless {@code method} to a URL as it is, with one extra header. */
  public HttpResult fetchWithHeader(String method, URI url, String header, String value) {
    return RawRequest.execute(
        clients.http,
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.fromValue(method))
            .uri(url)
            .putHeader("Connection", "close")
            .putHeader(header, value)
            .build());
  }

  /** Puts {@code body} at {@code key} in {@link #bucket()}. */
  public PutObjectResponse put(String key, byte[] body) {
    return put(bucket(), key, body);
  }

  public PutObjectResponse put(String bucket, String key, byte[] body) {
    return s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(body));
  }

  public PutObjectResponse put(String key, String body) {
    return put(key, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads {@code key} of {@link #bucket()} whole. */
  public byte[] get(String key) {
    return get(bucket(), key);
  }

  public byte[] get(String bucket, String key) {
    return s3().getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
  }

  /** Deterministic pseudo-random bytes: the same {@code size} gives the same bytes everywhere. */
  public static byte[] bytes(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  /** The ETag S3 gives a single-part upload of {@code body}: its MD5 in hex, quoted. */
  public static String md5Etag(byte[] body) {
    try {
      return "\""
          + java.util.HexFormat.of()
              .formatHex(java.security.MessageDigest.getInstance("MD5").digest(body))
          + "\"";
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Concatenates byte arrays (multipart bodies). */
  public static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** Runs {@code call} and checks it fails with this HTTP status and S3 error code. */
  public static S3Exception expectError(int status, String code, ThrowingRunnable call) {
    try {
      call.run();
    } catch (S3Exception e) {
      String actual = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      if (e.statusCode() != status || (code != null && !code.equals(actual))) {
        throw new AssertionError(
            "expected " + status + " " + code + ", got " + e.statusCode() + " " + actual, e);
      }
      return e;
    } catch (Exception e) {
      throw new AssertionError("expected " + status + " " + code + ", got " + e, e);
    }
    throw new AssertionError("expected " + status + " " + code + ", but the call succeeded");
  }

  /** Checks a raw answer's status and S3 error code (null: any code). */
  public static HttpResult expectError(int status, String code, HttpResult result) {
    if (result.status() != status || (code != null && !code.equals(result.errorCode()))) {
      throw new AssertionError("expected " + status + " " + code + ", got " + result);
    }
    return result;
  }

  @FunctionalInterface
  public interface ThrowingRunnable {
    void run() throws Exception;
  }
}

package io.github.s3eg.backend;

import io.github.s3eg.s3.ForwardedError;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.xml.XmlReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Sends a configuration request (an ACL, policy, CORS, lifecycle … call) to the backend as the
 * client sent it: method, bucket, key, sub-resource, the few headers that belong to it and the body
 * bytes, signed with the gateway's backend credentials, over the backend clients' connection pool.
 * The answer comes back as the backend gave it (status, content type, body); a refusal becomes a
 * {@link ForwardedError} with the backend's code and message. Configuration documents are small (S3
 * caps them far below {@value #MAX_DOCUMENT_BYTES} bytes), so both ways they are held in memory.
 *
 * <p>A typed SDK call per sub-resource would parse the client's document into the SDK's model and
 * write it out again, losing whatever that model does not know; forwarding the bytes keeps the
 * document exactly as the client wrote it.
 *
 * <p>{@code DELETE} of a bucket sub-resource is guarded. S3Proxy (DeleteBucketPolicy, …Encryption,
 * …OwnershipControls, DeletePublicAccessBlock) and Ceph RGW 16.2 (DeleteBucketEncryption,
 * …OwnershipControls) take a DELETE with a sub-resource they do not know for DeleteBucket: an empty
 * bucket would be deleted. So a one-byte guard record is written in the bucket first and removed
 * after; such a backend then answers 409 BucketNotEmpty, which is reported as 501 NotImplemented.
 */
public final class ForwardedRequests {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ForwardedRequests.class);

  /** The largest configuration document forwarded either way. */
  public static final int MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;

  /** Where guard records live (one per DELETE of a bucket sub-resource, for its duration). */
  static final String GUARD_PREFIX = ReservedKeys.PREFIX + "guards/";

  private final SdkHttpClient http;
  private final BackendAddress address;
  private final String region;
  private final AwsCredentialsProvider credentials;
  private final S3Client s3;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  ForwardedRequests(
      SdkHttpClient http,
      URI endpoint,
      boolean pathStyle,
      String region,
      AwsCredentialsProvider credentials,
      S3Client s3) {
    this.http = http;
    this.address = new BackendAddress(endpoint, pathStyle);
    this.region = region;
    this.credentials = credentials;
    this.s3 = s3;
  }

  /**
   * One request to forward.
   *
   * @param key the object key, or null for a bucket sub-resource
   * @param query the sub-resource and its parameters, in order (a value of {@code ""} is sent as
   *     {@code ?acl=}, which S3 reads as {@code ?acl})
   * @param headers the client's headers that go along (nothing else the client sent does)
   * @param body the document, empty for GET and DELETE
   * @param answerRoots the root elements a GET's answer may have ({@code "{"} for JSON): anything
   *     else means the backend does not have the sub-resource
   */
  public record Request(
      String method,
      String bucket,
      String key,
      Map<String, String> query,
      Map<String, String> headers,
      byte[] body,
      java.util.Set<String> answerRoots) {}

  /** The backend's answer to a forwarded request that succeeded. */
  public record Response(int status, Optional<String> contentType, byte[] body) {}

  /**
   * Sends {@code request} and returns the backend's successful answer.
   *
   * @throws ForwardedError the backend refused it (4xx, 501), with its code and message
   * @throws S3Exception ServiceUnavailable when the backend fails (5xx) or cannot be reached
   */
  public Response send(Request request) {
    if (request.method().equals("DELETE") && request.key() == null) {
      return deleteGuarded(request);
    }
    return sendOnce(request);
  }

  private Response deleteGuarded(Request request) {
    String guard = GUARD_PREFIX + UUID.randomUUID();
    String version;
    try {
      // One byte: Ceph RGW 16.2 answers 400 to the SDK's zero-length (aws-chunked) PUT.
      version =
          s3.putObject(
                  b -> b.bucket(request.bucket()).key(guard),
                  software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[] {'g'}))
              .versionId();
    } catch (software.amazon.awssdk.services.s3.model.S3Exception refused) {
      return deleteUnguarded(request, refused);
    }
    try {
      return sendOnce(request);
    } catch (ForwardedError e) {
      throw notImplementedIfDeleteBucket(e, request);
    } finally {
      try {
        s3.deleteObject(b -> b.bucket(request.bucket()).key(guard).versionId(version));
      } catch (RuntimeException e) {
        // Hidden from clients like every reserved key; only storage is lost (e.g. a version held
        // by a default Object Lock retention until that retention ends).
        LOG.warn(
            "could not delete guard record {} in {}: {}", guard, request.bucket(), e.toString());
      }
    }
  }

  /**
   * The backend refused the guard record (RGW 16.2 refuses object writes to a bucket whose public
   * ACL a public access block blocks). A bucket that holds anything cannot be deleted by the DELETE
   * either, so it is sent after a look; an empty one is left alone.
   */
  private Response deleteUnguarded(
      Request request, software.amazon.awssdk.services.s3.model.S3Exception refused) {
    if (refused.statusCode() == 404 || refused.statusCode() >= 500) {
      throw refused;
    }
    boolean empty =
        s3.listObjectsV2(b -> b.bucket(request.bucket()).maxKeys(1)).contents().isEmpty();
    if (empty) {
      throw new ForwardedError(
          refused.awsErrorDetails() == null || refused.awsErrorDetails().errorCode() == null
              ? "AccessDenied"
              : refused.awsErrorDetails().errorCode(),
          refused.statusCode(),
          "The gateway could not guard this bucket against being deleted by a backend that does"
              + " not know DELETE ?"
              + request.query().keySet().iterator().next()
              + " (the backend refused its guard record), and the bucket is empty.");
    }
    try {
      return sendOnce(request);
    } catch (ForwardedError e) {
      throw notImplementedIfDeleteBucket(e, request);
    }
  }

  private static ForwardedError notImplementedIfDeleteBucket(ForwardedError e, Request request) {
    if (e.httpStatus() == 409 && "BucketNotEmpty".equals(e.code())) {
      // The backend read the DELETE as DeleteBucket: it does not have this sub-resource.
      return new ForwardedError(
          "NotImplemented",
          501,
          "The storage backend does not implement DELETE ?"
              + request.query().keySet().iterator().next()
              + ".");
    }
    return e;
  }

  private Response sendOnce(Request request) {
    SdkHttpFullRequest.Builder b =
        address.request(SdkHttpMethod.fromValue(request.method()), request.bucket(), request.key());
    request.query().forEach(b::putRawQueryParameter);
    request.headers().forEach(b::putHeader);
    byte[] body = request.body();
    ContentStreamProvider payload = null;
    if (body.length > 0 || request.method().equals("PUT")) {
      payload = ContentStreamProvider.fromByteArray(body);
      b.putHeader("Content-Length", Integer.toString(body.length));
      b.putHeader("Content-MD5", Base64.getEncoder().encodeToString(md5(body)));
    }
    ContentStreamProvider signedPayload = payload;
    SignedRequest signed =
        signer.sign(
            s ->
                s.identity(credentials.resolveCredentials())
                    .request(b.build())
                    .payload(signedPayload)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
    SdkHttpRequest wire = signed.request();
    HttpExecuteRequest.Builder execute = HttpExecuteRequest.builder().request(wire);
    signed.payload().ifPresent(execute::contentStreamProvider);
    HttpExecuteResponse answer;
    byte[] bytes;
    try {
      answer = http.prepareRequest(execute.build()).call();
      bytes = read(answer);
    } catch (IOException e) {
      throw new S3Exception(
          S3ErrorCode.SERVICE_UNAVAILABLE,
          "The storage backend cannot be reached; please retry.",
          e);
    }
    int status = answer.httpResponse().statusCode();
    if (status >= 200 && status < 300) {
      requireAnswerOf(request, answer, bytes);
      return new Response(status, answer.httpResponse().firstMatchingHeader("Content-Type"), bytes);
    }
    throw refusal(status, bytes);
  }

  /**
   * A backend that does not know a sub-resource may serve the request as the plain bucket request
   * instead: a GET as ListObjects (a listing, with key names, passed off as the configuration), a
   * PUT as CreateBucket (success, with nothing stored). Neither answer looks like the real one: the
   * listing has another root element, CreateBucket answers a {@code Location}.
   */
  private static void requireAnswerOf(Request request, HttpExecuteResponse answer, byte[] bytes) {
    String subresource = request.query().keySet().iterator().next();
    boolean createBucket =
        request.method().equals("PUT")
            && request.key() == null
            && answer.httpResponse().firstMatchingHeader("Location").isPresent();
    boolean otherDocument =
        request.method().equals("GET")
            && !request.answerRoots().isEmpty()
            && !rootIsOneOf(bytes, request.answerRoots());
    if (createBucket || otherDocument) {
      throw new ForwardedError(
          "NotImplemented",
          501,
          "The storage backend does not implement "
              + request.method()
              + " ?"
              + subresource
              + " (it answered another request).");
    }
  }

  private static boolean rootIsOneOf(byte[] bytes, java.util.Set<String> roots) {
    if (roots.contains("{")) {
      String text = new String(bytes, StandardCharsets.UTF_8).stripLeading();
      return text.startsWith("{");
    }
    try {
      return roots.contains(XmlReader.parse(bytes).name());
    } catch (RuntimeException notXml) {
      return false;
    }
  }

  private static byte[] read(HttpExecuteResponse answer) throws IOException {
    if (answer.responseBody().isEmpty()) {
      return new byte[0];
    }
    try (InputStream in = answer.responseBody().get()) {
      byte[] bytes = in.readNBytes(MAX_DOCUMENT_BYTES + 1);
      if (bytes.length > MAX_DOCUMENT_BYTES) {
        answer.responseBody().get().abort();
        throw new IOException("the backend's answer exceeds " + MAX_DOCUMENT_BYTES + " bytes");
      }
      return bytes;
    }
  }

  /** The client-facing error for a backend's refusal. */
  static S3Exception refusal(int status, byte[] body) {
    if (status >= 500 && status != 501) {
      return new S3Exception(
          S3ErrorCode.SERVICE_UNAVAILABLE, "The storage backend is unavailable; please retry.");
    }
    Map<String, String> error = errorDocument(body);
    String code = error.getOrDefault("Code", status == 501 ? "NotImplemented" : "InvalidRequest");
    String message = error.get("Message");
    if (message == null || message.isBlank()) {
      message = "The storage backend refused the request (" + code + ").";
    }
    return new ForwardedError(code, status, message);
  }

  /** {@code Code} and {@code Message} of an S3 error document, or nothing. */
  static Map<String, String> errorDocument(byte[] body) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (body.length == 0) {
      return fields;
    }
    try {
      XmlReader.Element root = XmlReader.parse(body);
      if (root.name().equals("Error")) {
        String code = root.childText("Code");
        if (code != null && !code.isBlank()) {
          fields.put("Code", code.trim());
        }
        String message = root.childText("Message");
        if (message != null) {
          fields.put("Message", message.trim());
        }
      }
    } catch (RuntimeException notXml) {
      // Not an S3 error document (a proxy's page): the status alone speaks.
    }
    return fields;
  }

  private static byte[] md5(byte[] body) {
    try {
      return MessageDigest.getInstance("MD5").digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by every Java platform", e);
    }
  }
}

package io.github.s3eg.pipeline;

import io.github.s3eg.backend.ContentMd5;
import io.github.s3eg.backend.WriteCondition;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.EncryptionSession;
import io.github.s3eg.crypto.ObjectEncryptor;
import io.github.s3eg.http.RequestBodyStream;
import io.github.s3eg.s3.AclHeaders;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3RequestParser;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.auth.AuthResult;
import io.github.s3eg.s3.auth.Authenticator;
import io.github.s3eg.s3.auth.PermissionMatrix;
import io.github.s3eg.s3.auth.UriEncoding;
import io.github.s3eg.s3.post.MultipartForm;
import io.github.s3eg.s3.post.PostPolicy;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Browser uploads (S3's POST Object): a {@code multipart/form-data} form whose fields name the key,
 * the object's headers and a policy signed with SigV4, followed by the file. The request carries no
 * signature of its own, so {@link Authenticate} leaves it pending for {@link #readForm}: the fields
 * before the file are read, the policy's signature verified, its expiration and conditions checked,
 * the principal authorized for a PutObject of the key, and only then is the file read.
 *
 * <p>The file is encrypted like a PutObject's body, as it arrives. Its length is not known before
 * its end (the form has no per-part length), so the ciphertext is spooled ({@link UploadSpool}:
 * memory up to {@code ENCRYPTION_SPOOL_LIMIT}, then an owner-only temporary file; only ciphertext
 * is ever written) and uploaded with its exact length once the file ended within the policy's
 * {@code content-length-range}. A refused or truncated upload never reaches the backend.
 */
public final class BrowserUpload {

  /** Fields that authenticate the form; they do not become headers. */
  private static final Set<String> AUTH_FIELDS =
      Set.of(
          "policy",
          "x-amz-signature",
          "x-amz-credential",
          "x-amz-algorithm",
          "x-amz-date",
          "x-amz-security-token");

  /** Form fields that become the PutObject's headers of the same name. */
  private static final Set<String> HEADER_FIELDS =
      Set.of(
          "content-type",
          "cache-control",
          "content-disposition",
          "content-encoding",
          "content-language",
          "expires");

  /** The leftovers after the file (S3 ignores fields there) are read up to this, then left. */
  private static final long DRAIN_LIMIT = 1 << 20;

  private final Authenticator authenticator;
  private final RejectUnsupported rules;
  private final ObjectEncryptor encryptor;
  private final long spoolLimit;
  private final long idleTimeoutMillis;
  private final Clock clock;

  /** The form's fields before the file, the key it names, for the answer. */
  record Fields(Map<String, String> values, String key) {}

  /**
   * @param authenticator null when authentication is switched off ({@code AUTH_ENABLED=false}): the
   *     policy's conditions are still checked when the form has one
   */
  public BrowserUpload(
      Authenticator authenticator,
      RejectUnsupported rules,
      ObjectEncryptor encryptor,
      long spoolLimit,
      long idleTimeoutMillis,
      Clock clock) {
    this.authenticator = authenticator;
    this.rules = rules;
    this.encryptor = encryptor;
    this.spoolLimit = spoolLimit;
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.clock = clock;
  }

  /**
   * Reads and checks the form, then encrypts the file into a spool: afterwards the request is a
   * PutObject of the form's key (by the principal who signed the policy) whose ciphertext is ready
   * for {@code backend:putObject}, and the body is its backend request.
   */
  PutObjectRequest readForm(RequestState state, Exchange exchange)
      throws IOException, CryptoException {
    S3Request post = state.request();
    RequestBodyStream wire = new RequestBodyStream(state.http().request(), idleTimeoutMillis);
    state.bodyStarted(wire);
    MultipartForm.Form form = MultipartForm.read(wire, post.header("Content-Type"));
    Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    fields.putAll(form.fields());
    fields.put("bucket", post.bucket()); // the policy's bucket condition is about the path's

    Authentication pending = state.authentication();
    AuthResult auth =
        authenticator == null ? pending.result() : authenticator.authenticatePostPolicy(fields);
    PostPolicy policy =
        fields.containsKey("policy") ? PostPolicy.parse(fields.get("policy")) : null;
    if (policy != null) {
      policy.check(fields, clock.instant());
    }
    String key = fields.get("key");
    if (key == null) {
      throw new S3Exception(
              S3ErrorCode.INVALID_ARGUMENT,
              "Bucket POST must contain a field named 'key'.  If it is specified, please check the"
                  + " order of the fields.")
          .with("ArgumentName", "key");
    }
    key = key.replace("${filename}", form.fileName());
    if (key.isEmpty()) {
      throw new S3Exception(
              S3ErrorCode.INVALID_ARGUMENT, "User key must have a length greater than 0.")
          .with("ArgumentName", "key");
    }
    S3RequestParser.validateKey(key);
    rules.checkKey(key);

    S3Request put = asPutObject(post, key, fields);
    var accesses = PermissionMatrix.of("PutObject", put);
    state.signatureVerified(auth, accesses);
    PermissionMatrix.authorize(auth.principal(), accesses);
    AclHeaders acl = rules.checkWriteHeaders(put, false);
    if (pending.formPending()) {
      state.formVerified(put, new Authentication(pending.signed(), auth, accesses));
    }
    state.keepAcl(acl);
    state.keepOperationState(new Fields(fields, key));

    ObjectHeaders headers = ObjectHeaders.fromRequest(put);
    EncryptObject.rejectReservedMetadata(headers.userMetadata());
    long min = policy == null ? 0 : policy.minLength();
    long max = policy == null ? Long.MAX_VALUE : policy.maxLength();
    EncryptionSession session = encryptor.begin(put.bucket(), key);
    UploadSpool spool = UploadSpool.fill(session.encrypt(new AtMost(form.file(), max)), spoolLimit);
    exchange.getExchangeExtension().addOnCompletion(new EncryptObject.SpoolCleanup(spool));
    if (session.plaintextSize() < min) {
      throw new S3Exception(
              S3ErrorCode.ENTITY_TOO_SMALL,
              "Your proposed upload is smaller than the minimum allowed size")
          .with("ProposedSize", Long.toString(session.plaintextSize()))
          .with("MinSizeAllowed", Long.toString(min));
    }
    drain(wire);
    Map<String, String> stored = new LinkedHashMap<>(headers.userMetadata());
    stored.putAll(session.completeMetadata());
    // The ciphertext is whole in the spool: its MD5 goes with it (S3 wants one in a bucket with
    // Object Lock, and the backend checks what it stores against it).
    EncryptedUpload.Whole upload =
        new EncryptedUpload.Whole(
            spool.open(),
            spool.length(),
            headers,
            stored,
            session,
            false,
            Optional.empty(),
            ContentMd5.encode(spool.md5()));
    state.provideCiphertext(upload);
    return ObjectOperations.putObjectRequest(put, upload, WriteCondition.NONE, acl);
  }

  /** The step: provides what the PutObject steps after it need. */
  Step readFormStep() {
    return Step.named("readForm")
        .callsBackend()
        .completesAuthentication()
        .requires(Fact.CONCURRENCY_LIMITED)
        .provides(Fact.CIPHERTEXT)
        .does((state, exchange) -> exchange.getIn().setBody(readForm(state, exchange)));
  }

  /** The answer step, after {@code putObjectStored}. */
  Step responseStep() {
    return Step.named("browserUploadResponse")
        .requires(Fact.STORED, Fact.RESPONSE)
        .provides(Fact.RESPONSE)
        .does(
            (state, exchange) ->
                state.respond(
                    respond(
                        state,
                        state.operationState(Fields.class, "readForm", "browserUploadResponse"))));
  }

  /** The PutObject the form asks for: its fields as headers, nothing else of the POST. */
  static S3Request asPutObject(S3Request post, String key, Map<String, String> fields) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, String> f : fields.entrySet()) {
      String name = f.getKey().toLowerCase(Locale.ROOT);
      if (AUTH_FIELDS.contains(name)) {
        continue;
      }
      if (HEADER_FIELDS.contains(name) || name.startsWith("x-amz-")) {
        headers.put(name, List.of(f.getValue()));
      } else if (name.equals("acl")) {
        headers.put("x-amz-acl", List.of(f.getValue()));
      } else if (name.equals("tagging")) {
        throw new S3Exception(
                S3ErrorCode.NOT_IMPLEMENTED,
                "The gateway does not support tags on browser uploads.")
            .with("ArgumentName", "tagging");
      }
    }
    String path =
        (post.rawPath().endsWith("/") ? post.rawPath() : post.rawPath() + "/")
            + UriEncoding.encode(key.getBytes(StandardCharsets.UTF_8), true);
    return new S3Request(
        post.requestId(),
        "PUT",
        path,
        "",
        post.bucket(),
        key,
        Map.of(),
        headers,
        post.clientAddress());
  }

  /** What the client sent after the file: read (up to a limit) so the connection can be reused. */
  private static void drain(RequestBodyStream wire) throws IOException {
    byte[] skip = new byte[8192];
    long total = 0;
    int n;
    while (total < DRAIN_LIMIT && (n = wire.read(skip)) >= 0) {
      total += n;
    }
  }

  /**
   * S3's answer to a browser upload: a redirect to {@code success_action_redirect} (303, with
   * bucket, key and ETag in its query), else {@code success_action_status} 200 (empty), 201 (a
   * PostResponse document) or, by default, 204.
   */
  S3Response respond(RequestState state, Fields form) {
    S3Request s3 = state.request();
    S3Response put = state.response();
    String etag = put.headerValue("ETag");
    String location = objectUrl(state, s3);
    String redirect = form.values().get("success_action_redirect");
    if (redirect == null) {
      redirect = form.values().get("redirect");
    }
    S3Response answer = null;
    if (redirect != null && isHttpUrl(redirect)) {
      String query =
          "bucket="
              + UriEncoding.encode(s3.bucket())
              + "&key="
              + UriEncoding.encode(s3.key())
              + "&etag="
              + UriEncoding.encode(etag);
      answer =
          S3Response.status(303)
              .header("Location", redirect + (redirect.contains("?") ? "&" : "?") + query);
    } else {
      String status = form.values().getOrDefault("success_action_status", "204");
      answer =
          switch (status) {
            case "200" -> S3Response.status(200);
            case "201" -> S3Response.xml(201, postResponse(location, s3, etag));
            default -> S3Response.status(204);
          };
      answer.header("Location", location);
    }
    answer.header("ETag", etag);
    answer.header("x-amz-version-id", put.headerValue("x-amz-version-id"));
    return answer;
  }

  private static boolean isHttpUrl(String value) {
    try {
      URI uri = URI.create(value);
      return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
          && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The object's URL as the client addressed the gateway. */
  private static String objectUrl(RequestState state, S3Request s3) {
    HttpExchange http = state.http();
    String host = s3.header("Host");
    String scheme = http.request().isSSL() ? "https" : "http";
    return scheme + "://" + (host == null ? "localhost" : host) + s3.rawPath();
  }

  private static byte[] postResponse(String location, S3Request s3, String etag) {
    String xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse><Location>"
            + escape(location)
            + "</Location><Bucket>"
            + escape(s3.bucket())
            + "</Bucket><Key>"
            + escape(s3.key())
            + "</Key><ETag>"
            + escape(etag)
            + "</ETag></PostResponse>";
    return xml.getBytes(StandardCharsets.UTF_8);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /**
   * Fails the read past {@code max} bytes (EntityTooLarge): the spool never holds more than the
   * policy allows, and the upload is refused before anything reaches the backend.
   */
  private static final class AtMost extends FilterInputStream {
    private final long max;
    private long count;

    AtMost(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        add(n);
      }
      return n;
    }

    private void add(long n) {
      count += n;
      if (count > max) {
        throw new S3Exception(
                S3ErrorCode.ENTITY_TOO_LARGE,
                "Your proposed upload exceeds the maximum allowed size")
            .with("MaxSizeAllowed", Long.toString(max));
      }
    }
  }
}

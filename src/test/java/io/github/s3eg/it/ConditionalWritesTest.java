package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Conditional writes (If-None-Match: *, If-Match) on PutObject, CompleteMultipartUpload and
 * CopyObject's destination, against the ETags clients see, and carried to the backend with the
 * write (seen on the wire by the probe between gateway and backend): If-None-Match as it is,
 * If-Match as the backend ETag of the object whose client ETag matched.
 */
class ConditionalWritesTest {

  private static final String BUCKET = "conditional";
  private static final byte[] PART = new byte[5 * 1024 * 1024];

  private static GatewayFixture fixture;
  private static S3Client s3;
  private static S3Client direct;

  @BeforeAll
  static void start() throws Exception {
    // Plaintext reads allowed: a plaintext source is copied by re-encrypting it (its own path).
    fixture = GatewayFixture.start(Map.of("ENCRYPTION_ALLOW_PLAINTEXT_READS", "true"));
    s3 = fixture.whenRequiredClient();
    direct = fixture.backend().directClient();
    s3.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    direct.close();
    fixture.close();
  }

  private static String put(String key, String body) {
    return s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(body)).eTag();
  }

  private static String get(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
  }

  /** The backend's ETag of {@code key}, bare: the form the gateway's If-Match carries. */
  private static String backendEtag(String key) {
    return direct.headObject(b -> b.bucket(BUCKET).key(key)).eTag().replace("\"", "");
  }

  private static String md5(String s) throws Exception {
    return "\""
        + HexFormat.of()
            .formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)))
        + "\"";
  }

  /**
   * The first backend write ({@code method}) of {@code key} the probe saw since its reset: the
   * write itself, not the metadata-only self-copy that may follow it to record the ETag.
   */
  private static CountingProxy.SeenRequest backendWrite(String method, String key) {
    List<CountingProxy.SeenRequest> writes =
        fixture.probe().requests().stream()
            .filter(r -> r.method().equals(method))
            // a POST that writes is a Complete (not the CreateMultipartUpload before it)
            .filter(r -> method.equals("PUT") || r.target().contains("uploadId="))
            .filter(
                r ->
                    r.target().equals("/" + BUCKET + "/" + key)
                        || r.target().startsWith("/" + BUCKET + "/" + key + "?"))
            .toList();
    assertThat(writes).as(method + " " + key + " at the backend").isNotEmpty();
    return writes.getFirst();
  }

  private static Consumer<Throwable> s3Error(int status, String code) {
    return t -> {
      assertThat(t).isInstanceOf(S3Exception.class);
      S3Exception e = (S3Exception) t;
      assertThat(e.statusCode()).isEqualTo(status);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
    };
  }

  @Test
  void putIfNoneMatchCreatesOnlyWhenAbsentAndTheBackendPutCarriesIt() {
    fixture.probe().reset();
    s3.putObject(
        b -> b.bucket(BUCKET).key("create-once").ifNoneMatch("*"), RequestBody.fromString("first"));
    assertThat(backendWrite("PUT", "create-once").header("If-None-Match")).isEqualTo("*");

    assertThatThrownBy(
            () ->
                s3.putObject(
                    b -> b.bucket(BUCKET).key("create-once").ifNoneMatch("*"),
                    RequestBody.fromString("second")))
        .satisfies(s3Error(412, "PreconditionFailed"));
    assertThat(get("create-once")).isEqualTo("first");
  }

  @Test
  void putIfMatchComparesTheClientsEtagAndSendsTheBackendsEtag() throws Exception {
    String v1 = put("optimistic", "v1");
    assertThat(v1).isEqualTo(md5("v1"));
    String backendV1 = backendEtag("optimistic");
    assertThat(backendV1).isNotEqualTo(v1.replace("\"", ""));

    fixture.probe().reset();
    s3.putObject(b -> b.bucket(BUCKET).key("optimistic").ifMatch(v1), RequestBody.fromString("v2"));
    assertThat(backendWrite("PUT", "optimistic").header("If-Match")).isEqualTo(backendV1);
    assertThat(get("optimistic")).isEqualTo("v2");

    // v1's ETag no longer matches; nor does the backend's own (ciphertext) ETag ever.
    for (String stale : List.of(v1, backendEtag("optimistic"))) {
      assertThatThrownBy(
              () ->
                  s3.putObject(
                      b -> b.bucket(BUCKET).key("optimistic").ifMatch(stale),
                      RequestBody.fromString("v3")))
          .satisfies(s3Error(412, "PreconditionFailed"));
    }
    assertThat(get("optimistic")).isEqualTo("v2");

    assertThatThrownBy(
            () ->
                s3.putObject(
                    b -> b.bucket(BUCKET).key("never-written").ifMatch(v1),
                    RequestBody.fromString("x")))
        .isInstanceOf(NoSuchKeyException.class)
        .satisfies(s3Error(404, "NoSuchKey"));
  }

  @Test
  void ifMatchOnAMultipartObjectUsesTheGatewaysMultipartEtag() {
    String etag = completeUpload("multipart-target", null);
    assertThat(etag).endsWith("-1\"");
    fixture.probe().reset();
    String backend = backendEtag("multipart-target");
    s3.putObject(
        b -> b.bucket(BUCKET).key("multipart-target").ifMatch(etag),
        RequestBody.fromString("small"));
    assertThat(backendWrite("PUT", "multipart-target").header("If-Match")).isEqualTo(backend);
    assertThat(get("multipart-target")).isEqualTo("small");
  }

  @Test
  void completeMultipartUploadCarriesTheCondition() {
    put("complete-existing", "there");
    String id = startUpload("complete-existing");
    assertThatThrownBy(() -> complete("complete-existing", id, "*", null))
        .satisfies(s3Error(412, "PreconditionFailed"));
    // The upload is still in progress: it can still complete, here over the object it expects.
    String current = s3.headObject(b -> b.bucket(BUCKET).key("complete-existing")).eTag();
    String backend = backendEtag("complete-existing");
    fixture.probe().reset();
    complete("complete-existing", id, null, current);
    assertThat(backendWrite("POST", "complete-existing").header("If-Match")).isEqualTo(backend);
    assertThat(s3.headObject(b -> b.bucket(BUCKET).key("complete-existing")).contentLength())
        .isEqualTo(PART.length);

    fixture.probe().reset();
    completeUpload("complete-new", "*");
    assertThat(backendWrite("POST", "complete-new").header("If-None-Match")).isEqualTo("*");
    String other = startUpload("complete-wrong");
    put("complete-wrong", "there");
    assertThatThrownBy(() -> complete("complete-wrong", other, null, "\"0123\""))
        .satisfies(s3Error(412, "PreconditionFailed"));
    assertThatThrownBy(
            () -> complete("complete-missing", startUpload("complete-missing"), null, "\"0123\""))
        .satisfies(s3Error(404, "NoSuchKey"));
  }

  @Test
  void copyObjectChecksItsDestination() throws Exception {
    put("copy-source", "source");
    put("copy-existing", "existing");
    assertThatThrownBy(() -> copy("copy-source", "copy-existing", "*", null))
        .satisfies(s3Error(412, "PreconditionFailed"));
    assertThat(get("copy-existing")).isEqualTo("existing");

    fixture.probe().reset();
    copy("copy-source", "copy-new", "*", null);
    assertThat(backendWrite("PUT", "copy-new").header("If-None-Match")).isEqualTo("*");
    assertThat(get("copy-new")).isEqualTo("source");

    String backend = backendEtag("copy-existing");
    fixture.probe().reset();
    copy("copy-source", "copy-existing", null, md5("existing"));
    assertThat(backendWrite("PUT", "copy-existing").header("If-Match")).isEqualTo(backend);
    assertThat(get("copy-existing")).isEqualTo("source");
    assertThatThrownBy(() -> copy("copy-source", "copy-existing", null, md5("existing")))
        .satisfies(s3Error(412, "PreconditionFailed"));

    // A multipart source is copied part by part: the backend's Complete carries the condition.
    completeUpload("copy-multipart-source", null);
    fixture.probe().reset();
    copy("copy-multipart-source", "copy-multipart-new", "*", null);
    assertThat(backendWrite("POST", "copy-multipart-new").header("If-None-Match")).isEqualTo("*");
    assertThatThrownBy(() -> copy("copy-multipart-source", "copy-multipart-new", "*", null))
        .satisfies(s3Error(412, "PreconditionFailed"));

    // A plaintext source is re-encrypted by streaming: the backend PUT carries the condition.
    direct.putObject(
        b -> b.bucket(BUCKET).key("copy-plaintext-source"), RequestBody.fromString("plain"));
    fixture.probe().reset();
    copy("copy-plaintext-source", "copy-reencrypted", "*", null);
    assertThat(backendWrite("PUT", "copy-reencrypted").header("If-None-Match")).isEqualTo("*");
    assertThat(get("copy-reencrypted")).isEqualTo("plain");
    assertThatThrownBy(() -> copy("copy-plaintext-source", "copy-reencrypted", "*", null))
        .satisfies(s3Error(412, "PreconditionFailed"));
  }

  @Test
  void ifNoneMatchWithAnEtagIsNotImplementedForWrites() {
    put("none-match-etag", "x");
    assertThatThrownBy(
            () ->
                s3.putObject(
                    b -> b.bucket(BUCKET).key("none-match-etag").ifNoneMatch("\"abc\""),
                    RequestBody.fromString("y")))
        .satisfies(s3Error(501, "NotImplemented"));
    assertThat(get("none-match-etag")).isEqualTo("x");
  }

  /**
   * The gateway's own check passes (the key is absent), but another writer wins at the backend
   * before this PUT arrives: the backend's 412 is the answer, as S3's would be.
   */
  @Test
  void theBackendsVerdictOnTheConditionIsTheAnswer() {
    fixture
        .probe()
        .failNext(
            1,
            r ->
                r.method().equals("PUT")
                    && r.target().startsWith("/" + BUCKET + "/raced")
                    && "*".equals(r.header("If-None-Match")),
            412,
            "PreconditionFailed");
    try {
      assertThatThrownBy(
              () ->
                  s3.putObject(
                      b -> b.bucket(BUCKET).key("raced").ifNoneMatch("*"),
                      RequestBody.fromString("late")))
          .satisfies(s3Error(412, "PreconditionFailed"));
    } finally {
      fixture.probe().stopFailing();
    }
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("raced")))
        .isInstanceOf(NoSuchKeyException.class);
  }

  // ---- helpers

  /** The ETag UploadPart returned, by upload id. */
  private static final Map<String, String> PART_ETAGS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static String startUpload(String key) {
    String id = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
    PART_ETAGS.put(
        id,
        s3.uploadPart(
                b -> b.bucket(BUCKET).key(key).uploadId(id).partNumber(1),
                RequestBody.fromBytes(PART))
            .eTag());
    return id;
  }

  private static String complete(String key, String id, String ifNoneMatch, String ifMatch) {
    String etag = PART_ETAGS.get(id);
    return s3.completeMultipartUpload(
            b ->
                b.bucket(BUCKET)
                    .key(key)
                    .uploadId(id)
                    .ifNoneMatch(ifNoneMatch)
                    .ifMatch(ifMatch)
                    .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))))
        .eTag();
  }

  private static String completeUpload(String key, String ifNoneMatch) {
    return complete(key, startUpload(key), ifNoneMatch, null);
  }

  private static void copy(String from, String to, String ifNoneMatch, String ifMatch) {
    s3.copyObject(
        b ->
            b.sourceBucket(BUCKET)
                .sourceKey(from)
                .destinationBucket(BUCKET)
                .destinationKey(to)
                .ifNoneMatch(ifNoneMatch)
                .ifMatch(ifMatch));
  }
}

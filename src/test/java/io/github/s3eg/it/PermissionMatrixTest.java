package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The permission matrix of docs/security.md, row by row, with restricted credentials from a
 * credentials file: for every operation, a credential with exactly the permission the row names on
 * exactly the buckets it touches succeeds, and one that lacks it (a lower permission, the other
 * bucket, or the copy source's bucket) gets 403 AccessDenied without any request reaching the
 * backend. The rows here and the table in docs/security.md must be the same, and every operation
 * the gateway dispatches must have a row.
 */
class PermissionMatrixTest {

  /** A row of the matrix: the operation, what it touches, the permission needed there. */
  record Rule(String operation, String resource, String permission) {}

  /** What a client does, and whether it must be allowed. */
  record Case(String principal, boolean allowed, String what, Call call) {
    @Override
    public String toString() {
      return principal + (allowed ? " may " : " may not ") + what;
    }
  }

  @FunctionalInterface
  interface Call {
    void run(S3Client client, String principal) throws Exception;
  }

  private static final String SECRET = "-secret-0123456789";

  @TempDir static Path dir;
  private static GatewayFixture fixture;
  private static S3Client root;

  @BeforeAll
  static void start() throws Exception {
    Path credentials = dir.resolve("credentials.yaml");
    Files.writeString(
        credentials,
        String.join(
            "\n",
            "credentials:",
            entry("pub-read", "[pub]", "read"),
            entry("pub-write", "[pub]", "write"),
            entry("pub-admin", "[pub, scratch]", "admin"),
            entry("both-write", "[pub, secret]", "write"),
            entry("all-read", "[\"*\"]", "read"),
            entry("root", "[\"*\"]", "admin"),
            ""));
    fixture =
        GatewayFixture.start(
            Map.of(
                "AUTH_CREDENTIALS_FILE",
                credentials.toString(),
                "AUDIT_ENABLED",
                "true",
                "AUDIT_FILE",
                dir.resolve("audit.log").toString()));
    root = client("root");
    root.createBucket(b -> b.bucket("pub"));
    root.createBucket(b -> b.bucket("secret"));
    root.putObject(b -> b.bucket("pub").key("doc"), RequestBody.fromString("public"));
    root.putObject(b -> b.bucket("secret").key("s.txt"), RequestBody.fromString("secret text"));
  }

  @AfterAll
  static void stop() throws Exception {
    root.close();
    fixture.close();
  }

  private static String entry(String key, String buckets, String permission) {
    return "  - accessKey: "
        + key
        + "\n    secretKey: \""
        + key
        + SECRET
        + "\"\n    buckets: "
        + buckets
        + "\n    permission: "
        + permission;
  }

  private static S3Client client(String principal) {
    return fixture
        .clientBuilder()
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(principal, principal + SECRET)))
        .build();
  }

  /** The matrix as docs/security.md states it. */
  static final List<Rule> RULES =
      List.of(
          new Rule("ListBuckets", "service", "read"),
          new Rule("AuditEvents", "every bucket", "admin"),
          new Rule("Metrics", "every bucket", "read"),
          new Rule("HeadBucket", "bucket", "read"),
          new Rule("GetBucketLocation", "bucket", "read"),
          new Rule("ListObjects", "bucket", "read"),
          new Rule("ListObjectsV2", "bucket", "read"),
          new Rule("ListMultipartUploads", "bucket", "read"),
          new Rule("CreateBucket", "bucket", "admin"),
          new Rule("DeleteBucket", "bucket", "admin"),
          new Rule("Rewrap", "bucket", "admin"),
          new Rule("DeleteObjects", "bucket", "write"),
          new Rule("GetObject", "object", "read"),
          new Rule("GetObjectAttributes", "object", "read"),
          new Rule("HeadObject", "object", "read"),
          new Rule("ListParts", "object", "read"),
          new Rule("PutObject", "object", "write"),
          new Rule("DeleteObject", "object", "write"),
          new Rule("CreateMultipartUpload", "object", "write"),
          new Rule("UploadPart", "object", "write"),
          new Rule("CompleteMultipartUpload", "object", "write"),
          new Rule("AbortMultipartUpload", "object", "write"),
          new Rule("CopyObject", "object", "write"),
          new Rule("CopyObject", "copy source", "read"),
          new Rule("UploadPartCopy", "object", "write"),
          new Rule("UploadPartCopy", "copy source", "read"));

  static Stream<org.junit.jupiter.params.provider.Arguments> rows() {
    return cases().entrySet().stream()
        .map(e -> org.junit.jupiter.params.provider.Arguments.of(e.getKey(), e.getValue()));
  }

  /** Per operation: who may and who may not, and the request that shows it. */
  static Map<String, List<Case>> cases() {
    Map<String, List<Case>> c = new java.util.LinkedHashMap<>();
    c.put(
        "ListBuckets",
        List.of(
            new Case(
                "pub-read",
                true,
                "list only its buckets",
                (s3, p) ->
                    assertThat(s3.listBuckets().buckets())
                        .extracting(b -> b.name())
                        .containsExactly("pub"))));
    c.put(
        "AuditEvents",
        List.of(
            new Case("root", true, "read the audit log", (s3, p) -> raw(p, "GET", "/?s3eg-audit")),
            new Case(
                "pub-admin", false, "read the audit log", (s3, p) -> raw(p, "GET", "/?s3eg-audit")),
            new Case(
                "all-read",
                false,
                "read the audit log",
                (s3, p) -> raw(p, "GET", "/?s3eg-audit"))));
    c.put(
        "Metrics",
        List.of(
            new Case("all-read", true, "scrape metrics", (s3, p) -> raw(p, "GET", "/metrics")),
            new Case("pub-admin", false, "scrape metrics", (s3, p) -> raw(p, "GET", "/metrics"))));
    c.put("HeadBucket", readBucket((s3, b) -> s3.headBucket(r -> r.bucket(b))));
    c.put("GetBucketLocation", readBucket((s3, b) -> s3.getBucketLocation(r -> r.bucket(b))));
    c.put("ListObjects", readBucket((s3, b) -> s3.listObjects(r -> r.bucket(b))));
    c.put("ListObjectsV2", readBucket((s3, b) -> s3.listObjectsV2(r -> r.bucket(b))));
    c.put("ListMultipartUploads", readBucket((s3, b) -> s3.listMultipartUploads(r -> r.bucket(b))));
    c.put(
        "CreateBucket",
        List.of(
            new Case(
                "pub-admin",
                true,
                "create a bucket of its own",
                (s3, p) -> {
                  s3.createBucket(b -> b.bucket("scratch"));
                  root.deleteBucket(b -> b.bucket("scratch"));
                }),
            new Case(
                "pub-write",
                false,
                "create a bucket",
                (s3, p) -> s3.createBucket(b -> b.bucket("pub"))),
            new Case(
                "pub-admin",
                false,
                "create another bucket",
                (s3, p) -> s3.createBucket(b -> b.bucket("elsewhere")))));
    c.put(
        "DeleteBucket",
        List.of(
            new Case(
                "pub-admin",
                true,
                "delete a bucket of its own",
                (s3, p) -> {
                  root.createBucket(b -> b.bucket("scratch"));
                  mark();
                  s3.deleteBucket(b -> b.bucket("scratch"));
                }),
            new Case(
                "pub-write",
                false,
                "delete a bucket",
                (s3, p) -> s3.deleteBucket(b -> b.bucket("pub"))),
            new Case(
                "pub-admin",
                false,
                "delete another bucket",
                (s3, p) -> s3.deleteBucket(b -> b.bucket("secret")))));
    c.put(
        "Rewrap",
        List.of(
            new Case(
                "pub-admin",
                true,
                "re-wrap its bucket",
                (s3, p) -> raw(p, "POST", "/pub?s3eg-rewrap")),
            new Case(
                "pub-write",
                false,
                "re-wrap a bucket",
                (s3, p) -> raw(p, "POST", "/pub?s3eg-rewrap")),
            new Case(
                "pub-admin",
                false,
                "re-wrap another bucket",
                (s3, p) -> raw(p, "POST", "/secret?s3eg-rewrap"))));
    c.put(
        "DeleteObjects",
        writeObject(
            (s3, b) ->
                s3.deleteObjects(
                    r -> r.bucket(b).delete(d -> d.objects(o -> o.key("gone-1"), o -> o.key("x")))),
            "delete a batch"));
    c.put(
        "GetObject",
        readObject((s3, b, k) -> s3.getObjectAsBytes(r -> r.bucket(b).key(k)), "read an object"));
    c.put(
        "GetObjectAttributes",
        readObject(
            (s3, b, k) ->
                s3.getObjectAttributes(
                    r ->
                        r.bucket(b)
                            .key(k)
                            .objectAttributes(
                                software.amazon.awssdk.services.s3.model.ObjectAttributes.E_TAG)),
            "read an object's attributes"));
    c.put(
        "HeadObject",
        readObject((s3, b, k) -> s3.headObject(r -> r.bucket(b).key(k)), "head an object"));
    c.put(
        "ListParts",
        readObject(
            (s3, b, k) -> {
              String id = root.createMultipartUpload(r -> r.bucket(b).key(k)).uploadId();
              mark();
              s3.listParts(r -> r.bucket(b).key(k).uploadId(id));
            },
            "list an upload's parts"));
    c.put(
        "PutObject",
        writeObject(
            (s3, b) -> s3.putObject(r -> r.bucket(b).key("put"), RequestBody.fromString("x")),
            "put an object"));
    c.put(
        "DeleteObject",
        writeObject((s3, b) -> s3.deleteObject(r -> r.bucket(b).key("gone")), "delete an object"));
    c.put(
        "CreateMultipartUpload",
        writeObject(
            (s3, b) -> s3.createMultipartUpload(r -> r.bucket(b).key("mp")), "begin an upload"));
    c.put(
        "UploadPart",
        writeObject(
            (s3, b) -> {
              String id = root.createMultipartUpload(r -> r.bucket(b).key("mp")).uploadId();
              mark();
              s3.uploadPart(
                  r -> r.bucket(b).key("mp").uploadId(id).partNumber(1),
                  RequestBody.fromString("part"));
            },
            "upload a part"));
    c.put(
        "CompleteMultipartUpload",
        writeObject(
            (s3, b) -> {
              String id = root.createMultipartUpload(r -> r.bucket(b).key("mp")).uploadId();
              String etag =
                  root.uploadPart(
                          r -> r.bucket(b).key("mp").uploadId(id).partNumber(1),
                          RequestBody.fromString("part"))
                      .eTag();
              mark();
              s3.completeMultipartUpload(
                  r ->
                      r.bucket(b)
                          .key("mp")
                          .uploadId(id)
                          .multipartUpload(
                              m ->
                                  m.parts(
                                      CompletedPart.builder().partNumber(1).eTag(etag).build())));
            },
            "complete an upload"));
    c.put(
        "AbortMultipartUpload",
        writeObject(
            (s3, b) -> {
              String id = root.createMultipartUpload(r -> r.bucket(b).key("mp")).uploadId();
              mark();
              s3.abortMultipartUpload(r -> r.bucket(b).key("mp").uploadId(id));
            },
            "abort an upload"));
    c.put("CopyObject", copies(PermissionMatrixTest::copyObject));
    c.put("UploadPartCopy", copies(PermissionMatrixTest::uploadPartCopy));
    return c;
  }

  @FunctionalInterface
  interface BucketCall {
    void run(S3Client client, String bucket) throws Exception;
  }

  @FunctionalInterface
  interface ObjectCall {
    void run(S3Client client, String bucket, String key) throws Exception;
  }

  @FunctionalInterface
  interface CopyCall {
    void run(S3Client client, String sourceBucket, String sourceKey) throws Exception;
  }

  private static List<Case> readBucket(BucketCall call) {
    return List.of(
        new Case("pub-read", true, "read its bucket", (s3, p) -> call.run(s3, "pub")),
        new Case("pub-read", false, "read another bucket", (s3, p) -> call.run(s3, "secret")));
  }

  private static List<Case> readObject(ObjectCall call, String what) {
    return List.of(
        new Case("pub-read", true, what + " in its bucket", (s3, p) -> call.run(s3, "pub", "doc")),
        new Case(
            "pub-write",
            false,
            what + " in another bucket",
            (s3, p) -> call.run(s3, "secret", "s.txt")));
  }

  private static List<Case> writeObject(BucketCall call, String what) {
    return List.of(
        new Case("pub-write", true, what + " in its bucket", (s3, p) -> call.run(s3, "pub")),
        new Case("pub-read", false, what + " (read only)", (s3, p) -> call.run(s3, "pub")),
        new Case(
            "pub-admin", false, what + " in another bucket", (s3, p) -> call.run(s3, "secret")));
  }

  /** The reported attack: write on the destination, nothing on the source's bucket. */
  private static List<Case> copies(CopyCall call) {
    return List.of(
        new Case(
            "both-write",
            true,
            "copy from a bucket it may read",
            (s3, p) -> call.run(s3, "secret", "s.txt")),
        new Case(
            "pub-write", true, "copy within its bucket", (s3, p) -> call.run(s3, "pub", "doc")),
        new Case(
            "pub-write",
            false,
            "copy from a bucket it may not read",
            (s3, p) -> call.run(s3, "secret", "s.txt")),
        new Case(
            "all-read",
            false,
            "copy into a bucket it may not write",
            (s3, p) -> call.run(s3, "pub", "doc")));
  }

  private static void copyObject(S3Client s3, String sourceBucket, String sourceKey) {
    s3.copyObject(
        r ->
            r.sourceBucket(sourceBucket)
                .sourceKey(sourceKey)
                .destinationBucket("pub")
                .destinationKey("stolen"));
    assertThat(root.getObjectAsBytes(r -> r.bucket("pub").key("stolen")).asByteArray())
        .isEqualTo(root.getObjectAsBytes(r -> r.bucket(sourceBucket).key(sourceKey)).asByteArray());
  }

  private static void uploadPartCopy(S3Client s3, String sourceBucket, String sourceKey) {
    String id = root.createMultipartUpload(r -> r.bucket("pub").key("stolen-mp")).uploadId();
    mark();
    s3.uploadPartCopy(
        r ->
            r.sourceBucket(sourceBucket)
                .sourceKey(sourceKey)
                .destinationBucket("pub")
                .destinationKey("stolen-mp")
                .uploadId(id)
                .partNumber(1));
    root.abortMultipartUpload(r -> r.bucket("pub").key("stolen-mp").uploadId(id));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void everyRowHoldsForRestrictedCredentials(String operation, List<Case> cases) throws Exception {
    for (Case c : cases) {
      try (S3Client s3 = client(c.principal())) {
        if (c.allowed()) {
          c.call().run(s3, c.principal());
        } else {
          mark();
          assertThatThrownBy(() -> c.call().run(s3, c.principal()))
              .as(c.toString())
              .isInstanceOfSatisfying(
                  S3Exception.class,
                  e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    if (!operation.startsWith("Head")) { // a HEAD answer has no body
                      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    }
                  });
          // Nothing after the case's own set-up (made with the root credential) reached the
          // backend.
          assertThat(fixture.probe().requests().stream().skip(mark).toList())
              .as(c + ": backend requests")
              .isEmpty();
        }
      }
    }
  }

  private static volatile int mark;

  /** Marks where the refused request begins: after the set-up a case makes as root. */
  private static void mark() {
    mark = fixture.probe().requests().size();
  }

  /** A copy is audited with both the object it wrote and the object it read, refused or not. */
  @Test
  void copiesAreAuditedWithTheirSource() throws Exception {
    try (S3Client writer = client("pub-write");
        S3Client both = client("both-write")) {
      assertThatThrownBy(() -> copyObject(writer, "secret", "s.txt"))
          .isInstanceOf(S3Exception.class);
      copyObject(both, "secret", "s.txt");
      assertThatThrownBy(() -> uploadPartCopy(writer, "secret", "s.txt"))
          .isInstanceOf(S3Exception.class);
      both.deleteObjects(
          r -> r.bucket("pub").delete(d -> d.objects(o -> o.key("a"), o -> o.key("b"))));
    }
    // A line is written once its request completed, which may be just after the client got it.
    long deadline = System.nanoTime() + 20_000_000_000L;
    List<String> lines = Files.readAllLines(dir.resolve("audit.log"));
    while (lines.stream().noneMatch(l -> l.contains("\"keys\":[\"a\",\"b\"]"))
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
      lines = Files.readAllLines(dir.resolve("audit.log"));
    }
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("\"event\":\"access_denied\"", "\"principal\":\"pub-write\"")
                    .contains("\"operation\":\"CopyObject\"", "\"bucket\":\"pub\"")
                    .contains("\"key\":\"stolen\"", "\"source_bucket\":\"secret\"")
                    .contains("\"source_key\":\"s.txt\""))
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("\"event\":\"write\"", "\"principal\":\"both-write\"")
                    .contains("\"operation\":\"CopyObject\"", "\"source_bucket\":\"secret\"")
                    .contains("\"source_key\":\"s.txt\"", "\"status\":200"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("\"event\":\"access_denied\"", "\"operation\":\"UploadPartCopy\"")
                    .contains("\"source_bucket\":\"secret\"", "\"source_key\":\"s.txt\""))
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("\"operation\":\"DeleteObjects\"", "\"keys\":[\"a\",\"b\"]"));
  }

  /** Every operation the gateway dispatches has a row, and the rows are those of the document. */
  @Test
  void theMatrixCoversEveryOperationAndMatchesTheDocument() throws Exception {
    Set<String> operations = new LinkedHashSet<>();
    RULES.forEach(r -> operations.add(r.operation()));
    assertThat(cases().keySet()).containsExactlyInAnyOrderElementsOf(operations);
    String routes =
        Files.readString(Path.of("src/main/resources/routes/s3-api.yaml"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("s3Operation} == '([A-Za-z0-9]+)'").matcher(routes);
    Set<String> dispatched = new LinkedHashSet<>();
    while (m.find()) {
      dispatched.add(m.group(1));
    }
    dispatched.add("Metrics");
    assertThat(operations).containsExactlyInAnyOrderElementsOf(dispatched);

    List<Rule> documented = new ArrayList<>();
    Pattern row =
        Pattern.compile(
            "^\\| `?([A-Za-z0-9]+)`? \\|[^|]*\\| ([a-z ]+) \\| `?(read|write|admin)`? \\|.*$");
    for (String line : Files.readAllLines(Path.of("docs/security.md"))) {
      Matcher r = row.matcher(line);
      if (r.matches()) {
        documented.add(new Rule(r.group(1), r.group(2).trim(), r.group(3)));
      }
    }
    assertThat(documented).containsExactlyInAnyOrderElementsOf(RULES);
  }

  /** A signed request the SDK has no call for (admin endpoints, metrics); throws on 403. */
  static void raw(String principal, String method, String pathAndQuery) throws Exception {
    URI uri = URI.create(fixture.endpoint() + pathAndQuery);
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(method))
            .uri(uri)
            .putHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
            .build();
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create(principal, principal + SECRET))
                        .request(unsigned)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false))
            .request();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
    signed
        .headers()
        .forEach(
            (name, values) -> {
              if (!name.equalsIgnoreCase("Host")) {
                values.forEach(v -> request.header(name, v));
              }
            });
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        Matcher code = Pattern.compile("<Code>([^<]*)</Code>").matcher(response.body());
        throw S3Exception.builder()
            .statusCode(response.statusCode())
            .awsErrorDetails(
                software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                    .errorCode(code.find() ? code.group(1) : "")
                    .errorMessage(response.body())
                    .build())
            .build();
      }
    }
  }
}

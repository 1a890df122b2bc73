package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Browser uploads (POST Object) through the gateway, with real {@code multipart/form-data} bodies
 * over HTTP: a form signed with SigV4 stores an encrypted object (the backend holds ciphertext),
 * the answer follows {@code success_action_*}, and every policy violation is refused with S3's
 * error before anything reaches the backend.
 */
class BrowserUploadTest {

  private static final String BUCKET = "forms";
  private static GatewayFixture gateway;
  private static S3Client client;

  @BeforeAll
  static void start() throws Exception {
    // A small spool limit: files above it are spooled (as ciphertext) to a temporary file.
    gateway = GatewayFixture.start(Map.of("ENCRYPTION_SPOOL_LIMIT", "65536"));
    client = gateway.defaultClient();
    client.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      client.close();
      gateway.close();
    }
  }

  private static HttpResponse<String> post(PostForm form, byte[] file) throws Exception {
    return form.post(
        gateway.endpoint(), BUCKET, GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET, file);
  }

  private static PostForm uploadForm(String key) {
    return new PostForm()
        .field("key", key)
        .field("Content-Type", "text/plain")
        .field("x-amz-meta-color", "blue")
        .condition("[\"content-length-range\", 0, 10485760]");
  }

  private static String md5(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }

  private static boolean stored(String key) {
    try {
      client.headObject(b -> b.bucket(BUCKET).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    }
  }

  @Test
  void aSignedFormStoresAnEncryptedObject() throws Exception {
    byte[] file = "secret plaintext from a browser".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> answer = post(uploadForm("uploads/a.txt"), file);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
    assertThat(answer.headers().firstValue("ETag")).contains("\"" + md5(file) + "\"");
    assertThat(answer.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/" + BUCKET + "/uploads/a.txt"));
    ResponseBytes<GetObjectResponse> read =
        client.getObjectAsBytes(b -> b.bucket(BUCKET).key("uploads/a.txt"));
    assertThat(read.asByteArray()).isEqualTo(file);
    assertThat(read.response().contentType()).isEqualTo("text/plain");
    assertThat(read.response().metadata()).containsEntry("color", "blue");
    assertThat(read.response().eTag()).isEqualTo("\"" + md5(file) + "\"");

    // What the backend stores is ciphertext.
    Path stored = gateway.backendDirectory().resolve(BUCKET).resolve("uploads/a.txt");
    byte[] atBackend = Files.readAllBytes(stored);
    assertThat(atBackend.length).isGreaterThan(file.length);
    assertThat(new String(atBackend, StandardCharsets.ISO_8859_1))
        .doesNotContain("secret plaintext");
  }

  @Test
  void aLargeFileStreamsThroughTheSpoolAndTheFilenameVariableNamesTheKey() throws Exception {
    byte[] file = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(file);
    PostForm form =
        new PostForm()
            .field("key", "photos/${filename}")
            .condition("[\"starts-with\", \"$key\", \"photos/\"]")
            .fileName("cat.jpg", "image/jpeg");
    HttpResponse<String> answer = post(form, file);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
    byte[] read =
        client.getObjectAsBytes(b -> b.bucket(BUCKET).key("photos/cat.jpg")).asByteArray();
    assertThat(md5(read)).isEqualTo(md5(file));
    assertThat(spoolFiles()).isEmpty();
  }

  private static java.util.List<Path> spoolFiles() throws Exception {
    String prefix = "s3eg-spool-" + ProcessHandle.current().pid() + "-";
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
    }
  }

  @Test
  void successActionStatusAndRedirectAnswerAsS3() throws Exception {
    byte[] file = "created".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> created =
        post(uploadForm("status/201").field("success_action_status", "201"), file);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.body())
        .contains("<PostResponse>", "<Bucket>forms</Bucket>", "<Key>status/201</Key>")
        .contains("<ETag>&quot;" + md5(file) + "&quot;</ETag>", "<Location>http://");

    HttpResponse<String> ok =
        post(uploadForm("status/200").field("success_action_status", "200"), file);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEmpty();

    HttpResponse<String> redirected =
        post(
            uploadForm("status/redirect")
                .field("success_action_redirect", "https://app.example/done?from=form"),
            file);
    assertThat(redirected.statusCode()).isEqualTo(303);
    assertThat(redirected.headers().firstValue("Location"))
        .contains(
            "https://app.example/done?from=form&bucket=forms&key=status%2Fredirect&etag=%22"
                + md5(file)
                + "%22");
    assertThat(stored("status/redirect")).isTrue();
  }

  /** Refused with S3's error and status, and nothing stored. */
  private static void assertRefused(
      HttpResponse<String> answer, int status, String code, String key) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(answer.body()).contains("<Code>" + code + "</Code>");
    assertThat(stored(key)).as("%s stored", key).isFalse();
  }

  @Test
  void policyViolationsAreRefusedWithS3sErrors() throws Exception {
    byte[] file = "x".getBytes(StandardCharsets.UTF_8);

    // The key outside the policy's starts-with.
    PostForm prefixed =
        new PostForm()
            .unconditionedField("key", "other/k")
            .condition("[\"starts-with\", \"$key\", \"uploads/\"]");
    HttpResponse<String> wrongKey = post(prefixed, file);
    assertRefused(wrongKey, 403, "AccessDenied", "other/k");
    assertThat(wrongKey.body()).contains("Invalid according to Policy: Policy Condition failed");

    // Expired.
    HttpResponse<String> expired =
        post(uploadForm("expired").expiration(Instant.now().minusSeconds(60)), file);
    assertRefused(expired, 403, "AccessDenied", "expired");
    assertThat(expired.body()).contains("Policy expired");

    // A field the policy does not name.
    HttpResponse<String> extra =
        post(uploadForm("extra").unconditionedField("x-amz-meta-sneaky", "1"), file);
    assertRefused(extra, 403, "AccessDenied", "extra");
    assertThat(extra.body()).contains("Extra input fields: x-amz-meta-sneaky");

    // A Content-Type other than the one allowed.
    PostForm typed =
        new PostForm()
            .field("key", "typed")
            .unconditionedField("Content-Type", "text/html")
            .condition("[\"starts-with\", \"$Content-Type\", \"image/\"]");
    assertRefused(post(typed, file), 403, "AccessDenied", "typed");

    // Too large and too small for the content-length-range.
    PostForm bounded =
        new PostForm().field("key", "bounded").condition("[\"content-length-range\", 2, 10]");
    assertRefused(post(bounded, new byte[11]), 400, "EntityTooLarge", "bounded");
    assertRefused(post(bounded, new byte[1]), 400, "EntityTooSmall", "bounded");
    PostForm large =
        new PostForm().field("key", "large").condition("[\"content-length-range\", 0, 100000]");
    assertRefused(post(large, new byte[500_000]), 400, "EntityTooLarge", "large");
    assertThat(spoolFiles()).isEmpty();
  }

  @Test
  void objectLockFieldsIntoABucketWithoutObjectLockAreRefusedAsOnAPut() throws Exception {
    // The bucket has no Object Lock (nor could S3Proxy keep one): a form asking for a lock must not
    // store an object its writer believes locked. S3's answer, before the file is read.
    PostForm retention =
        uploadForm("locked")
            .field("x-amz-object-lock-mode", "GOVERNANCE")
            .field("x-amz-object-lock-retain-until-date", "2030-01-01T00:00:00Z");
    HttpResponse<String> refused = post(retention, new byte[] {1});
    assertRefused(refused, 400, "InvalidRequest", "locked");
    assertThat(refused.body()).contains("Bucket is missing Object Lock Configuration");
    PostForm hold = uploadForm("held").field("x-amz-object-lock-legal-hold", "ON");
    assertRefused(post(hold, new byte[] {1}), 400, "InvalidRequest", "held");
  }

  @Test
  void signaturesAreVerified() throws Exception {
    byte[] file = "x".getBytes(StandardCharsets.UTF_8);
    PostForm form = uploadForm("signed");

    // The policy changed after signing (another key allowed): the signature no longer matches.
    Map<String, String> fields =
        new LinkedHashMap<>(
            form.signedFields(BUCKET, GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET));
    String policy =
        new String(
            java.util.Base64.getDecoder().decode(fields.get("policy")), StandardCharsets.UTF_8);
    fields.put(
        "policy",
        java.util.Base64.getEncoder()
            .encodeToString(
                policy
                    .replace("\"key\":\"signed\"", "\"key\":\"forged\"")
                    .getBytes(StandardCharsets.UTF_8)));
    fields.put("key", "forged");
    assertRefused(
        PostForm.post(gateway.endpoint(), BUCKET, fields, "f", "text/plain", file),
        403,
        "SignatureDoesNotMatch",
        "forged");

    // A wrong secret, an unknown access key.
    assertRefused(
        form.post(gateway.endpoint(), BUCKET, GatewayFixture.CLIENT_KEY, "wrong-secret", file),
        403,
        "SignatureDoesNotMatch",
        "signed");
    assertRefused(
        form.post(gateway.endpoint(), BUCKET, "nobody", "whatever", file),
        403,
        "InvalidAccessKeyId",
        "signed");

    // No policy and no signature at all: anonymous, refused whatever the bucket allows.
    Map<String, String> anonymous = new LinkedHashMap<>();
    anonymous.put("key", "anonymous");
    assertRefused(
        PostForm.post(gateway.endpoint(), BUCKET, anonymous, "f", "text/plain", file),
        403,
        "AccessDenied",
        "anonymous");

    // The policy is for another bucket.
    String other = "forms-other";
    client.createBucket(b -> b.bucket(other));
    Map<String, String> elsewhere =
        uploadForm("elsewhere")
            .signedFields(other, GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET);
    assertRefused(
        PostForm.post(gateway.endpoint(), BUCKET, elsewhere, "f", "text/plain", file),
        403,
        "AccessDenied",
        "elsewhere");
  }

  @Test
  void aTruncatedFormStoresNothing() throws Exception {
    byte[] file = new byte[200_000];
    String boundary = "truncated-boundary";
    Map<String, String> fields =
        new PostForm()
            .field("key", "truncated")
            .signedFields(BUCKET, GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET);
    byte[] whole = PostForm.body(boundary, fields, "f", "text/plain", file);
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 120_000);
    // The body ends (the connection is closed) without the closing boundary.
    try (java.net.Socket socket =
        new java.net.Socket(gateway.endpoint().getHost(), gateway.endpoint().getPort())) {
      socket.setSoTimeout(60_000);
      var out = socket.getOutputStream();
      out.write(
          ("POST /"
                  + BUCKET
                  + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data;"
                  + " boundary="
                  + boundary
                  + "\r\nContent-Length: "
                  + whole.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(cut);
      out.flush();
      socket.shutdownOutput();
      socket.getInputStream().readAllBytes();
    }
    org.awaitility.Awaitility.await()
        .atMost(30, TimeUnit.SECONDS)
        .untilAsserted(() -> assertThat(spoolFiles()).isEmpty());
    assertThat(stored("truncated")).isFalse();
  }

  /** boto3's generate_presigned_post (Debian's /usr/bin/python3): its fields, posted as a form. */
  @Test
  void boto3sPresignedPostIsAccepted() throws Exception {
    String script =
        String.join(
            "\n",
            "import json, sys, boto3",
            "from botocore.config import Config",
            "s3 = boto3.client('s3', endpoint_url=sys.argv[1], aws_access_key_id=sys.argv[2],",
            "    aws_secret_access_key=sys.argv[3], region_name='us-east-1',",
            "    config=Config(signature_version='s3v4', s3={'addressing_style': 'path'}))",
            "post = s3.generate_presigned_post('" + BUCKET + "', 'boto/${filename}',",
            "    Fields={'Content-Type': 'text/csv', 'success_action_status': '201'},",
            "    Conditions=[{'Content-Type': 'text/csv'}, {'success_action_status': '201'},",
            "                ['content-length-range', 1, 1000]], ExpiresIn=600)",
            "print(json.dumps(post))");
    ProcessBuilder python =
        new ProcessBuilder(
                "/usr/bin/python3",
                "-c",
                script,
                gateway.endpoint().toString(),
                GatewayFixture.CLIENT_KEY,
                GatewayFixture.CLIENT_SECRET)
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    python.environment().put("BOTO_DISABLE_CRT", "true");
    python.environment().remove("AWS_CA_BUNDLE");
    Process p = python.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    JsonNode post = new ObjectMapper().readTree(out);
    assertThat(post.get("url").asText()).endsWith("/" + BUCKET);
    Map<String, String> fields = new LinkedHashMap<>();
    post.get("fields")
        .fields()
        .forEachRemaining(e -> fields.put(e.getKey(), e.getValue().asText()));
    assertThat(fields).containsKeys("policy", "x-amz-signature", "x-amz-credential");

    byte[] file = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> answer =
        PostForm.post(gateway.endpoint(), BUCKET, fields, "data.csv", "text/csv", file);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
    ResponseBytes<GetObjectResponse> read =
        client.getObjectAsBytes(b -> b.bucket(BUCKET).key("boto/data.csv"));
    assertThat(read.asByteArray()).isEqualTo(file);
    assertThat(read.response().contentType()).isEqualTo("text/csv");

    // The same fields with a file the policy's range does not allow.
    HttpResponse<String> tooLarge =
        PostForm.post(gateway.endpoint(), BUCKET, fields, "big.csv", "text/csv", new byte[1001]);
    assertRefused(tooLarge, 400, "EntityTooLarge", "boto/big.csv");
  }
}

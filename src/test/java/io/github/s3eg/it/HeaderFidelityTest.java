package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an object's writer set comes back unchanged (Content-Disposition, Content-Encoding,
 * Cache-Control, Expires, Content-Language, x-amz-storage-class, x-amz-website-redirect-location,
 * user metadata with non-ASCII values), through PutObject, CopyObject (COPY and REPLACE), a
 * multipart upload, GET and HEAD: each step is sent byte for byte the same to the backend directly
 * (its own bucket) and through the gateway, and the two answers' headers are compared. What the
 * backend does not keep (S3Proxy 2.9 maps some storage classes to others and refuses website
 * redirects with 501) the gateway cannot keep either, and says so alike.
 */
class HeaderFidelityTest {

  private static final String DIRECT = "hdr-direct";
  private static final String THROUGH = "hdr-gateway";

  /** The headers an object's writer sets and its readers get back. */
  private static final List<String> OBJECT_HEADERS =
      List.of(
          "content-type",
          "content-disposition",
          "content-encoding",
          "content-language",
          "cache-control",
          "expires",
          "x-amz-storage-class",
          "x-amz-website-redirect-location");

  private static final Map<String, String> WRITTEN = new LinkedHashMap<>();

  static {
    WRITTEN.put("Content-Type", "text/plain; charset=utf-8");
    WRITTEN.put("Content-Disposition", "attachment; filename=\"report 2026.txt\"");
    WRITTEN.put("Content-Encoding", "gzip");
    WRITTEN.put("Content-Language", "de-CH");
    WRITTEN.put("Cache-Control", "max-age=3600, must-revalidate");
    WRITTEN.put("Expires", "Mon, 07 Dec 2026 09:21:32 GMT");
    WRITTEN.put("x-amz-storage-class", "STANDARD_IA");
    WRITTEN.put("x-amz-meta-plain", "value");
    // Non-ASCII metadata as RFC 2047 (S3's advice); raw non-ASCII bytes: see the SDK test below.
    WRITTEN.put("x-amz-meta-encoded", "=?UTF-8?B?4pyTIGNoZWNr?=");
  }

  private static GatewayFixture fixture;
  private static SigV4Http gateway;
  private static SigV4Http direct;

  @BeforeAll
  static void start() throws Exception {
    fixture = GatewayFixture.start(Map.of());
    gateway = SigV4Http.gateway(fixture);
    direct = SigV4Http.backend(fixture.backend());
    assertThat(direct.send("PUT", "/" + DIRECT, Map.of(), new byte[0]).status()).isEqualTo(200);
    assertThat(gateway.send("PUT", "/" + THROUGH, Map.of(), new byte[0]).status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  /** Sends the same request to both; asserts both answer alike (status, error code). */
  private static void both(String method, String key, Map<String, String> headers, byte[] body)
      throws Exception {
    both(method, key, headers, body, false);
  }

  private static void both(
      String method, String key, Map<String, String> headers, byte[] body, boolean expectRefusal)
      throws Exception {
    Map<String, String> forDirect = new LinkedHashMap<>();
    Map<String, String> forGateway = new LinkedHashMap<>();
    headers.forEach(
        (k, v) -> {
          forDirect.put(k, v.replace("{bucket}", DIRECT));
          forGateway.put(k, v.replace("{bucket}", THROUGH));
        });
    SigV4Http.Response d = direct.send(method, "/" + DIRECT + "/" + key, forDirect, body);
    SigV4Http.Response g = gateway.send(method, "/" + THROUGH + "/" + key, forGateway, body);
    assertThat(g.status()).as(method + " " + key + ": " + g.body()).isEqualTo(d.status());
    if (!expectRefusal) {
      assertThat(d.status()).as(method + " " + key + " directly: " + d.body()).isEqualTo(200);
    }
    assertThat(ListingFidelityTest.elements(g.body(), "Code"))
        .isEqualTo(ListingFidelityTest.elements(d.body(), "Code"));
  }

  /** Both answers to GET and HEAD of {@code key} carry the same object headers. */
  private static void assertSameHeaders(String key) throws Exception {
    for (String method : List.of("GET", "HEAD")) {
      SigV4Http.Response d = direct.send(method, "/" + DIRECT + "/" + key, Map.of(), new byte[0]);
      SigV4Http.Response g = gateway.send(method, "/" + THROUGH + "/" + key, Map.of(), new byte[0]);
      assertThat(g.status()).as(method + " " + key).isEqualTo(200).isEqualTo(d.status());
      assertThat(objectHeaders(g)).as(method + " " + key).isEqualTo(objectHeaders(d));
    }
  }

  private static Map<String, List<String>> objectHeaders(SigV4Http.Response r) {
    Map<String, List<String>> kept = new TreeMap<>();
    r.headers()
        .forEach(
            (name, values) -> {
              if (OBJECT_HEADERS.contains(name) || name.startsWith("x-amz-meta-")) {
                kept.put(name, values);
              }
            });
    return kept;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void putAndGetKeepEveryHeader() throws Exception {
    both("PUT", "put", WRITTEN, bytes("body"));
    assertSameHeaders("put");
    SigV4Http.Response head = gateway.send("HEAD", "/" + THROUGH + "/put", Map.of(), new byte[0]);
    assertThat(head.header("x-amz-meta-encoded")).isEqualTo("=?UTF-8?B?4pyTIGNoZWNr?=");
    assertThat(head.header("Cache-Control")).isEqualTo("max-age=3600, must-revalidate");
    assertThat(head.header("x-amz-storage-class")).isEqualTo("STANDARD_IA");
  }

  @Test
  void copyKeepsTheSourcesHeadersOrTakesTheRequestsAsS3Does() throws Exception {
    both("PUT", "copy-source", WRITTEN, bytes("source"));
    // COPY: the source's headers and metadata; the storage class is the request's (S3 never
    // copies it), here none: STANDARD.
    both("PUT", "copied", Map.of("x-amz-copy-source", "/{bucket}/copy-source"), new byte[0]);
    assertSameHeaders("copied");
    both(
        "PUT",
        "copied-cold",
        Map.of("x-amz-copy-source", "/{bucket}/copy-source", "x-amz-storage-class", "GLACIER"),
        new byte[0]);
    assertSameHeaders("copied-cold");
    // REPLACE: everything from the request.
    both(
        "PUT",
        "replaced",
        Map.of(
            "x-amz-copy-source", "/{bucket}/copy-source",
            "x-amz-metadata-directive", "REPLACE",
            "Content-Type", "application/json",
            "Content-Disposition", "inline",
            "Cache-Control", "no-cache",
            "Expires", "Tue, 01 Jun 2027 00:00:00 GMT",
            "x-amz-storage-class", "ONEZONE_IA",
            "x-amz-meta-encoded", "=?UTF-8?Q?=C3=A7=C3=A0_et_l=C3=A0?="),
        new byte[0]);
    assertSameHeaders("replaced");
  }

  @Test
  void multipartUploadKeepsEveryHeader() throws Exception {
    for (var target : List.of(Map.entry(DIRECT, direct), Map.entry(THROUGH, gateway))) {
      SigV4Http.Response created =
          target
              .getValue()
              .send("POST", "/" + target.getKey() + "/multi?uploads", WRITTEN, new byte[0]);
      assertThat(created.status()).as(created.body()).isEqualTo(200);
      String id = ListingFidelityTest.elements(created.body(), "UploadId").getFirst();
      SigV4Http.Response part =
          target
              .getValue()
              .send(
                  "PUT",
                  "/" + target.getKey() + "/multi?partNumber=1&uploadId=" + id,
                  Map.of(),
                  bytes("the only part"));
      assertThat(part.status()).as(part.body()).isEqualTo(200);
      String complete =
          "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"
              + part.header("ETag")
              + "</ETag></Part></CompleteMultipartUpload>";
      SigV4Http.Response done =
          target
              .getValue()
              .send(
                  "POST",
                  "/" + target.getKey() + "/multi?uploadId=" + id,
                  Map.of(),
                  bytes(complete));
      assertThat(done.status()).as(done.body()).isEqualTo(200);
    }
    assertSameHeaders("multi");
  }

  @Test
  void aWebsiteRedirectGoesToTheBackendAndItsAnswerComesBack() throws Exception {
    Map<String, String> redirect = Map.of("x-amz-website-redirect-location", "/elsewhere.html");
    both("PUT", "redirect-source", Map.of(), bytes("x"));
    both("PUT", "redirect", redirect, bytes("x"), true);
    both(
        "PUT",
        "redirect-copy",
        Map.of(
            "x-amz-copy-source",
            "/{bucket}/redirect-source",
            "x-amz-website-redirect-location",
            "/elsewhere.html"),
        new byte[0],
        true);
  }

  /**
   * Non-ASCII (Latin-1) metadata values as the AWS SDK sends them (raw in the header), through
   * every write kind: the gateway returns what the backend returns for the same request.
   */
  @Test
  void nonAsciiMetadataFromTheSdkComesBackAsTheBackendGivesIt() {
    // Raw header bytes reach no S3 server beyond Latin-1 intact (S3Proxy refuses the signature of
    // "✓" sent raw); those go RFC 2047-encoded, as putAndGetKeepEveryHeader does.
    Map<String, String> metadata = Map.of("latin", "ünïcödé", "plain", "x");
    try (var viaGateway = fixture.whenRequiredClient();
        var viaBackend = fixture.backend().directClient()) {
      for (var target : List.of(Map.entry(DIRECT, viaBackend), Map.entry(THROUGH, viaGateway))) {
        var s3 = target.getValue();
        String bucket = target.getKey();
        s3.putObject(
            b -> b.bucket(bucket).key("sdk-meta").metadata(metadata),
            software.amazon.awssdk.core.sync.RequestBody.fromString("m"));
        s3.copyObject(
            b ->
                b.sourceBucket(bucket)
                    .sourceKey("sdk-meta")
                    .destinationBucket(bucket)
                    .destinationKey("sdk-meta-copy"));
        s3.copyObject(
            b ->
                b.sourceBucket(bucket)
                    .sourceKey("sdk-meta")
                    .destinationBucket(bucket)
                    .destinationKey("sdk-meta-replaced")
                    .metadataDirective("REPLACE")
                    .metadata(Map.of("replaced", "çà et là")));
      }
      for (String key : List.of("sdk-meta", "sdk-meta-copy", "sdk-meta-replaced")) {
        assertThat(viaGateway.headObject(b -> b.bucket(THROUGH).key(key)).metadata())
            .as(key)
            .isEqualTo(viaBackend.headObject(b -> b.bucket(DIRECT).key(key)).metadata());
        assertThat(viaGateway.getObject(b -> b.bucket(THROUGH).key(key)).response().metadata())
            .as(key)
            .isEqualTo(viaBackend.getObject(b -> b.bucket(DIRECT).key(key)).response().metadata());
      }
      assertThat(viaGateway.headObject(b -> b.bucket(THROUGH).key("sdk-meta")).metadata())
          .containsEntry("latin", "ünïcödé");
    }
  }
}

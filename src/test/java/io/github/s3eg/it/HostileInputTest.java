package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Hostile and malformed requests (issue 11), sent byte for byte to a real gateway in front of a
 * real backend: each gets the S3 error S3 itself would send (code and status, as an XML document),
 * and the backend-side probe shows that none of them reached the backend. Bodies that break off,
 * stall or trickle leave no object behind. Signatures are off (loopback only): protocol handling is
 * under test here; {@code AuthenticationTest} covers what unsigned or badly signed requests get.
 */
class HostileInputTest {

  private static final String BUCKET = "hostile";

  /** Short, so that stalled and trickled bodies are cut off within the test's time. */
  private static final long REQUEST_TIMEOUT_MILLIS = 1000;

  private static GatewayFixture fixture;
  private static S3Client backend;

  @BeforeAll
  static void start() throws Exception {
    fixture =
        GatewayFixture.start(
            Map.of(
                "AUTH_ENABLED", "false",
                "SERVER_REQUEST_TIMEOUT", REQUEST_TIMEOUT_MILLIS + "ms",
                "SERVER_MAX_HEADER_SIZE", "16384"));
    backend = fixture.backend().directClient();
    assertThat(send("PUT /" + BUCKET + " HTTP/1.1\r\nContent-Length: 0\r\n\r\n").status())
        .isEqualTo(200);
    assertThat(put("/" + BUCKET + "/existing", "0123456789").status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() throws Exception {
    backend.close();
    fixture.close();
  }

  @BeforeEach
  void resetProbe() {
    fixture.probe().reset();
  }

  // ---- XML bodies -------------------------------------------------------------------------

  static Stream<Arguments> hostileXml() {
    StringBuilder tooMany = new StringBuilder("<Delete>");
    for (int i = 0; i < 1001; i++) {
      tooMany.append("<Object><Key>k").append(i).append("</Key></Object>");
    }
    tooMany.append("</Delete>");
    String lol = "<!ENTITY lol \"lol\">";
    StringBuilder bomb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [").append(lol);
    for (int i = 1; i < 10; i++) {
      bomb.append("<!ENTITY lol")
          .append(i)
          .append(" \"")
          .append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10))
          .append("\">");
    }
    bomb.append("]><Delete><Object><Key>&lol9;</Key></Object></Delete>");
    return Stream.of(
        Arguments.of("unclosed", "<Delete><Object>"),
        Arguments.of("not XML", "this is not xml"),
        Arguments.of("over 1,000 keys", tooMany.toString()),
        Arguments.of("billion laughs", bomb.toString()),
        Arguments.of(
            "external entity",
            "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Delete><Object><Key>&x;</Key></Object></Delete>"),
        Arguments.of(
            "parameter entity",
            "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY % p SYSTEM \"http://127.0.0.1:1/x\">%p;]>"
                + "<Delete/>"),
        Arguments.of(
            "DOCTYPE alone", "<!DOCTYPE Delete><Delete><Object><Key>k</Key></Object></Delete>"),
        Arguments.of("nested 100 deep", "<a>".repeat(100) + "</a>".repeat(100)),
        Arguments.of("wrong root", "<Remove><Object><Key>k</Key></Object></Remove>"),
        Arguments.of(
            "object without key", "<Delete><Object><Version>1</Version></Object></Delete>"),
        Arguments.of("no objects", "<Delete><Quiet>true</Quiet></Delete>"),
        Arguments.of("empty", ""),
        Arguments.of("over 2 MiB", "<Delete>" + " ".repeat(2 * 1024 * 1024 + 10) + "</Delete>"));
  }

  @ParameterizedTest(name = "DeleteObjects, {0}: MalformedXML")
  @MethodSource("hostileXml")
  void hostileDeleteDocumentsAreMalformedXml(String name, String document) throws Exception {
    RawHttp.Response r = post("/" + BUCKET + "?delete", document);
    assertError(r, 400, "MalformedXML");
    assertThat(r.body()).doesNotContain("root:");
    assertNothingReachedTheBackend();
    assertThat(backend.headObject(b -> b.bucket(BUCKET).key("existing")).contentLength())
        .isPositive();
  }

  @ParameterizedTest(name = "CompleteMultipartUpload, {0}: MalformedXML")
  @MethodSource("hostileXml")
  void hostileCompleteDocumentsAreMalformedXml(String name, String document) throws Exception {
    // The document is parsed before the upload is looked up: nothing reaches the backend.
    RawHttp.Response r = post("/" + BUCKET + "/existing?uploadId=some-upload", document);
    assertError(r, 400, "MalformedXML");
    assertThat(r.body()).doesNotContain("root:");
    assertNothingReachedTheBackend();
  }

  @org.junit.jupiter.api.Test
  void completeWithMoreThan10000PartsIsMalformedXml() throws Exception {
    StringBuilder doc = new StringBuilder("<CompleteMultipartUpload>");
    for (int i = 1; i <= 10_001; i++) {
      doc.append("<Part><PartNumber>")
          .append(i)
          .append("</PartNumber><ETag>\"0123456789abcdef0123456789abcdef\"</ETag></Part>");
    }
    doc.append("</CompleteMultipartUpload>");
    RawHttp.Response r = post("/" + BUCKET + "/existing?uploadId=some-upload", doc.toString());
    assertError(r, 400, "MalformedXML");
    assertNothingReachedTheBackend();
  }

  @org.junit.jupiter.api.Test
  void createBucketWithAnUnderscoreIsAnInvalidBucketName() throws Exception {
    // Addressable (legacy buckets may have one), but S3 creates no such bucket; the backend client
    // refuses to, which used to surface as a 500.
    RawHttp.Response r = send("PUT /under_score_bucket HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
    assertError(r, 400, "InvalidBucketName");
    assertNothingReachedTheBackend();
  }

  @ParameterizedTest(name = "CreateBucket, {0}: MalformedXML")
  @MethodSource("hostileXml")
  void hostileCreateBucketConfigurationsAreMalformedXml(String name, String document)
      throws Exception {
    if (document.isEmpty()) {
      return; // an empty body is a CreateBucket without configuration: valid
    }
    RawHttp.Response r =
        sendBytes(
            "PUT /new-bucket-xml HTTP/1.1\r\nContent-Length: "
                + document.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n"
                + document);
    assertError(r, 400, "MalformedXML");
    assertNothingReachedTheBackend();
  }

  // ---- names --------------------------------------------------------------------------------

  @ParameterizedTest(name = "bucket {0}: InvalidBucketName")
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "ab",
        "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "UPPERCASE",
        "192.168.5.4",
        "a..b",
        "-leading-dash",
        "trailing-dash-",
        "spa%20ce",
        "uni%C3%A9code"
      })
  void invalidBucketNamesAreRefused(String bucket) throws Exception {
    assertError(send("GET /" + bucket + "/key HTTP/1.1\r\n\r\n"), 400, "InvalidBucketName");
    assertError(
        send("PUT /" + bucket + " HTTP/1.1\r\nContent-Length: 0\r\n\r\n"),
        400,
        "InvalidBucketName");
    assertNothingReachedTheBackend();
  }

  @Test
  void keysOver1024BytesAreKeyTooLong() throws Exception {
    assertError(put("/" + BUCKET + "/" + "k".repeat(1025), "x"), 400, "KeyTooLongError");
    // 342 three-byte characters: 342 characters, 1,026 bytes.
    assertError(put("/" + BUCKET + "/" + "%E2%82%AC".repeat(342), "x"), 400, "KeyTooLongError");
    assertNothingReachedTheBackend();
    // Exactly 1,024 bytes is allowed (segments below the backend's file-name limit).
    String longest = ("s".repeat(200) + "/").repeat(5) + "s".repeat(19);
    assertThat(longest.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
    assertThat(put("/" + BUCKET + "/" + longest, "x").status()).isEqualTo(200);
  }

  @Test
  void nulAndBadPercentEncodingInKeysAreRefused() throws Exception {
    assertError(put("/" + BUCKET + "/nul%00key", "x"), 400, "InvalidArgument");
    for (String bad : new String[] {"bad%zz", "bad%", "bad%4", "bad%C3%28", "bad%ED%A0%80"}) {
      assertError(put("/" + BUCKET + "/" + bad, "x"), 400, "InvalidURI");
      assertError(send("GET /" + BUCKET + "/" + bad + " HTTP/1.1\r\n\r\n"), 400, "InvalidURI");
    }
    assertError(send("GET /" + BUCKET + "?prefix=%zz HTTP/1.1\r\n\r\n"), 400, "InvalidURI");
    assertNothingReachedTheBackend();
  }

  /** {@code %2F} is a slash inside the key, as on S3 (the SDKs send "//" in keys that way). */
  @Test
  void encodedSlashIsPartOfTheKey() throws Exception {
    assertThat(put("/" + BUCKET + "/dir%2Ffile", "slash").status()).isEqualTo(200);
    assertThat(get("/" + BUCKET + "/dir/file").body()).isEqualTo("slash");
    assertThat(backend.headObject(b -> b.bucket(BUCKET).key("dir/file")).contentLength())
        .isPositive();
  }

  // ---- headers ------------------------------------------------------------------------------

  @Test
  void oversizeHeaderSectionIsRequestHeaderSectionTooLarge() throws Exception {
    RawHttp.Response r =
        sendBytes(
            "GET /"
                + BUCKET
                + "/existing HTTP/1.1\r\nX-Filler: "
                + "f".repeat(20_000)
                + "\r\n\r\n");
    assertError(r, 400, "RequestHeaderSectionTooLarge");
    assertNothingReachedTheBackend();
  }

  @Test
  void oversizeRequestLineIsInvalidUri() throws Exception {
    RawHttp.Response r =
        sendBytes("GET /" + BUCKET + "/" + "k".repeat(70_000) + " HTTP/1.1\r\n\r\n");
    assertError(r, 400, "InvalidURI");
    assertNothingReachedTheBackend();
  }

  @Test
  void requestWithoutHostIsAnS3Error() throws Exception {
    RawHttp.Response r =
        RawHttp.sendBytes(
            fixture.endpoint(),
            ("GET /" + BUCKET + "/existing HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    assertError(r, 400, "InvalidRequest");
    assertNothingReachedTheBackend();
  }

  @Test
  void userMetadataOver2KbIsMetadataTooLarge() throws Exception {
    RawHttp.Response r =
        sendBytes(
            "PUT /"
                + BUCKET
                + "/meta HTTP/1.1\r\nx-amz-meta-big: "
                + "m".repeat(2100)
                + "\r\nContent-Length: 1\r\n\r\nx");
    assertError(r, 400, "MetadataTooLarge");
    assertNothingReachedTheBackend();
  }

  @ParameterizedTest(name = "Content-Length: {0}")
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"-1", "abc", "99999999999999999999999", "1, 2", "0x10"})
  void malformedContentLengthIsAnS3Error(String length) throws Exception {
    RawHttp.Response r =
        sendBytes("PUT /" + BUCKET + "/cl HTTP/1.1\r\nContent-Length: " + length + "\r\n\r\nxxxxx");
    assertError(r, 400, "InvalidRequest");
    assertNothingReachedTheBackend();
  }

  @Test
  void contradictoryContentLengthsAreAnS3Error() throws Exception {
    RawHttp.Response r =
        sendBytes(
            "PUT /"
                + BUCKET
                + "/cl HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nxxxxx");
    assertError(r, 400, "InvalidRequest");
    assertNothingReachedTheBackend();
  }

  @Test
  void putWithoutContentLengthIsMissingContentLength() throws Exception {
    RawHttp.Response r =
        sendBytes(
            "PUT /"
                + BUCKET
                + "/chunked HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    assertError(r, 411, "MissingContentLength");
    assertNoObject("chunked");
  }

  /**
   * The other side of the rule above: botocore sends aws-chunked bodies with HTTP chunked framing
   * and no Content-Length, declaring the length in x-amz-decoded-content-length. That is accepted.
   */
  @Test
  void chunkedAwsChunkedUploadWithDecodedLengthIsStored() throws Exception {
    String crc =
        java.util.Base64.getEncoder()
            .encodeToString(
                java.nio.ByteBuffer.allocate(4)
                    .putInt((int) crc32("hello world".getBytes(StandardCharsets.UTF_8)))
                    .array());
    String awsChunked =
        "5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:" + crc + "\r\n\r\n";
    String request =
        "PUT /"
            + BUCKET
            + "/botocore HTTP/1.1\r\n"
            + "Transfer-Encoding: chunked\r\n"
            + "Content-Encoding: aws-chunked\r\n"
            + "x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\n"
            + "x-amz-trailer: x-amz-checksum-crc32\r\n"
            + "x-amz-decoded-content-length: 11\r\n\r\n"
            + Integer.toHexString(awsChunked.length())
            + "\r\n"
            + awsChunked
            + "\r\n0\r\n\r\n";
    RawHttp.Response r = sendBytes(request);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(get("/" + BUCKET + "/botocore").body()).isEqualTo("hello world");
  }

  private static long crc32(byte[] data) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(data);
    return crc.getValue();
  }

  @Test
  void contentMd5MismatchIsBadDigestAndStoresNothing() throws Exception {
    RawHttp.Response r =
        sendBytes(
            "PUT /"
                + BUCKET
                + "/md5 HTTP/1.1\r\nContent-MD5: 1B2M2Y8AsgTpgAmY7PhCfg==\r\n"
                + "Content-Length: 5\r\n\r\nhello");
    assertError(r, 400, "BadDigest");
    assertNoObject("md5");
  }

  // ---- ranges -------------------------------------------------------------------------------

  @Test
  void invalidAndMultiRangesReturnTheWholeObject() throws Exception {
    for (String range :
        new String[] {
          "bytes=abc", "bytes=0-1,4-5", "bytes=5-2", "items=0-3", "bytes=0-99999999999999999999"
        }) {
      RawHttp.Response r = get("/" + BUCKET + "/existing", "Range", range);
      assertThat(r.status()).as(range).isEqualTo(200);
      assertThat(r.body()).as(range).isEqualTo("0123456789");
    }
  }

  @Test
  void unsatisfiableRangesAreInvalidRange() throws Exception {
    for (String range : new String[] {"bytes=10-", "bytes=100-200", "bytes=-0"}) {
      RawHttp.Response r = get("/" + BUCKET + "/existing", "Range", range);
      assertError(r, 416, "InvalidRange");
      assertThat(r.body()).as(range).contains("<ActualObjectSize>10</ActualObjectSize>");
    }
  }

  // ---- bodies that break off, stall or trickle ----------------------------------------------

  @Test
  void bodyCutShortByTheClientStoresNothing() throws Exception {
    try (Socket socket = open()) {
      socket
          .getOutputStream()
          .write(
              withHost(
                  "PUT /"
                      + BUCKET
                      + "/cut HTTP/1.1\r\nContent-Length: 100000\r\n\r\n"
                      + "x".repeat(5000)));
      socket.shutdownOutput();
      RawHttp.Response r = readOrNull(socket.getInputStream());
      if (r != null) {
        assertError(r, 400, "IncompleteBody");
      }
    }
    assertNoObject("cut");
  }

  @Test
  void stalledBodyIsRequestTimeoutAndStoresNothing() throws Exception {
    long start = System.nanoTime();
    try (Socket socket = open()) {
      socket
          .getOutputStream()
          .write(
              withHost(
                  "PUT /"
                      + BUCKET
                      + "/stalled HTTP/1.1\r\nContent-Length: 1000\r\n\r\n"
                      + "x".repeat(10)));
      assertError(RawHttp.read(socket.getInputStream()), 400, "RequestTimeout");
    }
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(20 * REQUEST_TIMEOUT_MILLIS);
    assertNoObject("stalled");
  }

  /**
   * Slowloris: one byte every 100 ms never leaves the body idle for the timeout, but delivers far
   * less than the minimum progress per timeout period; it is cut off instead of holding a worker.
   */
  @Test
  void trickledBodyIsRequestTimeoutAndStoresNothing() throws Exception {
    long start = System.nanoTime();
    try (Socket socket = open()) {
      OutputStream out = socket.getOutputStream();
      out.write(withHost("PUT /" + BUCKET + "/trickled HTTP/1.1\r\nContent-Length: 1000\r\n\r\n"));
      Thread trickler =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      for (int i = 0; i < 1000; i++) {
                        out.write('x');
                        out.flush();
                        Thread.sleep(100);
                      }
                    } catch (IOException | InterruptedException cutOff) {
                      // The gateway answered and closed: expected.
                    }
                  });
      try {
        assertError(RawHttp.read(socket.getInputStream()), 400, "RequestTimeout");
      } finally {
        trickler.interrupt();
      }
    }
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(20 * REQUEST_TIMEOUT_MILLIS);
    assertNoObject("trickled");
  }

  // ---- unsupported sub-resources ------------------------------------------------------------

  static Stream<Arguments> unsupported() {
    String o = "/" + BUCKET + "/existing";
    String b = "/" + BUCKET;
    return Stream.of(
        Arguments.of("GET", o + "?partNumber=2"),
        Arguments.of("HEAD", o + "?partNumber=1"),
        Arguments.of("GET", o + "?torrent"),
        Arguments.of("POST", o + "?restore"),
        Arguments.of("POST", o + "?select&select-type=2"),
        // Bucket configuration is forwarded (SUBRESOURCES_FORWARDED), but not on objects.
        Arguments.of("GET", o + "?policy"),
        Arguments.of("PUT", o + "?lifecycle"),
        Arguments.of("PUT", b + "?replication"),
        Arguments.of("GET", b + "?analytics"),
        Arguments.of("GET", b + "?inventory"),
        Arguments.of("PUT", b + "?accelerate"),
        Arguments.of("GET", b + "?intelligent-tiering"),
        Arguments.of("GET", b + "?metrics"),
        // Operations newer than the gateway's routes: without a refusal each would run as the
        // plain operation of its method (RenameObject as an empty PutObject over the target,
        // DeleteBucketMetadataTableConfiguration as DeleteBucket).
        Arguments.of("PUT", o + "?renameObject"),
        Arguments.of("GET", b + "?session"),
        Arguments.of("GET", b + "?abac"),
        Arguments.of("PUT", b + "?abac"),
        Arguments.of("GET", b + "?metadataConfiguration"),
        Arguments.of("DELETE", b + "?metadataConfiguration"),
        Arguments.of("GET", b + "?metadataTable"),
        Arguments.of("DELETE", b + "?metadataTable"),
        Arguments.of("PUT", b + "?metadataInventoryTable"),
        Arguments.of("PUT", b + "?metadataJournalTable"));
  }

  @ParameterizedTest(name = "{0} {1}: NotImplemented")
  @MethodSource("unsupported")
  void unsupportedSubresourcesAreNotImplementedAndNeverForwarded(String method, String target)
      throws Exception {
    RawHttp.Response r =
        sendBytes(method + " " + target + " HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}");
    assertThat(r.status()).isEqualTo(501);
    if (!method.equals("HEAD")) {
      assertThat(r.body()).contains("<Code>NotImplemented</Code>");
    }
    assertNothingReachedTheBackend();
  }

  /**
   * A version id in a bucket without versioning (S3Proxy has none): S3's 400, never passed to a
   * backend that would ignore it and read or delete the current object instead.
   */
  @ParameterizedTest(name = "{0} with a version id: InvalidArgument")
  @ValueSource(strings = {"GET", "HEAD", "DELETE"})
  void aVersionIdInABucketWithoutVersioningIsRefusedAndTheObjectStays(String method)
      throws Exception {
    RawHttp.Response r =
        send(
            method
                + " /"
                + BUCKET
                + "/existing?versionId=3HL4kqtJlcpXroDTDmJ%2Brmsr HTTP/1.1\r\n\r\n");
    assertThat(r.status()).isEqualTo(400);
    if (!method.equals("HEAD")) {
      assertThat(r.body()).contains("<Code>InvalidArgument</Code>");
    }
    assertThat(backend.headObject(b -> b.bucket(BUCKET).key("existing")).contentLength())
        .isPositive();
  }

  /** A bucket of its own: S3Proxy fails listings of one where a hostile upload left a spool. */
  private static final String LOCKLESS = "lockless";

  static Stream<Arguments> objectLockHeaders() {
    String o = "/" + LOCKLESS + "/locked";
    String until = "x-amz-object-lock-retain-until-date: 2037-01-01T00:00:00Z\r\n";
    return Stream.of(
        Arguments.of("PUT " + o, "x-amz-object-lock-mode: COMPLIANCE\r\n" + until),
        Arguments.of("PUT " + o, "x-amz-object-lock-legal-hold: ON\r\n"),
        Arguments.of("POST " + o + "?uploads", "x-amz-object-lock-mode: GOVERNANCE\r\n" + until),
        Arguments.of(
            "PUT " + o,
            "x-amz-copy-source: /" + BUCKET + "/existing\r\nx-amz-object-lock-legal-hold: ON\r\n"));
  }

  /**
   * Object Lock requested by header in a bucket without Object Lock (S3Proxy has none): refused as
   * S3 refuses it, before anything is written, never silently left unlocked.
   */
  @ParameterizedTest(name = "{0} with {1}: InvalidRequest")
  @MethodSource("objectLockHeaders")
  void objectLockHeadersInABucketWithoutObjectLockAreRefusedAndNothingIsWritten(
      String requestLine, String headers) throws Exception {
    backend.createBucket(b -> b.bucket(LOCKLESS));
    RawHttp.Response r =
        sendBytes(requestLine + " HTTP/1.1\r\n" + headers + "Content-Length: 2\r\n\r\n{}");
    assertError(r, 400, "InvalidRequest");
    assertThat(r.body()).contains("Object Lock");
    // Only the look at the bucket's configuration reached the backend.
    assertThat(fixture.probe().requests())
        .allSatisfy(seen -> assertThat(seen.method()).isEqualTo("GET"));
    assertThat(backend.listObjectsV2(b -> b.bucket(LOCKLESS)).contents()).isEmpty();
    backend.deleteBucket(b -> b.bucket(LOCKLESS));
  }

  /** A bucket the backend created without the Object Lock it was asked for is not kept. */
  @Test
  void aBucketWithObjectLockTheBackendCannotGiveIsNotImplementedAndNotKept() throws Exception {
    RawHttp.Response r =
        send(
            "PUT /lock-enabled-bucket HTTP/1.1\r\nx-amz-bucket-object-lock-enabled: true\r\n"
                + "Content-Length: 0\r\n\r\n");
    assertError(r, 501, "NotImplemented");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> backend.headBucket(b -> b.bucket("lock-enabled-bucket")))
        .isInstanceOfSatisfying(
            software.amazon.awssdk.services.s3.model.S3Exception.class,
            e -> assertThat(e.statusCode()).isEqualTo(404));
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static Socket open() throws IOException {
    URI endpoint = fixture.endpoint();
    Socket socket = new Socket(endpoint.getHost(), endpoint.getPort());
    socket.setSoTimeout(30_000);
    return socket;
  }

  private static RawHttp.Response readOrNull(InputStream in) {
    try {
      return RawHttp.read(in);
    } catch (IOException closedWithoutAnswer) {
      return null;
    }
  }

  private static RawHttp.Response send(String head) throws IOException {
    return sendBytes(head);
  }

  /** Sends {@code request} with a Host header added after the request line. */
  private static RawHttp.Response sendBytes(String request) throws IOException {
    return RawHttp.sendBytes(fixture.endpoint(), withHost(request));
  }

  private static byte[] withHost(String request) {
    int eol = request.indexOf("\r\n");
    return (request.substring(0, eol + 2) + "Host: 127.0.0.1\r\n" + request.substring(eol + 2))
        .getBytes(StandardCharsets.UTF_8);
  }

  private static RawHttp.Response put(String target, String body) throws IOException {
    return sendBytes(
        "PUT "
            + target
            + " HTTP/1.1\r\nContent-Length: "
            + body.getBytes(StandardCharsets.UTF_8).length
            + "\r\n\r\n"
            + body);
  }

  private static RawHttp.Response post(String target, String body) throws IOException {
    return sendBytes(
        "POST "
            + target
            + " HTTP/1.1\r\nContent-Length: "
            + body.getBytes(StandardCharsets.UTF_8).length
            + "\r\n\r\n"
            + body);
  }

  private static RawHttp.Response get(String target, String... headers) throws IOException {
    StringBuilder head = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    return sendBytes(head.append("\r\n").toString());
  }

  private static void assertError(RawHttp.Response r, int status, String code) {
    assertThat(r.status()).as("status (%s)", r.body()).isEqualTo(status);
    assertThat(r.headers().get("Content-Type")).isEqualTo("application/xml");
    assertThat(r.body()).contains("<Code>" + code + "</Code>").contains("<RequestId>");
    assertThat(r.headers().get("x-amz-request-id")).matches("[0-9A-F]{16}");
  }

  private static void assertNothingReachedTheBackend() {
    assertThat(fixture.probe().requests()).as("requests that reached the backend").isEmpty();
  }

  private static void assertNoObject(String key) {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> backend.headObject(b -> b.bucket(BUCKET).key(key)))
        .isInstanceOf(NoSuchKeyException.class);
  }
}

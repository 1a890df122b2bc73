package io.github.s3eg.s3.auth;

import static io.github.s3eg.s3.testing.S3Errors.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.testing.DocExamples;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * SigV2 against the examples of the S3 documentation ("Signing and authenticating REST requests").
 * Each expected signature is first recomputed here with a plain HmacSHA1 over the documented string
 * to sign — an implementation independent of the gateway's — and compared with the documented
 * value; then the documented request must be accepted.
 */
class SigV2Test {

  private static final Instant MARCH_27_2007 = Instant.parse("2007-03-27T19:36:42Z");

  @Test
  void documentedGetObjectVirtualHosted() throws Exception {
    String stringToSign = "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg";
    String signature = hmacSha1(stringToSign);
    assertThat(signature).isEqualTo("bWq2s1WEIj+Ydj0vQ697zp+IXMU=");

    SignedRequest request =
        request(
            "GET",
            "/photos/puppy.jpg",
            "",
            "Host",
            "johnsmith.s3.amazonaws.com",
            "Date",
            "Tue, 27 Mar 2007 19:36:42 +0000",
            "Authorization",
            "AWS AKIAIOSFODNN7EXAMPLE:" + signature);

    AuthResult result = sigV2(MARCH_27_2007).authenticate(request);
    assertThat(result.method()).isEqualTo(AuthMethod.SIGV2_HEADER);
    assertThat(result.payloadMode()).isEqualTo(PayloadMode.UNSIGNED);
    assertThat(result.signingContext()).isEmpty();
  }

  @Test
  void documentedPutObjectWithContentType() throws Exception {
    String stringToSign =
        "PUT\n\nimage/jpeg\nTue, 27 Mar 2007 21:15:45 +0000\n/johnsmith/photos/puppy.jpg";
    String signature = hmacSha1(stringToSign);
    assertThat(signature).isEqualTo("MyyxeRY7whkBe+bq8fHCL/2kKUg=");

    SignedRequest request =
        request(
            "PUT",
            "/photos/puppy.jpg",
            "",
            "Content-Type",
            "image/jpeg",
            "Content-Length",
            "94328",
            "Host",
            "johnsmith.s3.amazonaws.com",
            "Date",
            "Tue, 27 Mar 2007 21:15:45 +0000",
            "Authorization",
            "AWS AKIAIOSFODNN7EXAMPLE:" + signature);

    assertThat(sigV2(Instant.parse("2007-03-27T21:15:45Z")).authenticate(request)).isNotNull();
  }

  @Test
  void documentedListIgnoresOrdinaryQueryParameters() throws Exception {
    String signature = hmacSha1("GET\n\n\nTue, 27 Mar 2007 19:42:41 +0000\n/johnsmith/");
    assertThat(signature).isEqualTo("htDYFYduRNen8P9ZfE/s9SuKy0U=");

    SignedRequest request =
        request(
            "GET",
            "/",
            "prefix=photos&max-keys=50&marker=puppy",
            "Host",
            "johnsmith.s3.amazonaws.com",
            "Date",
            "Tue, 27 Mar 2007 19:42:41 +0000",
            "Authorization",
            "AWS AKIAIOSFODNN7EXAMPLE:" + signature);

    assertThat(sigV2(Instant.parse("2007-03-27T19:42:41Z")).authenticate(request)).isNotNull();
  }

  @Test
  void documentedSubResourceIsSigned() throws Exception {
    String signature = hmacSha1("GET\n\n\nTue, 27 Mar 2007 19:44:46 +0000\n/johnsmith/?acl");
    assertThat(signature).isEqualTo("c2WLPFtWHVgbEmeEG93a4cG37dM=");
    Authenticator auth = sigV2(Instant.parse("2007-03-27T19:44:46Z"));

    SignedRequest request =
        request(
            "GET",
            "/",
            "acl",
            "Host",
            "johnsmith.s3.amazonaws.com",
            "Date",
            "Tue, 27 Mar 2007 19:44:46 +0000",
            "Authorization",
            "AWS AKIAIOSFODNN7EXAMPLE:" + signature);

    assertThat(auth.authenticate(request)).isNotNull();
    assertS3Error(
        () -> auth.authenticate(new SignedRequest("GET", "/", "policy", request.headers())),
        S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void documentedUnicodePathIsSignedAsSent() throws Exception {
    String path = "/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re";
    String signature = hmacSha1("GET\n\n\nWed, 28 Mar 2007 01:49:49 +0000\n" + path);
    assertThat(signature).isEqualTo("DNEZGsoieTZ92F3bUfSPQcbGmlM=");

    SignedRequest request =
        request(
            "GET",
            path,
            "",
            "Host",
            "s3.us-west-1.amazonaws.com",
            "Date",
            "Wed, 28 Mar 2007 01:49:49 +0000",
            "Authorization",
            "AWS AKIAIOSFODNN7EXAMPLE:" + signature);

    assertThat(sigV2(Instant.parse("2007-03-28T01:49:49Z")).authenticate(request)).isNotNull();
  }

  /**
   * Raw (not percent-encoded) UTF-8 in the path arrives one character per octet; SigV2 hashes the
   * octets that were sent, as the client did, and the key parser reads the same octets as UTF-8.
   * Before, the gateway hashed those characters re-encoded ("cafÃ©"), so a signature made for the
   * key "cafÃ©" was accepted for a request that the parser read as "café" (issue 17 finding 6).
   */
  @Test
  void rawPathOctetsAreSignedAsTheOctetsSent() throws Exception {
    String date = "Tue, 27 Mar 2007 19:36:42 +0000";
    String received =
        new String(
            "/photos/caf\u00e9".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    String signedByClient = hmacSha1("GET\n\n\n" + date + "\n/johnsmith/photos/caf\u00e9");
    String signedForAnotherKey =
        hmacSha1("GET\n\n\n" + date + "\n/johnsmith/photos/caf\u00c3\u00a9");

    assertThat(sigV2(MARCH_27_2007).authenticate(rawPathRequest(received, date, signedByClient)))
        .isNotNull();
    assertS3Error(
        () ->
            sigV2(MARCH_27_2007).authenticate(rawPathRequest(received, date, signedForAnotherKey)),
        S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
  }

  private static SignedRequest rawPathRequest(String path, String date, String signature) {
    return request(
        "GET",
        path,
        "",
        "Host",
        "johnsmith.s3.amazonaws.com",
        "Date",
        date,
        "Authorization",
        "AWS AKIAIOSFODNN7EXAMPLE:" + signature);
  }

  /**
   * The gateway's own operations are signed (issue 17 finding 5): an admin's V2-signed {@code GET
   * /} or {@code POST /bucket?delete} cannot be replayed as an audit download or a rewrap, and a
   * rewrap's other parameters cannot be dropped or changed.
   */
  @Test
  void theGatewaysOwnQueryParametersAreSigned() throws Exception {
    String date = "Tue, 27 Mar 2007 19:36:42 +0000";
    Authenticator auth = sigV2(MARCH_27_2007);
    String listBuckets = hmacSha1("GET\n\n\n" + date + "\n/");
    assertThat(auth.authenticate(signedAt("GET", "/", "", date, listBuckets))).isNotNull();
    assertS3Error(
        () -> auth.authenticate(signedAt("GET", "/", "s3eg-audit", date, listBuckets)),
        S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    String audit = hmacSha1("GET\n\n\n" + date + "\n/?s3eg-audit");
    assertThat(auth.authenticate(signedAt("GET", "/", "s3eg-audit", date, audit))).isNotNull();

    String deleteObjects = hmacSha1("POST\n\n\n" + date + "\n/bkt/?delete");
    assertThat(auth.authenticate(signedAt("POST", "/bkt/", "delete", date, deleteObjects)))
        .isNotNull();
    assertS3Error(
        () ->
            auth.authenticate(signedAt("POST", "/bkt/", "delete&s3eg-rewrap", date, deleteObjects)),
        S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);

    String dryRun = hmacSha1("POST\n\n\n" + date + "\n/bkt/?dry-run=true&prefix=a%26b&s3eg-rewrap");
    String query = "s3eg-rewrap&dry-run=true&prefix=a%26b";
    assertThat(auth.authenticate(signedAt("POST", "/bkt/", query, date, dryRun))).isNotNull();
    for (String changed :
        List.of("s3eg-rewrap&prefix=a%26b", "s3eg-rewrap&dry-run=true&prefix=a&b", "s3eg-rewrap")) {
      assertS3Error(
          () -> auth.authenticate(signedAt("POST", "/bkt/", changed, date, dryRun)),
          S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }
  }

  private static SignedRequest signedAt(
      String method, String path, String query, String date, String signature) {
    return request(
        method,
        path,
        query,
        "Host",
        "s3.amazonaws.com",
        "Date",
        date,
        "Authorization",
        "AWS AKIAIOSFODNN7EXAMPLE:" + signature);
  }

  /** A V2 presigned URL may not outlive a V4 one: 7 days from now at most (finding 5). */
  @Test
  void presignedExpiryIsCappedAtSevenDays() throws Exception {
    long now = MARCH_27_2007.getEpochSecond();
    for (long expires : List.of(now + 604_800, now + 60)) {
      assertThat(sigV2(MARCH_27_2007).authenticate(presigned(expires))).isNotNull();
    }
    for (long expires : List.of(now + 604_801, now + 100L * 365 * 86_400, Long.MAX_VALUE)) {
      S3Exception e =
          assertS3Error(
              () -> sigV2(MARCH_27_2007).authenticate(presigned(expires)),
              S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
      assertThat(e.getMessage()).contains("less than a week");
    }
    assertS3Error(
        () -> sigV2(MARCH_27_2007).authenticate(presigned(Long.MIN_VALUE)),
        S3ErrorCode.ACCESS_DENIED);
  }

  private static SignedRequest presigned(long expires) throws Exception {
    String signature = hmacSha1("GET\n\n\n" + expires + "\n/johnsmith/photos/puppy.jpg");
    return SignedRequest.of(
        "GET",
        "/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires="
            + expires
            + "&Signature="
            + UriEncoding.encode(signature),
        headers("Host", "johnsmith.s3.amazonaws.com"));
  }

  @Test
  void amzHeadersAreCanonicalizedAndXAmzDateEmptiesTheDateLine() throws Exception {
    String stringToSign =
        "PUT\n4gJE4saaMU4BqNR0kLY+lw==\napplication/x-download\n\n"
            + "x-amz-acl:public-read\n"
            + "x-amz-date:Tue, 27 Mar 2007 21:06:08 +0000\n"
            + "x-amz-meta-reviewedby:joe@example.com,jane@example.com\n"
            + "/static.example.com/db-backup.dat.gz";
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Host", List.of("static.example.com.s3.amazonaws.com"));
    headers.put("X-Amz-Date", List.of("Tue, 27 Mar 2007 21:06:08 +0000"));
    headers.put("Date", List.of("Thu, 01 Jan 1970 00:00:00 GMT"));
    headers.put("x-amz-acl", List.of("public-read"));
    headers.put("Content-Type", List.of("application/x-download"));
    headers.put("Content-MD5", List.of("4gJE4saaMU4BqNR0kLY+lw=="));
    headers.put("X-Amz-Meta-ReviewedBy", List.of("joe@example.com", "  jane@example.com "));
    headers.put("Authorization", List.of("AWS AKIAIOSFODNN7EXAMPLE:" + hmacSha1(stringToSign)));

    SignedRequest request =
        new SignedRequest("PUT", "/db-backup.dat.gz", "", RequestHeaders.ofMap(headers));

    assertThat(sigV2(Instant.parse("2007-03-27T21:06:08Z")).authenticate(request)).isNotNull();
  }

  @Test
  void documentedQueryStringAuthentication() throws Exception {
    String signature = hmacSha1("GET\n\n\n1175139620\n/johnsmith/photos/puppy.jpg");
    assertThat(signature).isEqualTo("NpgCjnDzrM+WFzoENXmpNDUsSn8=");
    SignedRequest request =
        SignedRequest.of(
            "GET",
            "/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE"
                + "&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620",
            headers("Host", "johnsmith.s3.amazonaws.com"));

    AuthResult result = sigV2(Instant.ofEpochSecond(1175139620 - 3600)).authenticate(request);
    assertThat(result.method()).isEqualTo(AuthMethod.SIGV2_QUERY);
    assertThat(sigV2(Instant.ofEpochSecond(1175139620)).authenticate(request)).isNotNull();

    S3Exception expired =
        assertS3Error(
            () -> sigV2(Instant.ofEpochSecond(1175139621)).authenticate(request),
            S3ErrorCode.ACCESS_DENIED);
    assertThat(expired.getMessage()).isEqualTo("Request has expired");

    SignedRequest unencodedPlus =
        SignedRequest.of(
            "GET",
            "/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE"
                + "&Signature=NpgCjnDzrM+WFzoENXmpNDUsSn8=&Expires=1175139620",
            headers("Host", "johnsmith.s3.amazonaws.com"));
    assertThat(sigV2(Instant.ofEpochSecond(1175139620)).authenticate(unencodedPlus)).isNotNull();
  }

  @Test
  void sigV2IsRefusedUnlessEnabled() {
    SignedRequest header =
        request(
            "GET",
            "/photos/puppy.jpg",
            "",
            "Host",
            "johnsmith.s3.amazonaws.com",
            "Date",
            "Tue, 27 Mar 2007 19:36:42 +0000",
            "Authorization",
            "AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU=");
    SignedRequest query =
        SignedRequest.of(
            "GET",
            "/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE"
                + "&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620",
            headers("Host", "johnsmith.s3.amazonaws.com"));
    Authenticator defaults = DocExamples.authenticator(MARCH_27_2007);

    for (SignedRequest r : List.of(header, query)) {
      S3Exception e = assertS3Error(() -> defaults.authenticate(r), S3ErrorCode.ACCESS_DENIED);
      assertThat(e.getMessage()).contains("Signature Version 2 is disabled");
    }
  }

  @Test
  void wrongSignatureShowsTheStringToSign() {
    SignedRequest request =
        request(
            "GET",
            "/photos/puppy.jpg",
            "",
            "Host",
            "johnsmith.s3.amazonaws.com",
            "Date",
            "Tue, 27 Mar 2007 19:36:42 +0000",
            "Authorization",
            "AWS AKIAIOSFODNN7EXAMPLE:AAAAs1WEIj+Ydj0vQ697zp+IXMU=");

    S3Exception e =
        assertS3Error(
            () -> sigV2(MARCH_27_2007).authenticate(request), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    assertThat(e.extraElements())
        .containsEntry(
            "StringToSign", "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg")
        .containsEntry("AWSAccessKeyId", DocExamples.ACCESS_KEY);
  }

  @Test
  void headerSignedSigV2MustBeFresh() {
    SignedRequest request =
        request(
            "GET",
            "/photos/puppy.jpg",
            "",
            "Host",
            "johnsmith.s3.amazonaws.com",
            "Date",
            "Tue, 27 Mar 2007 19:36:42 +0000",
            "Authorization",
            "AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU=");

    assertS3Error(
        () -> sigV2(MARCH_27_2007.plusSeconds(16 * 60)).authenticate(request),
        S3ErrorCode.REQUEST_TIME_TOO_SKEWED);
    assertS3Error(
        () ->
            sigV2(MARCH_27_2007)
                .authenticate(
                    request(
                        "GET",
                        "/photos/puppy.jpg",
                        "",
                        "Host",
                        "johnsmith.s3.amazonaws.com",
                        "Authorization",
                        "AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU=")),
        S3ErrorCode.ACCESS_DENIED);
  }

  @Test
  void unknownKeyAndMalformedHeader() {
    assertS3Error(
        () ->
            sigV2(MARCH_27_2007)
                .authenticate(
                    request(
                        "GET",
                        "/x",
                        "",
                        "Date",
                        "Tue, 27 Mar 2007 19:36:42 +0000",
                        "Authorization",
                        "AWS NOBODY:bWq2s1WEIj+Ydj0vQ697zp+IXMU=")),
        S3ErrorCode.INVALID_ACCESS_KEY_ID);
    assertS3Error(
        () ->
            sigV2(MARCH_27_2007)
                .authenticate(request("GET", "/x", "", "Authorization", "AWS no-colon")),
        S3ErrorCode.INVALID_ARGUMENT);
  }

  private static Authenticator sigV2(Instant now) {
    return Authenticator.builder(DocExamples.store())
        .clock(Clock.fixed(now, ZoneOffset.UTC))
        .allowSigV2(true)
        .virtualHostDomains(Set.of("s3.amazonaws.com"))
        .build();
  }

  /** HMAC-SHA1 with the documented secret, base64 — independent of the gateway's code. */
  private static String hmacSha1(String stringToSign) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(
        new SecretKeySpec(DocExamples.SECRET_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    return Base64.getEncoder()
        .encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
  }

  private static SignedRequest request(
      String method, String path, String query, String... nameValues) {
    return new SignedRequest(method, path, query, headers(nameValues));
  }

  private static RequestHeaders headers(String... nameValues) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      map.put(nameValues[i], List.of(nameValues[i + 1]));
    }
    return RequestHeaders.ofMap(map);
  }
}

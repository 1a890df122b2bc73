package io.github.s3eg.s3.auth;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.s3eg.s3.testing.DocExamples;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes request authentication, whose first half is the SigV4 (and SigV2) canonicaliser: request
 * line, query and headers are parsed, normalised and canonicalised before any signature is
 * compared. Each part is either the AWS documentation's valid example or fuzzer-made, so that
 * fuzzing goes deep into one part while the others stay plausible. Whatever arrives, the result is
 * an {@link AuthResult} or an {@link AuthenticationException}; anything else is a bug.
 */
class SigV4FuzzTest {

  private static final Authenticator V4_ONLY = DocExamples.authenticator(DocExamples.TIME);
  private static final Authenticator WITH_V2 =
      Authenticator.builder(DocExamples.store())
          .clock(java.time.Clock.fixed(DocExamples.TIME, java.time.ZoneOffset.UTC))
          .allowSigV2(true)
          .virtualHostDomains(java.util.Set.of("s3.amazonaws.com"))
          .build();

  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final String CREDENTIAL =
      "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request";
  private static final String SIGNED_HEADERS = "host;range;x-amz-content-sha256;x-amz-date";
  private static final String SIGNATURE =
      "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";

  @FuzzTest(maxDuration = "4s")
  void anyRequestAuthenticatesOrFailsTyped(FuzzedDataProvider data) {
    String method = data.consumeBoolean() ? "GET" : data.consumeString(8);
    String path = data.consumeBoolean() ? "/test.txt" : "/" + data.consumeString(120);
    String query = data.consumeBoolean() ? "" : data.consumeString(200);
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    headers.add(header(data, "host", "examplebucket.s3.amazonaws.com"));
    headers.add(header(data, "range", "bytes=0-9"));
    headers.add(header(data, "x-amz-content-sha256", EMPTY_SHA256));
    headers.add(header(data, "x-amz-date", "20130524T000000Z"));
    switch (data.consumeInt(0, 3)) {
      case 0 ->
          headers.add(
              Map.entry(
                  "authorization",
                  "AWS4-HMAC-SHA256 Credential="
                      + part(data, CREDENTIAL)
                      + ","
                      + part(data, "SignedHeaders=" + SIGNED_HEADERS)
                      + ","
                      + part(data, "Signature=" + SIGNATURE)));
      case 1 -> headers.add(Map.entry("authorization", "AWS " + data.consumeString(80)));
      case 2 -> headers.add(Map.entry("authorization", data.consumeString(200)));
      default -> {
        // presigned: the fuzzed query carries the signature, if anything does
      }
    }
    int extra = data.consumeInt(0, 3);
    for (int i = 0; i < extra; i++) {
      headers.add(Map.entry(data.consumeString(20), data.consumeString(60)));
    }
    SignedRequest request = new SignedRequest(method, path, query, RequestHeaders.of(headers));
    Authenticator authenticator = data.consumeBoolean() ? V4_ONLY : WITH_V2;
    try {
      AuthResult result = authenticator.authenticate(request);
      if (result.principal() == null) {
        throw new AssertionError("authenticated without a principal");
      }
    } catch (AuthenticationException expected) {
      // the typed failure
    }
  }

  private static Map.Entry<String, String> header(
      FuzzedDataProvider data, String name, String value) {
    return Map.entry(name, data.consumeBoolean() ? value : data.consumeString(80));
  }

  private static String part(FuzzedDataProvider data, String valid) {
    return data.consumeBoolean() ? valid : data.consumeString(100);
  }
}

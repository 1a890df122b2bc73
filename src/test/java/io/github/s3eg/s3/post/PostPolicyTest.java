package io.github.s3eg.s3.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** POST policy conditions, as the S3 documentation states them. */
class PostPolicyTest {

  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  private static PostPolicy policy(String conditions) {
    String json =
        "{\"expiration\":\"2026-12-07T13:00:00.000Z\",\"conditions\":[" + conditions + "]}";
    return PostPolicy.parse(
        Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static Map<String, String> fields(String... nameValue) {
    Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < nameValue.length; i += 2) {
      m.put(nameValue[i], nameValue[i + 1]);
    }
    m.put("policy", "p");
    m.put("x-amz-signature", "s");
    return m;
  }

  private static void assertDenied(Runnable check, String message) {
    assertThatThrownBy(check::run)
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.errorCode()).isEqualTo(S3ErrorCode.ACCESS_DENIED))
        .hasMessageContaining(message);
  }

  /** Exact matches on bucket and acl, prefixes on key, Content-Type and a metadata field. */
  private static final PostPolicy EXACT_AND_PREFIX =
      policy(
          "{\"bucket\":\"b\"},[\"starts-with\",\"$key\",\"user/\"],[\"eq\",\"$acl\",\"private\"],"
              + "[\"starts-with\",\"$Content-Type\",\"image/\"],[\"starts-with\",\"$x-amz-meta-tag\",\"\"]");

  /** A form that meets every condition of {@link #EXACT_AND_PREFIX}. */
  private static Map<String, String> meetsExactAndPrefix() {
    return fields(
        "bucket",
        "b",
        "key",
        "user/a",
        "acl",
        "private",
        "content-type",
        "image/png",
        "x-amz-meta-tag",
        "");
  }

  @Test
  void exactAndPrefixConditions() {
    assertThatCode(() -> EXACT_AND_PREFIX.check(meetsExactAndPrefix(), NOW))
        .doesNotThrowAnyException();
    Map<String, String> form = meetsExactAndPrefix();
    form.put("content-type", "image/png,image/jpeg");
    form.put("x-amz-meta-tag", "anything");
    form.put("x-ignore-me", "1");
    assertThatCode(() -> EXACT_AND_PREFIX.check(form, NOW)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @CsvSource({"key, other/a", "content-type, 'image/png,text/html'", "bucket, c"})
  void oneUnmetConditionIsRefused(String field, String value) {
    Map<String, String> form = meetsExactAndPrefix();
    form.put(field, value);
    assertDenied(() -> EXACT_AND_PREFIX.check(form, NOW), "Policy Condition failed");
  }

  @Test
  void aFieldNoConditionNamesIsRefused() {
    PostPolicy p = policy("{\"bucket\":\"b\"},{\"key\":\"k\"}");
    assertDenied(
        () -> p.check(fields("bucket", "b", "key", "k", "x-amz-meta-extra", "1"), NOW),
        "Extra input fields: x-amz-meta-extra");
  }

  @Test
  void aMissingFieldFailsItsCondition() {
    PostPolicy p = policy("{\"bucket\":\"b\"},{\"key\":\"k\"},{\"success_action_status\":\"201\"}");
    assertDenied(() -> p.check(fields("bucket", "b", "key", "k"), NOW), "Policy Condition failed");
  }

  @Test
  void expiredPoliciesAreRefused() {
    PostPolicy p = policy("{\"bucket\":\"b\"}");
    assertDenied(
        () -> p.check(fields("bucket", "b"), Instant.parse("2026-12-07T13:00:01Z")),
        "Policy expired");
  }

  @Test
  void contentLengthRange() {
    PostPolicy p = policy("[\"content-length-range\",10,2048]");
    assertThat(p.minLength()).isEqualTo(10);
    assertThat(p.maxLength()).isEqualTo(2048);
    assertThat(policy("{\"bucket\":\"b\"}").maxLength()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void documentsThatAreNotPoliciesAreInvalid() {
    for (String text :
        new String[] {
          "not json",
          "[]",
          "{\"conditions\":[]}",
          "{\"expiration\":\"soon\",\"conditions\":[]}",
          "{\"expiration\":\"2026-12-07T13:00:00Z\"}",
          "{\"expiration\":\"2026-12-07T13:00:00Z\",\"conditions\":[[\"lt\",\"$key\",\"a\"]]}"
        }) {
      assertThatThrownBy(
              () ->
                  PostPolicy.parse(
                      Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))))
          .as(text)
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> assertThat(e.errorCode()).isEqualTo(S3ErrorCode.INVALID_POLICY_DOCUMENT));
    }
  }
}

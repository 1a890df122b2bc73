package io.github.s3eg.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which lifecycle rules, policies and logging targets may reach the gateway's records. */
class ConfigurationChecksTest {

  private static byte[] lifecycle(String filter) {
    return ("<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule>"
            + "<ID>r</ID>"
            + filter
            + "<Status>Enabled</Status><Expiration><Days>3</Days></Expiration></Rule>"
            + "</LifecycleConfiguration>")
        .getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<Filter><Prefix></Prefix></Filter>",
        "<Filter></Filter>",
        "",
        "<Prefix></Prefix>",
        "<Filter><Prefix>logs/</Prefix></Filter>",
        "<Prefix>.cache/</Prefix>",
        "<Filter><Prefix>logs/</Prefix><ObjectSizeLessThan>100</ObjectSizeLessThan></Filter>",
        "<Filter><And><Prefix>logs/</Prefix><ObjectSizeGreaterThan>9</ObjectSizeGreaterThan>"
            + "</And></Filter>",
        "<Filter><Tag><Key>t</Key><Value>v</Value></Tag></Filter>",
        "<Filter><And><Tag><Key>t</Key><Value>v</Value></Tag>"
            + "<ObjectSizeLessThan>100</ObjectSizeLessThan></And></Filter>",
      })
  void rulesThatTreatRecordsLikeTheirObjectsPass(String filter) {
    assertThatCode(() -> ConfigurationChecks.checkLifecycle(lifecycle(filter)))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<Filter><Prefix>.s3eg/</Prefix></Filter>",
        "<Filter><Prefix>.s3eg/index/</Prefix></Filter>",
        "<Prefix>.</Prefix>",
        "<Filter><And><Prefix>.s3</Prefix><ObjectSizeLessThan>1</ObjectSizeLessThan></And>"
            + "</Filter>",
        "<Filter><ObjectSizeLessThan>4096</ObjectSizeLessThan></Filter>",
        "<Filter><And><Prefix></Prefix><ObjectSizeGreaterThan>1</ObjectSizeGreaterThan></And>"
            + "</Filter>",
      })
  void rulesThatNameOrSingleOutTheRecordsAreRefused(String filter) {
    assertThatThrownBy(() -> ConfigurationChecks.checkLifecycle(lifecycle(filter)))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.errorCode()).isEqualTo(S3ErrorCode.ACCESS_DENIED));
  }

  private static byte[] policy(String resource) {
    return ("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":"
            + resource
            + "}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"arn:aws:s3:::b/*\"",
        "[\"arn:aws:s3:::b\",\"arn:aws:s3:::b/*\"]",
        "\"arn:aws:s3:::b/public/*\"",
        "\"arn:aws:s3:::b/*.txt\"",
        "\"arn:aws:s3:::b/${aws:username}/*\"",
        "\"arn:aws:s3:::b/.cache/*\"",
      })
  void policiesThatDoNotNameTheRecordsPass(String resource) {
    assertThatCode(() -> ConfigurationChecks.checkPolicy(policy(resource)))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"arn:aws:s3:::b/.s3eg/*\"",
        "[\"arn:aws:s3:::b/*\",\"arn:aws:s3:::b/.s3eg/uploads/x\"]",
        "\"arn:aws:s3:::b/.*\"",
        "\"arn:aws:s3:::b/.s3?g/*\"",
      })
  void policiesThatNameTheRecordsAreRefused(String resource) {
    assertThatThrownBy(() -> ConfigurationChecks.checkPolicy(policy(resource)))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.errorCode()).isEqualTo(S3ErrorCode.ACCESS_DENIED));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "nope", "[1,2]", "{\"Statement\":", "\"text\""})
  void aPolicyThatIsNotAJsonObjectIsMalformed(String text) {
    assertThatThrownBy(() -> ConfigurationChecks.checkPolicy(text.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.errorCode()).isEqualTo(S3ErrorCode.MALFORMED_POLICY));
  }

  @org.junit.jupiter.api.Test
  void aNotResourceNamingTheRecordsIsRefusedToo() {
    byte[] json =
        ("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\","
                + "\"NotResource\":\"arn:aws:s3:::b/.s3eg/index/*\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ConfigurationChecks.checkPolicy(json))
        .isInstanceOf(S3Exception.class)
        .hasMessageContaining("NotResource");
  }

  @org.junit.jupiter.api.Test
  void theLoggingTargetIsReadAndItsPrefixChecked() {
    byte[] on =
        ("<BucketLoggingStatus><LoggingEnabled><TargetBucket>logs</TargetBucket>"
                + "<TargetPrefix>b/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(ConfigurationChecks.loggingTarget(on)).contains("logs");
    byte[] off = "<BucketLoggingStatus/>".getBytes(StandardCharsets.UTF_8);
    assertThat(ConfigurationChecks.loggingTarget(off)).isEmpty();
    byte[] reserved =
        ("<BucketLoggingStatus><LoggingEnabled><TargetBucket>b</TargetBucket>"
                + "<TargetPrefix>.s3eg/logs/</TargetPrefix></LoggingEnabled>"
                + "</BucketLoggingStatus>")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ConfigurationChecks.loggingTarget(reserved))
        .isInstanceOf(S3Exception.class);
  }
}

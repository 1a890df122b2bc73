package io.github.s3eg.s3.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrincipalTest {

  private static final Principal READER = new Principal("r", Permission.READ, Set.of("photos"));
  private static final Principal WRITER =
      new Principal("w", Permission.WRITE, Set.of("photos", "logs"));
  private static final Principal ADMIN = new Principal("a", Permission.ADMIN, Set.of("*"));

  @Test
  void readPrincipalMayReadItsBucketButNotWrite() {
    assertThatCode(() -> READER.authorize(S3Action.READ, "photos")).doesNotThrowAnyException();
    assertDenied(READER, S3Action.WRITE, "photos");
    assertDenied(READER, S3Action.ADMIN, "photos");
  }

  @Test
  void principalOutsideItsBucketsIsDenied() {
    assertDenied(WRITER, S3Action.READ, "secrets");
    assertDenied(WRITER, S3Action.WRITE, "secrets");
    assertThatCode(() -> WRITER.authorize(S3Action.WRITE, "logs")).doesNotThrowAnyException();
  }

  @Test
  void writeIncludesReadButNotAdmin() {
    assertThatCode(() -> WRITER.authorize(S3Action.READ, "photos")).doesNotThrowAnyException();
    assertDenied(WRITER, S3Action.ADMIN, "photos");
  }

  @Test
  void adminWithStarMayDoEverythingEverywhere() {
    for (S3Action action : S3Action.values()) {
      assertThatCode(() -> ADMIN.authorize(action, "any-bucket")).doesNotThrowAnyException();
    }
    assertThat(ADMIN.canSee("whatever")).isTrue();
  }

  @Test
  void serviceLevelRequestsCheckOnlyThePermission() {
    assertThatCode(() -> READER.authorize(S3Action.READ, null)).doesNotThrowAnyException();
    assertDenied(WRITER, S3Action.ADMIN, null);
    assertThatCode(() -> ADMIN.authorize(S3Action.ADMIN, null)).doesNotThrowAnyException();
  }

  @Test
  void canSeeFiltersListBuckets() {
    assertThat(Set.of("photos", "logs", "secrets").stream().filter(WRITER::canSee))
        .containsExactlyInAnyOrder("photos", "logs");
    assertThat(READER.canSee("PHOTOS")).as("bucket names are exact").isFalse();
  }

  @Test
  void actionsAreClassifiedByMethodAndTarget() {
    assertThat(S3Action.classify("GET", null, null)).isEqualTo(S3Action.READ);
    assertThat(S3Action.classify("HEAD", "b", "k")).isEqualTo(S3Action.READ);
    assertThat(S3Action.classify("get", "b", null)).isEqualTo(S3Action.READ);
    assertThat(S3Action.classify("PUT", "b", "k")).isEqualTo(S3Action.WRITE);
    assertThat(S3Action.classify("POST", "b", "k")).isEqualTo(S3Action.WRITE);
    assertThat(S3Action.classify("DELETE", "b", "k")).isEqualTo(S3Action.WRITE);
    assertThat(S3Action.classify("POST", "b", null)).as("DeleteObjects").isEqualTo(S3Action.WRITE);
    assertThat(S3Action.classify("PUT", "b", "")).as("CreateBucket").isEqualTo(S3Action.ADMIN);
    assertThat(S3Action.classify("DELETE", "b", null)).isEqualTo(S3Action.ADMIN);
    assertThat(S3Action.classify("POST", null, null)).isEqualTo(S3Action.ADMIN);
  }

  @Test
  void permissionsNest() {
    assertThat(Permission.READ.allows(S3Action.READ)).isTrue();
    assertThat(Permission.READ.allows(S3Action.WRITE)).isFalse();
    assertThat(Permission.WRITE.allows(S3Action.WRITE)).isTrue();
    assertThat(Permission.WRITE.allows(S3Action.ADMIN)).isFalse();
    assertThat(Permission.ADMIN.allows(S3Action.ADMIN)).isTrue();
    assertThat(Permission.parse(" Write ")).isEqualTo(Permission.WRITE);
    assertThatThrownBy(() -> Permission.parse("owner")).hasMessageContaining("owner");
  }

  private static void assertDenied(Principal p, S3Action action, String bucket) {
    assertThatThrownBy(() -> p.authorize(action, bucket))
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e -> assertThat(((S3Exception) e).errorCode()).isEqualTo(S3ErrorCode.ACCESS_DENIED));
  }
}

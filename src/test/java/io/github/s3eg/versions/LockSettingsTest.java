package io.github.s3eg.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.s3.S3Exception;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;

class LockSettingsTest {

  @Test
  void readsTheLockHeaders() {
    LockSettings s = LockSettings.of("governance", "2030-01-02T03:04:05.000Z", "ON");
    assertThat(s.mode()).isEqualTo(ObjectLockMode.GOVERNANCE);
    assertThat(s.retainUntil()).isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
    assertThat(s.legalHold()).isEqualTo(ObjectLockLegalHoldStatus.ON);
    assertThat(s.protects()).isTrue();
    assertThat(LockSettings.of(null, null, "OFF").protects()).isFalse();
    assertThat(LockSettings.of(null, null, null).isEmpty()).isTrue();
    assertThat(LockSettings.of("COMPLIANCE", "2030-01-02T03:04:05+02:00", null).retainUntil())
        .isEqualTo(Instant.parse("2030-01-02T01:04:05Z"));
  }

  @Test
  void aModeNeedsADateAndTheOtherWayRound() {
    assertThatThrownBy(() -> LockSettings.of("GOVERNANCE", null, null))
        .isInstanceOf(S3Exception.class);
    assertThatThrownBy(() -> LockSettings.of(null, "2030-01-01T00:00:00Z", null))
        .isInstanceOf(S3Exception.class);
    assertThatThrownBy(() -> LockSettings.of("FOREVER", "2030-01-01T00:00:00Z", null))
        .isInstanceOf(S3Exception.class);
    assertThatThrownBy(() -> LockSettings.of("GOVERNANCE", "tomorrow", null))
        .isInstanceOf(S3Exception.class);
    assertThatThrownBy(() -> LockSettings.of(null, null, "MAYBE")).isInstanceOf(S3Exception.class);
  }

  @Test
  void survivesTheUploadRecord() {
    LockSettings s = LockSettings.of("COMPLIANCE", "2031-05-06T07:08:09Z", "OFF");
    assertThat(LockSettings.fromRecord(s.toRecord())).isEqualTo(s);
    assertThat(LockSettings.fromRecord(java.util.Map.of())).isEqualTo(LockSettings.NONE);
  }
}

package io.github.s3eg.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequestedVersionTest {

  @Test
  void takesOpaqueIdsAndRefusesEmptyOrBrokenOnes() {
    assertThat(RequestedVersion.check(null)).isNull();
    assertThat(RequestedVersion.check("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"))
        .isEqualTo("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY");
    assertThat(RequestedVersion.check("null")).isEqualTo("null");
    assertThatThrownBy(() -> RequestedVersion.check("")).isInstanceOf(S3Exception.class);
    assertThatThrownBy(() -> RequestedVersion.check("a\nb")).isInstanceOf(S3Exception.class);
    assertThatThrownBy(() -> RequestedVersion.check("v".repeat(1025)))
        .isInstanceOf(S3Exception.class);
  }

  @Test
  void pinsOnlyRealVersions() {
    assertThat(RequestedVersion.pin("abc")).isEqualTo("abc");
    assertThat(RequestedVersion.pin("null")).isNull();
    assertThat(RequestedVersion.pin(null)).isNull();
  }
}

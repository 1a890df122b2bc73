package io.github.s3eg.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CopySourceVersionTest {

  @Test
  void namesTheCurrentObjectOrAVersion() {
    assertThat(CopySource.parse("/bkt/dir/k%3Fx"))
        .isEqualTo(new CopySource("bkt", "dir/k?x", null));
    assertThat(CopySource.parse("bkt/k?versionId=3HL4kq%2Btl"))
        .isEqualTo(new CopySource("bkt", "k", "3HL4kq+tl"));
  }

  @Test
  void refusesAnyOtherParameterOrAnEmptyVersion() {
    assertThatThrownBy(() -> CopySource.parse("bkt/k?partNumber=1"))
        .isInstanceOf(S3Exception.class);
    assertThatThrownBy(() -> CopySource.parse("bkt/k?versionId=")).isInstanceOf(S3Exception.class);
  }
}

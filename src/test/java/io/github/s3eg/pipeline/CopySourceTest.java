package io.github.s3eg.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.s3.S3Exception;
import org.junit.jupiter.api.Test;

class CopySourceTest {

  @Test
  void namesTheCurrentObjectOrAVersion() {
    assertThat(CopyOperation.CopySource.parse("/b/dir/k%3Fx"))
        .isEqualTo(new CopyOperation.CopySource("b", "dir/k?x", null));
    assertThat(CopyOperation.CopySource.parse("b/k?versionId=3HL4kq%2Btl"))
        .isEqualTo(new CopyOperation.CopySource("b", "k", "3HL4kq+tl"));
  }

  @Test
  void refusesAnyOtherParameterOrAnEmptyVersion() {
    assertThatThrownBy(() -> CopyOperation.CopySource.parse("b/k?partNumber=1"))
        .isInstanceOf(S3Exception.class);
    assertThatThrownBy(() -> CopyOperation.CopySource.parse("b/k?versionId="))
        .isInstanceOf(S3Exception.class);
  }
}

package io.github.s3eg.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class KekVersionsTest {

  @Test
  void theHighestVersionIsActiveUnlessOneIsChosen() {
    KekVersions keys = KekVersions.parse(" a:1, c:7 ,b:3", OptionalInt.empty(), 1);
    assertThat(keys.active()).isEqualTo(new KeyReference("c", 7));
    assertThat(keys.all()).extracting(KeyReference::version).containsExactly(1, 3, 7);
    assertThat(KekVersions.parse("a:1,b:3", OptionalInt.of(1), 0).active().id()).isEqualTo("a");
  }

  @Test
  void theWindowCountsConfiguredVersionsBelowTheActiveOne() throws Exception {
    KekVersions keys = KekVersions.parse("a:1,b:3,c:7,d:9", OptionalInt.of(7), 1);
    assertThat(keys.readable(new KeyReference("c", 7)).id()).isEqualTo("c");
    assertThat(keys.readable(new KeyReference("b", 3)).id()).isEqualTo("b");
    assertThat(keys.readable(new KeyReference("d", 9)).id()).as("staged").isEqualTo("d");
    assertThatThrownBy(() -> keys.readable(new KeyReference("a", 1)))
        .isInstanceOf(KeyManagerException.KeyNotFound.class)
        .hasMessage("KEK version 1 is outside the dual-read window (active 7, window 1)");
    assertThatThrownBy(() -> keys.readable(new KeyReference("a", 2)))
        .isInstanceOf(KeyManagerException.KeyNotFound.class)
        .hasMessage("KEK version 2 is not configured");
    assertThatThrownBy(() -> keys.readable(new KeyReference("z", 3)))
        .isInstanceOf(KeyManagerException.KeyNotFound.class)
        .hasMessageContaining("another key id");
    assertThat(keys.owns(new KeyReference("a", 99))).isTrue();
    assertThat(keys.owns(new KeyReference("zz", 1))).isFalse();
  }

  @Test
  void rejectsMalformedLists() {
    assertThatThrownBy(() -> KekVersions.parse("", OptionalInt.empty(), 0))
        .hasMessageContaining("no keys");
    assertThatThrownBy(() -> KekVersions.parse("a", OptionalInt.empty(), 0))
        .hasMessageContaining("'a' is not id:version");
    assertThatThrownBy(() -> KekVersions.parse("a:x", OptionalInt.empty(), 0))
        .hasMessageContaining("non-numeric");
    assertThatThrownBy(() -> KekVersions.parse("a:1,b:1", OptionalInt.empty(), 0))
        .hasMessageContaining("listed twice");
    assertThatThrownBy(() -> KekVersions.parse("a:1,", OptionalInt.empty(), 0))
        .hasMessageContaining("is not id:version");
    assertThatThrownBy(() -> KekVersions.parse("a:1", OptionalInt.of(2), 0))
        .hasMessageContaining("active version 2");
    assertThatThrownBy(() -> KekVersions.parse("a:1", OptionalInt.empty(), -1))
        .hasMessageContaining("window");
  }
}

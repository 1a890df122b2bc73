package io.github.s3eg.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentLayoutTest {

  private static final SegmentLayout SMALL = SegmentLayout.of(64);

  @Test
  void defaultLayoutHas64KiBPlaintextSegmentsAndTinksCiphertextSegmentSize() {
    SegmentLayout layout = SegmentLayout.defaults();
    assertThat(layout.plaintextSegmentSize()).isEqualTo(65_536);
    assertThat(layout.ciphertextSegmentSize()).isEqualTo(65_552);
    assertThat(layout.plaintextCapacityOfSegment(0)).isEqualTo(65_536 - 40);
    assertThat(layout.plaintextCapacityOfSegment(1)).isEqualTo(65_536);
    assertThat(layout.maxPlaintextSize()).isEqualTo((1L << 48) - 40);
  }

  @Test
  void ciphertextSizeMatchesTinkForManySizes() throws Exception {
    for (int p : new int[] {64, 100, 16 * 1024, 65_536, 1024 * 1024}) {
      SegmentLayout layout = SegmentLayout.of(p);
      AesGcmHkdfStreaming tink =
          new AesGcmHkdfStreaming(
              new byte[32], "HmacSha256", 32, layout.ciphertextSegmentSize(), 0);
      for (long size = 0; size < 5L * p; size += 1 + size / 7) {
        assertThat(layout.ciphertextSize(size))
            .as("p=%d size=%d", p, size)
            .isEqualTo(tink.expectedCiphertextSize(size));
      }
      long big = Math.min(5L << 40, layout.maxPlaintextSize());
      assertThat(layout.ciphertextSize(big)).isEqualTo(tink.expectedCiphertextSize(big));
    }
  }

  @Test
  void plaintextSizeInvertsCiphertextSizeAndRejectsEveryImpossibleSize() {
    Map<Long, Long> byCiphertext = new HashMap<>();
    for (long size = 0; size <= 20 * 64; size++) {
      byCiphertext.put(SMALL.ciphertextSize(size), size);
    }
    long limit = SMALL.ciphertextSize(20 * 64);
    int impossible = 0;
    for (long c = 0; c <= limit; c++) {
      Long expected = byCiphertext.get(c);
      if (expected != null) {
        assertThat(SMALL.plaintextSize(c)).isEqualTo(expected);
      } else {
        long ciphertextSize = c;
        assertThatThrownBy(() -> SMALL.plaintextSize(ciphertextSize))
            .isInstanceOf(IllegalArgumentException.class);
        impossible++;
      }
    }
    // Below the header plus one tag, and 1..16 bytes after a full segment, are impossible.
    assertThat(impossible).isEqualTo(56 + 20 * 16);
    assertThatThrownBy(() -> SMALL.plaintextSize(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SMALL.plaintextSize(Long.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void segmentOffsetsAndIndicesAgree() {
    long size = 10 * 64 + 5;
    long count = SMALL.segmentCount(size);
    long plaintextOffset = 0;
    long ciphertextOffset = SegmentLayout.HEADER_LENGTH;
    for (long i = 0; i < count; i++) {
      assertThat(SMALL.plaintextOffsetOfSegment(i)).isEqualTo(plaintextOffset);
      assertThat(SMALL.ciphertextOffsetOfSegment(i)).isEqualTo(ciphertextOffset);
      int length = SMALL.plaintextLengthOfSegment(i, size);
      for (long o = plaintextOffset; o < plaintextOffset + length; o++) {
        assertThat(SMALL.segmentIndexOf(o)).isEqualTo(i);
      }
      assertThat(SMALL.isFinalSegment(i, size)).isEqualTo(i == count - 1);
      plaintextOffset += length;
      ciphertextOffset += SMALL.ciphertextLengthOfSegment(i, size);
    }
    assertThat(plaintextOffset).isEqualTo(size);
    assertThat(ciphertextOffset).isEqualTo(SMALL.ciphertextSize(size));
  }

  @Test
  void segmentCountAtTheBoundaries() {
    assertThat(SMALL.segmentCount(0)).isEqualTo(1);
    assertThat(SMALL.segmentCount(1)).isEqualTo(1);
    assertThat(SMALL.segmentCount(24)).isEqualTo(1);
    assertThat(SMALL.segmentCount(25)).isEqualTo(2);
    assertThat(SMALL.segmentCount(88)).isEqualTo(2);
    assertThat(SMALL.segmentCount(89)).isEqualTo(3);
    assertThat(SMALL.segmentCount(SMALL.maxPlaintextSize())).isEqualTo(SegmentLayout.MAX_SEGMENTS);
    assertThatThrownBy(() -> SMALL.segmentCount(SMALL.maxPlaintextSize() + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rangeCoversWholeSegmentsAndClampsTheEnd() {
    long size = 200; // segments: [0,24) [24,88) [88,152) [152,200)
    CiphertextRange r = SMALL.rangeFor(30, 100, size);
    assertThat(r.firstSegment()).isEqualTo(1);
    assertThat(r.lastSegment()).isEqualTo(2);
    assertThat(r.ciphertextFirst()).isEqualTo(80);
    assertThat(r.ciphertextLast()).isEqualTo(3 * 80 - 1);
    assertThat(r.httpRange()).isEqualTo("bytes=80-239");
    assertThat(r.plaintextLength()).isEqualTo(71);

    CiphertextRange first = SMALL.rangeFor(0, 0, size);
    assertThat(first.ciphertextFirst()).isEqualTo(40);
    assertThat(first.ciphertextLast()).isEqualTo(79);

    CiphertextRange clamped = SMALL.rangeFor(190, Long.MAX_VALUE, size);
    assertThat(clamped.plaintextLast()).isEqualTo(199);
    assertThat(clamped.ciphertextLast()).isEqualTo(SMALL.ciphertextSize(size) - 1);
  }

  @Test
  void suffixRanges() {
    assertThat(SMALL.suffixRange(10, 200).plaintextFirst()).isEqualTo(190);
    assertThat(SMALL.suffixRange(500, 200).plaintextFirst()).isZero();
    assertThat(SMALL.suffixRange(500, 200).plaintextLast()).isEqualTo(199);
    assertThatThrownBy(() -> SMALL.suffixRange(0, 200))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SMALL.suffixRange(5, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unsatisfiableRangesAreRefused() {
    assertThatThrownBy(() -> SMALL.rangeFor(200, 300, 200))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SMALL.rangeFor(5, 4, 200))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SMALL.rangeFor(-1, 4, 200))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SMALL.rangeFor(0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void segmentSizeLimits() {
    assertThat(SegmentLayout.configured(16 * 1024).plaintextSegmentSize()).isEqualTo(16 * 1024);
    assertThat(SegmentLayout.configured(1024 * 1024).plaintextSegmentSize()).isEqualTo(1 << 20);
    assertThatThrownBy(() -> SegmentLayout.configured(16 * 1024 - 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16 KiB");
    assertThatThrownBy(() -> SegmentLayout.configured(1024 * 1024 + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(SegmentLayout.of(64).plaintextSegmentSize()).isEqualTo(64);
    assertThatThrownBy(() -> SegmentLayout.of(63)).isInstanceOf(IllegalArgumentException.class);
  }
}

package io.github.s3eg.s3.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.s3.body.ChecksumAlgorithm;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CrcCombineTest {

  @ParameterizedTest
  @EnumSource(
      value = ChecksumAlgorithm.class,
      names = {"CRC32", "CRC32C", "CRC64NVME"})
  void combiningTheCrcsOfTwoPiecesGivesTheCrcOfTheWhole(ChecksumAlgorithm algorithm) {
    Random random = new Random(42);
    for (int[] sizes : new int[][] {{0, 0}, {1, 0}, {0, 1}, {3, 5}, {1000, 1}, {65536, 70001}}) {
      byte[] a = new byte[sizes[0]];
      byte[] b = new byte[sizes[1]];
      random.nextBytes(a);
      random.nextBytes(b);
      byte[] whole = new byte[a.length + b.length];
      System.arraycopy(a, 0, whole, 0, a.length);
      System.arraycopy(b, 0, whole, a.length, b.length);
      assertThat(CrcCombine.combine(algorithm, crc(algorithm, a), crc(algorithm, b), b.length))
          .as(Arrays.toString(sizes))
          .isEqualTo(crc(algorithm, whole));
    }
  }

  private static byte[] crc(ChecksumAlgorithm algorithm, byte[] data) {
    ChecksumAlgorithm.RunningChecksum c = algorithm.newChecksum();
    c.update(data, 0, data.length);
    return c.finish();
  }
}

package io.github.s3eg.s3.body;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Known answers for CRC-64/NVME. The AWS SDK for Java only computes it through its native CRT
 * library, which is not on this classpath, so the references are values published by AWS's own
 * checksum libraries (aws-checksums, aws-c-s3 tests) and the CRC catalogue's check value.
 */
class Crc64NvmeTest {

  @Test
  void catalogueCheckValue() {
    assertThat(crc("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xae8b14860a799888L);
  }

  @Test
  void awsChecksumsThirtyTwoZeroes() {
    assertThat(crc(new byte[32])).isEqualTo(0xCF3473434D4ECF3BL);
  }

  @Test
  void awsS3TestVectorAsS3EncodesIt() {
    byte[] tenA = "aaaaaaaaaa".getBytes(StandardCharsets.US_ASCII);
    ChecksumAlgorithm.RunningChecksum c = ChecksumAlgorithm.CRC64NVME.newChecksum();
    c.update(tenA, 0, tenA.length);
    byte[] value = c.finish();
    assertThat(HexFormat.of().formatHex(value)).isEqualTo("0c1a80036d65c555");
    assertThat(Base64.getEncoder().encodeToString(value)).isEqualTo("DBqAA21lxVU=");
  }

  @Test
  void emptyInputIsZero() {
    assertThat(crc(new byte[0])).isZero();
  }

  @Test
  void anySplitOfTheInputGivesTheSameValue() {
    Random random = new Random(42);
    byte[] data = new byte[10_000];
    random.nextBytes(data);
    long whole = crc(data);
    for (int round = 0; round < 50; round++) {
      Crc64Nvme c = new Crc64Nvme();
      int off = 0;
      while (off < data.length) {
        int n = Math.min(data.length - off, random.nextInt(20));
        if (n == 1) {
          c.update(data[off]);
        } else {
          c.update(data, off, n);
        }
        off += n;
      }
      assertThat(c.getValue()).isEqualTo(whole);
    }
    Crc64Nvme c = new Crc64Nvme();
    c.update(data, 0, 100);
    c.reset();
    c.update(data, 0, data.length);
    assertThat(c.getValue()).isEqualTo(whole);
  }

  private static long crc(byte[] data) {
    Crc64Nvme c = new Crc64Nvme();
    c.update(data, 0, data.length);
    return c.getValue();
  }
}

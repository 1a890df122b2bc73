package io.github.s3eg.s3.checksum;

import io.github.s3eg.s3.body.ChecksumAlgorithm;
import io.github.s3eg.s3.body.ChecksumAlgorithm.RunningChecksum;
import java.util.List;

/**
 * The checksum of an object completed from parts, as S3 computes it from the parts' checksums:
 * COMPOSITE is the algorithm over the concatenated part checksums (shown with {@code -N}),
 * FULL_OBJECT the CRC of the whole object, combined from the part CRCs and plaintext sizes.
 */
public final class CompletedChecksum {

  /** A part as Complete assembles it: its checksum and plaintext size. */
  public record Part(int number, byte[] checksum, long plaintextSize) {}

  private CompletedChecksum() {}

  public static ObjectChecksum of(UploadChecksum upload, List<Part> parts) {
    ChecksumAlgorithm algorithm = upload.algorithm();
    if (upload.type() == ChecksumType.COMPOSITE) {
      RunningChecksum c = algorithm.newChecksum();
      for (Part p : parts) {
        c.update(p.checksum(), 0, p.checksum().length);
      }
      return new ObjectChecksum(algorithm, ChecksumType.COMPOSITE, c.finish(), parts.size());
    }
    byte[] whole = algorithm.newChecksum().finish(); // the CRC of nothing
    for (Part p : parts) {
      whole = CrcCombine.combine(algorithm, whole, p.checksum(), p.plaintextSize());
    }
    return ObjectChecksum.fullObject(algorithm, whole);
  }
}

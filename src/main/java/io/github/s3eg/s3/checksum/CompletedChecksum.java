package io.github.s3eg.s3.checksum;

import io.github.s3eg.crypto.MultipartChecksumRecord;
import io.github.s3eg.crypto.StreamHeader;
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

  /** The authenticated record to keep beside the object (docs/object-format.md §12.7). */
  public static MultipartChecksumRecord record(
      StreamHeader uploadHeader, ObjectChecksum checksum, List<Part> parts) {
    return new MultipartChecksumRecord(
        uploadHeader,
        checksum.algorithm().name(),
        checksum.type() == ChecksumType.COMPOSITE,
        checksum.value(),
        parts.stream()
            .map(p -> new MultipartChecksumRecord.PartChecksum(p.number(), p.checksum()))
            .toList());
  }

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

package io.github.s3eg.s3.checksum;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import java.util.Base64;
import java.util.Optional;

/** What CompleteMultipartUpload checks about checksums, with S3's errors, before it completes. */
public final class CompleteChecks {

  private CompleteChecks() {}

  /** Complete's {@code x-amz-checksum-type}, if sent, must be the upload's. */
  public static void checkType(S3Request s3, Optional<UploadChecksum> upload) {
    String type = s3.header("x-amz-checksum-type");
    if (type == null || type.isBlank()) {
      return;
    }
    String expected = upload.map(c -> c.type().name()).orElse("null");
    if (!type.trim().equalsIgnoreCase(expected)) {
      throw new S3Exception(
          S3ErrorCode.INVALID_REQUEST,
          "The upload was created using the "
              + expected
              + " checksum mode. The complete request must use the same checksum mode.");
    }
  }

  /**
   * The stored checksum of a part Complete names, checked against the one the client gives for it
   * ({@code sent}: required for a COMPOSITE upload, optional for a FULL_OBJECT one).
   *
   * @param stored the checksum recorded when the part was uploaded, if any
   * @throws S3Exception InvalidPart when there is no recorded checksum or the client's differs;
   *     InvalidRequest when a COMPOSITE upload's part has none in the request
   */
  public static byte[] partChecksum(
      UploadChecksum upload, int partNumber, String sent, Optional<byte[]> stored) {
    if (stored.isEmpty()) {
      throw new S3Exception(
              S3ErrorCode.INVALID_PART, "Part " + partNumber + " has no recorded checksum.")
          .with("PartNumber", Integer.toString(partNumber));
    }
    if (sent == null) {
      if (upload.type() == ChecksumType.COMPOSITE) {
        throw new S3Exception(
            S3ErrorCode.INVALID_REQUEST,
            "The upload was created using a "
                + upload.algorithm().id()
                + " checksum. The complete request must include the checksum for each part. It"
                + " was missing for part "
                + partNumber
                + " in the request.");
      }
      return stored.get();
    }
    if (!sent.trim().equals(Base64.getEncoder().encodeToString(stored.get()))) {
      throw new S3Exception(
              S3ErrorCode.INVALID_PART,
              "One or more of the specified parts could not be found.  The part may not have been"
                  + " uploaded, or the specified entity tag may not match the part's entity tag.")
          .with("PartNumber", Integer.toString(partNumber));
    }
    return stored.get();
  }

  /** The object checksum the client declared on Complete, if any, must be the computed one. */
  public static void checkDeclared(S3Request s3, ObjectChecksum computed) {
    String declared = s3.header(computed.algorithm().headerName());
    if (declared == null) {
      return;
    }
    String value = declared.trim();
    if (!value.equals(computed.base64()) && !value.equals(computed.shown())) {
      throw computed.algorithm().mismatch();
    }
  }
}

package io.github.s3eg.s3.checksum;

import io.github.s3eg.crypto.ChecksumSeal;
import io.github.s3eg.crypto.MultipartChecksumRecord;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.body.ChecksumAlgorithm;
import io.github.s3eg.s3.xml.XmlWriter;
import java.util.Base64;
import java.util.Objects;

/**
 * The checksum S3 shows for an object (or a part): algorithm, type, value and, for a composite
 * multipart checksum, the part count that S3 appends as {@code -N}. Written as the {@code
 * x-amz-checksum-<alg>} and {@code x-amz-checksum-type} headers or as the {@code Checksum<ALG>} and
 * {@code ChecksumType} XML elements.
 *
 * @param parts the part count of a composite checksum; 0 otherwise
 */
public record ObjectChecksum(
    ChecksumAlgorithm algorithm, ChecksumType type, byte[] value, int parts) {

  public ObjectChecksum {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(type, "type");
    value = value.clone();
    if ((type == ChecksumType.COMPOSITE) != (parts > 0)) {
      throw new IllegalArgumentException("a composite checksum, and only it, counts parts");
    }
  }

  /** A checksum of the whole plaintext (single PUT, full-object multipart, a part). */
  public static ObjectChecksum fullObject(ChecksumAlgorithm algorithm, byte[] value) {
    return new ObjectChecksum(algorithm, ChecksumType.FULL_OBJECT, value, 0);
  }

  /** A single-PUT object's checksum from its authenticated metadata entry. */
  public static ObjectChecksum of(ChecksumSeal seal) {
    return fullObject(ChecksumAlgorithm.valueOf(seal.algorithm()), seal.checksum());
  }

  /** A multipart object's checksum from its authenticated checksum record. */
  public static ObjectChecksum of(MultipartChecksumRecord record) {
    ChecksumAlgorithm algorithm = ChecksumAlgorithm.valueOf(record.algorithm());
    return record.composite()
        ? new ObjectChecksum(
            algorithm, ChecksumType.COMPOSITE, record.checksum(), record.parts().size())
        : fullObject(algorithm, record.checksum());
  }

  /** Whether the request asks for checksums ({@code x-amz-checksum-mode: ENABLED}). */
  public static boolean requested(S3Request s3) {
    String mode = s3.header("x-amz-checksum-mode");
    return mode != null && mode.trim().equalsIgnoreCase("ENABLED");
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The base64 value without S3's {@code -N} suffix. */
  public String base64() {
    return Base64.getEncoder().encodeToString(value);
  }

  /** The value as S3 shows it on objects: base64, and {@code -N} for a composite checksum. */
  public String shown() {
    return type == ChecksumType.COMPOSITE ? base64() + "-" + parts : base64();
  }

  /** Adds {@code x-amz-checksum-<alg>} and {@code x-amz-checksum-type}. */
  public S3Response writeTo(S3Response response) {
    return response
        .header(algorithm.headerName(), shown())
        .header("x-amz-checksum-type", type.name());
  }

  /** Adds {@code x-amz-checksum-<alg>} only (UploadPart's answer). */
  public S3Response writeValueTo(S3Response response) {
    return response.header(algorithm.headerName(), base64());
  }

  /** The element name of the value in XML: {@code ChecksumCRC32} etc. */
  public String elementName() {
    return elementName(algorithm);
  }

  /** {@code ChecksumCRC32} etc. */
  public static String elementName(ChecksumAlgorithm algorithm) {
    return "Checksum" + algorithm.name();
  }

  /** Adds the value element and {@code ChecksumType} to the current XML element. */
  public XmlWriter writeXml(XmlWriter xml, String value) {
    return xml.element(elementName(), value).element("ChecksumType", type.name());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectChecksum c
        && c.algorithm == algorithm
        && c.type == type
        && c.parts == parts
        && java.util.Arrays.equals(c.value, value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(algorithm, type, parts, java.util.Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return "ObjectChecksum[" + algorithm + " " + type + " " + shown() + "]";
  }
}

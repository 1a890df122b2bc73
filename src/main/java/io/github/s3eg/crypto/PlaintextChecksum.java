package io.github.s3eg.crypto;

/**
 * Checksums of the plaintext that the encrypting stream can compute on the way through, so that the
 * gateway can answer with S3's ETag and {@code x-amz-checksum-*} values without a second pass. All
 * are returned as raw big-endian bytes (S3 sends them base64-encoded; the ETag is hex MD5).
 */
public enum PlaintextChecksum {
  /** MD5, the ETag of a single-part object. */
  MD5,
  /** CRC-32 (ISO-HDLC), {@code x-amz-checksum-crc32}. */
  CRC32,
  /** CRC-32C (Castagnoli), {@code x-amz-checksum-crc32c}. */
  CRC32C,
  /** SHA-1, {@code x-amz-checksum-sha1}. */
  SHA1,
  /** SHA-256, {@code x-amz-checksum-sha256}. */
  SHA256
}

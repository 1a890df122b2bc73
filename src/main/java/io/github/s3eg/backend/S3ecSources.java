package io.github.s3eg.backend;

import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.s3ec.S3ecInstructionFile;
import io.github.s3eg.crypto.s3ec.S3ecKeys;
import io.github.s3eg.crypto.s3ec.S3ecMetadata;
import io.github.s3eg.crypto.s3ec.S3ecObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Finds out whether a stored object is an AWS S3 Encryption Client object and opens it: from its
 * own metadata, or with its instruction file ({@code key.instruction}), which is fetched only when
 * the object's metadata asks for it or carries no S3EC entry at all (a V2 object written with
 * instruction files has none).
 */
public final class S3ecSources {

  private S3ecSources() {}

  /**
   * The S3EC object {@code bucket}/{@code key} is, opened with {@code keys}; empty when it is not
   * one.
   *
   * @param metadata the object's user metadata (from a HEAD or GET)
   * @throws CryptoException an S3EC object the gateway cannot or must not read
   */
  public static Optional<S3ecObject> open(
      S3Client s3, S3ecKeys keys, String bucket, String key, Map<String, String> metadata)
      throws CryptoException {
    S3ecMetadata.Shape shape = S3ecMetadata.shapeOf(metadata);
    if (shape == S3ecMetadata.Shape.COMPLETE) {
      return Optional.of(keys.open(S3ecMetadata.parse(metadata, Optional.empty())));
    }
    Optional<Map<String, String>> instructions = instructionFile(s3, bucket, key);
    if (instructions.isEmpty()) {
      if (shape == S3ecMetadata.Shape.NEEDS_INSTRUCTION_FILE) {
        throw new CryptoException.MalformedMetadata(
            "the S3 Encryption Client object's instruction file is missing");
      }
      return Optional.empty();
    }
    return Optional.of(keys.open(S3ecMetadata.parse(metadata, instructions)));
  }

  /** The parsed instruction file of {@code key}, if it exists and is marked as one. */
  public static Optional<Map<String, String>> instructionFile(
      S3Client s3, String bucket, String key) throws CryptoException {
    String name = key + S3ecMetadata.INSTRUCTION_SUFFIX;
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(b -> b.bucket(bucket).key(name))) {
      if (!S3ecMetadata.isInstructionFile(in.response().metadata())) {
        in.abort();
        return Optional.empty();
      }
      return Optional.of(
          S3ecInstructionFile.parse(in.readNBytes(S3ecInstructionFile.MAX_BYTES + 1)));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

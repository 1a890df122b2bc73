package io.github.s3eg.crypto.s3ec;

import io.github.s3eg.it.TestBackend;
import java.net.URI;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.encryption.s3.CommitmentPolicy;
import software.amazon.encryption.s3.S3EncryptionClient;
import software.amazon.encryption.s3.algorithms.AlgorithmSuite;
import software.amazon.encryption.s3.internal.InstructionFileConfig;
import software.amazon.encryption.s3.materials.AesKeyring;

/**
 * The AWS S3 Encryption Client for Java (4.x) writing straight to a test backend with a raw AES
 * key: the objects the gateway must read when {@code ENCRYPTION_READ_S3EC=true}.
 */
public final class S3ecWriter {

  /** Which S3EC metadata format the client writes. */
  public enum Format {
    /** Key-committing AES-GCM (4.x default): {@code x-amz-c}, {@code x-amz-3}, … */
    V3,
    /** Plain AES-GCM, as every 3.x client writes: {@code x-amz-key-v2}, {@code x-amz-iv}, … */
    V2
  }

  private S3ecWriter() {}

  /** An S3EC client on {@code backend} encrypting under {@code aesKey} (32 bytes). */
  public static S3EncryptionClient client(
      TestBackend backend, byte[] aesKey, Format format, boolean instructionFile) {
    return client(backend.endpoint(), aesKey, format, instructionFile);
  }

  public static S3EncryptionClient client(
      URI endpoint, byte[] aesKey, Format format, boolean instructionFile) {
    SecretKey key = new SecretKeySpec(aesKey, "AES");
    S3Client sync = directClient(endpoint);
    S3AsyncClient async =
        S3AsyncClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials())
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .build();
    S3EncryptionClient.Builder b =
        S3EncryptionClient.builderV4()
            .wrappedClient(sync)
            .wrappedAsyncClient(async)
            .keyring(AesKeyring.builder().wrappingKey(key).build());
    if (format == Format.V2) {
      b.commitmentPolicy(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
          .encryptionAlgorithm(AlgorithmSuite.ALG_AES_256_GCM_IV12_TAG16_NO_KDF);
    }
    if (instructionFile) {
      b.instructionFileConfig(
          InstructionFileConfig.builder()
              .instructionFileClient(directClient(endpoint))
              .enableInstructionFilePutObject(true)
              .build());
    }
    return b.build();
  }

  private static S3Client directClient(URI endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials())
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(TestBackend.ACCESS_KEY, TestBackend.SECRET_KEY));
  }
}

package io.github.s3eg.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Known-answer vectors of the checksum entries (docs/object-format.md §6.1 and §12.7): {@code
 * s3eg-sum} of single-PUT objects (versions 1 and 2), a part checksum marker name and a multipart
 * checksum record. Inputs are {@code SHA-256("s3eg-kat/checksum/<field>")} cut to size, like the
 * other vectors; {@link #main} writes the file, which is never regenerated once committed.
 */
class ChecksumEntryVectorsTest {

  static final Path FILE = Path.of("src/test/resources/vectors/checksum-entries.txt");
  private static final HexFormat HEX = HexFormat.of();

  /** S3's checksums of the ASCII string "123456789", the common CRC check input. */
  private static final Map<String, String> CHECK_VALUES =
      Map.of(
          "CRC32", "cbf43926",
          "CRC32C", "e3069283",
          "CRC64NVME", "ae8b14860a799888",
          "SHA1", "f7c3bc1d808e04732adf679965ccc34ca7ae3441",
          "SHA256", "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225");

  static Map<String, String> compute() {
    Map<String, String> v = new LinkedHashMap<>();
    byte[] dek = KnownAnswerVectors.fixed("checksum", "dek", 32);
    v.put("dek", HEX.formatHex(dek));
    byte[] macKey = ChecksumSeal.macKey(dek);
    v.put("checksum-mac-key", HEX.formatHex(macKey));
    for (String algorithm : List.of("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256")) {
      byte[] value = HEX.parseHex(CHECK_VALUES.get(algorithm));
      for (int version : new int[] {1, 2}) {
        v.put(
            "v" + version + ".s3eg-sum." + algorithm,
            ChecksumSeal.seal(version, macKey, algorithm, value).encode());
      }
    }
    StreamHeader upload =
        new StreamHeader(
            KnownAnswerVectors.fixed("checksum", "upload-salt", 32),
            KnownAnswerVectors.fixed("checksum", "upload-prefix", 7));
    v.put("upload-header", HEX.formatHex(upload.encode()));
    String backendEtag = "\"0123456789abcdef0123456789abcdef\"";
    PartChecksumMarker marker =
        new PartChecksumMarker(
            1,
            PartChecksumMarker.etagTag(backendEtag),
            "CRC32",
            HEX.parseHex(CHECK_VALUES.get("CRC32")));
    v.put("part-marker.backend-etag", backendEtag);
    v.put("part-marker.name", marker.name(macKey, upload));
    MultipartChecksumRecord record =
        new MultipartChecksumRecord(
            upload,
            "CRC32",
            false,
            HEX.parseHex("cbf43926"),
            List.of(
                new MultipartChecksumRecord.PartChecksum(1, HEX.parseHex("cbf43926")),
                new MultipartChecksumRecord.PartChecksum(3, HEX.parseHex("00000000"))));
    v.put("record.bucket", "kat-bucket");
    v.put("record.key", "vectors/multipart");
    v.put("record", HEX.formatHex(record.seal(macKey, "kat-bucket", "vectors/multipart")));
    return v;
  }

  @Test
  void entriesMatchTheCommittedVectors() throws IOException {
    assertThat(compute()).isEqualTo(committed());
  }

  @Test
  void committedEntriesVerifyAndTamperingIsDetected() throws Exception {
    Map<String, String> v = committed();
    byte[] macKey = HEX.parseHex(v.get("checksum-mac-key"));
    ChecksumSeal seal = ChecksumSeal.parse(v.get("v1.s3eg-sum.SHA256"), 1);
    assertThat(seal.verifies(macKey)).isTrue();
    assertThat(HEX.formatHex(seal.checksum())).isEqualTo(CHECK_VALUES.get("SHA256"));
    // The same entry read as a version 2 object's does not verify (the version is MAC'd).
    assertThat(ChecksumSeal.parse(v.get("v1.s3eg-sum.SHA256"), 2).verifies(macKey)).isFalse();
    String other = v.get("v1.s3eg-sum.CRC32").replace("y/Q5Jg==", "y/Q5Jw==");
    assertThat(ChecksumSeal.parse(other, 1).verifies(macKey)).isFalse();
    assertThatThrownBy(() -> ChecksumSeal.parse("CRC32.AAAA.00", 1))
        .isInstanceOf(CryptoException.MalformedMetadata.class);
    assertThatThrownBy(() -> ChecksumSeal.parse("MD5.AAAAAA==." + "0".repeat(32), 1))
        .isInstanceOf(CryptoException.MalformedMetadata.class);

    StreamHeader upload = StreamHeader.decode(HEX.parseHex(v.get("upload-header")));
    assertThat(PartChecksumMarker.open(v.get("part-marker.name"), macKey, upload)).isPresent();
    assertThat(
            PartChecksumMarker.open(
                v.get("part-marker.name").replaceFirst("^00001", "00002"), macKey, upload))
        .isEmpty();
    byte[] record = HEX.parseHex(v.get("record"));
    MultipartChecksumRecord opened =
        MultipartChecksumRecord.open(record, macKey, upload, "kat-bucket", "vectors/multipart");
    assertThat(opened.parts())
        .extracting(MultipartChecksumRecord.PartChecksum::partNumber)
        .containsExactly(1, 3);
    assertThatThrownBy(
            () ->
                MultipartChecksumRecord.open(record, macKey, upload, "kat-bucket", "vectors/moved"))
        .isInstanceOf(CryptoException.MetadataAuthenticationFailed.class);
    record[50] ^= 1;
    assertThatThrownBy(
            () ->
                MultipartChecksumRecord.open(
                    record, macKey, upload, "kat-bucket", "vectors/multipart"))
        .isInstanceOf(CryptoException.MetadataAuthenticationFailed.class);
  }

  private static Map<String, String> committed() throws IOException {
    Map<String, String> v = new LinkedHashMap<>();
    try (InputStream in =
        ChecksumEntryVectorsTest.class.getResourceAsStream("/vectors/checksum-entries.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          int eq = line.indexOf(" = ");
          v.put(line.substring(0, eq), line.substring(eq + 3));
        }
      }
    }
    return v;
  }

  /** Writes the vector file (run once from the project directory). */
  public static void main(String[] args) throws IOException {
    StringBuilder out =
        new StringBuilder(
            "# s3eg checksum entries: known-answer vectors (docs/object-format.md §6.1, §12.7).\n"
                + "# Generated by ChecksumEntryVectorsTest.main with fixed inputs; never regenerate"
                + " it:\n# stored objects depend on these encodings. Checksums are of \"123456789\".\n");
    compute().forEach((k, val) -> out.append(k).append(" = ").append(val).append('\n'));
    Files.writeString(FILE, out.toString());
  }
}

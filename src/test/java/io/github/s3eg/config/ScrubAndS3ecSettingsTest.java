package io.github.s3eg.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.keys.KeyReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SCRUB_*} (the scrub's pace) and {@code ENCRYPTION_READ_S3EC}/{@code ENCRYPTION_S3EC_KEYS}:
 * the defaults docs/configuration.md states, their config.yaml names, and refused values.
 */
class ScrubAndS3ecSettingsTest {

  private static OpsConfig.Scrub scrub(Map<String, String> env) {
    return OpsConfig.from(new Settings(env, new Properties())).scrub();
  }

  @Test
  void theScrubIsPacedByDefaultAndZeroLiftsALimit() {
    assertThat(scrub(Map.of())).isEqualTo(new OpsConfig.Scrub(100, 100_000_000L));
    assertThat(scrub(Map.of("SCRUB_OBJECTS_PER_SECOND", "0", "SCRUB_MB_PER_SECOND", "0")))
        .isEqualTo(new OpsConfig.Scrub(0, 0));
    assertThat(scrub(Map.of("SCRUB_OBJECTS_PER_SECOND", "5", "SCRUB_MB_PER_SECOND", "20")))
        .isEqualTo(new OpsConfig.Scrub(5, 20_000_000L));
  }

  @Test
  void badScrubRatesNameTheSetting() {
    assertThatThrownBy(() -> scrub(Map.of("SCRUB_OBJECTS_PER_SECOND", "-1")))
        .hasMessageContaining("SCRUB_OBJECTS_PER_SECOND");
    assertThatThrownBy(() -> scrub(Map.of("SCRUB_MB_PER_SECOND", "fast")))
        .hasMessageContaining("SCRUB_MB_PER_SECOND");
  }

  @Test
  void configYamlNamesReachTheSettings(@TempDir Path dir) throws Exception {
    Path yaml =
        Files.writeString(
            dir.resolve("config.yaml"),
            "scrub:\n  objects_per_second: 7\n  mb_per_second: 3\n"
                + "encryption:\n  read_s3ec: true\n  s3ec_keys: \"ring:4\"\n");
    Settings s =
        new Settings(ConfigFile.overlay(Map.of(), ConfigFile.load(yaml)), new Properties());
    assertThat(OpsConfig.from(s).scrub()).isEqualTo(new OpsConfig.Scrub(7, 3_000_000L));
    assertThat(S3ecConfig.from(s))
        .isEqualTo(new S3ecConfig(true, List.of(new KeyReference("ring", 4))));
  }

  @Test
  void s3ecReadsAreOffByDefaultAndNeedTheirKeys() {
    assertThat(S3ecConfig.from(new Settings(Map.of(), new Properties())))
        .isEqualTo(S3ecConfig.off());
    S3ecConfig on =
        S3ecConfig.from(
            new Settings(
                Map.of("ENCRYPTION_READ_S3EC", "true", "ENCRYPTION_S3EC_KEYS", "ring:2, ring:1"),
                new Properties()));
    assertThat(on.read()).isTrue();
    assertThat(on.keys())
        .isEqualTo(List.of(new KeyReference("ring", 2), new KeyReference("ring", 1)));
    assertThatThrownBy(
            () ->
                S3ecConfig.from(
                    new Settings(Map.of("ENCRYPTION_READ_S3EC", "true"), new Properties())))
        .hasMessageContaining("ENCRYPTION_S3EC_KEYS");
    assertThatThrownBy(
            () ->
                S3ecConfig.from(
                    new Settings(Map.of("ENCRYPTION_S3EC_KEYS", "no-version"), new Properties())))
        .hasMessageContaining("ENCRYPTION_S3EC_KEYS");
  }
}

package io.github.s3eg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.config.StartRefusedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway started with an ahead-of-time cache refuses a cache made from another jar (the JVM
 * itself would run that jar's classes from it), and one that does not say which jar it came from.
 */
class AotCacheFingerprintTest {

  @TempDir Path dir;

  @Test
  void aCacheOfThisJarIsAcceptedAndOneOfAnotherJarRefused() throws Exception {
    Path jar = Files.write(dir.resolve("gateway.jar"), new byte[] {1, 2, 3});
    Path cache = Files.write(dir.resolve("gateway.aot"), new byte[] {9});
    AotCacheFingerprint.record(jar, cache);
    assertThat(dir.resolve("gateway.aot.jar-sha256")).exists();
    assertThatNoException().isThrownBy(() -> AotCacheFingerprint.check(jar, cache));

    Files.write(jar, new byte[] {1, 2, 4}); // an upgrade at the same path
    assertThatThrownBy(() -> AotCacheFingerprint.check(jar, cache))
        .isInstanceOf(StartRefusedException.class)
        .hasMessageContaining("was made from another jar")
        .hasMessageContaining("scripts/aot-cache.sh");
  }

  @Test
  void aCacheWithoutItsFingerprintIsRefusedAndAMissingCacheIsTheJvmsConcern() throws Exception {
    Path jar = Files.write(dir.resolve("gateway.jar"), new byte[] {1});
    Path cache = Files.write(dir.resolve("made-by-hand.aot"), new byte[] {9});
    assertThatThrownBy(() -> AotCacheFingerprint.check(jar, cache))
        .isInstanceOf(StartRefusedException.class)
        .hasMessageContaining("does not say which jar");
    assertThatNoException()
        .isThrownBy(() -> AotCacheFingerprint.check(jar, dir.resolve("absent.aot")));
  }

  @Test
  void theCacheIsTheLastOptionThatNamesOne() {
    List<String> args =
        List.of(
            "-Xmx256m",
            "-XX:AOTCache=/a.aot",
            "-XX:AOTCacheOutput=/out.aot",
            "-XX:AOTCache=/b.aot");
    assertThat(AotCacheFingerprint.cacheNamedBy(args, "-XX:AOTCache=")).contains(Path.of("/b.aot"));
    assertThat(AotCacheFingerprint.cacheNamedBy(args, "-XX:AOTCacheOutput="))
        .contains(Path.of("/out.aot"));
    assertThat(AotCacheFingerprint.cacheNamedBy(List.of("-XX:AOTCache="), "-XX:AOTCache="))
        .isEmpty();
  }

  @Test
  void theJarIsFoundWhenTheJvmGivesItsClassesNoCodeLocation() throws Exception {
    // A class from an AOT cache trained on the jar by another path: no location (Temurin 25.0.3).
    assertThat(AotCacheFingerprint.jarOf(null, "/app/gateway.jar"))
        .contains(Path.of("/app/gateway.jar"));
    assertThat(AotCacheFingerprint.jarOf(null, "target/classes" + java.io.File.pathSeparator + "x"))
        .isEmpty();
    assertThat(AotCacheFingerprint.jarOf(null, null)).isEmpty();
    assertThat(
            AotCacheFingerprint.jarOf(
                Path.of("/opt/g/gateway.jar").toUri().toURL(), "/elsewhere/other.jar"))
        .contains(Path.of("/opt/g/gateway.jar"));
  }
}

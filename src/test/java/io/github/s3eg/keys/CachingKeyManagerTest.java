package io.github.s3eg.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DEK cache in front of a real (keyring) key manager. */
class CachingKeyManagerTest {

  private static final byte[] AAD = "b/k".getBytes(StandardCharsets.UTF_8);
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;
  private KeyringKeyManager keyring;
  private final AtomicLong nanos = new AtomicLong();
  private final Ticker ticker = nanos::get;

  @BeforeEach
  void createKeyring() throws Exception {
    byte[] kek = new byte[32];
    RANDOM.nextBytes(kek);
    Path file = dir.resolve("keyring.json");
    Files.writeString(
        file,
        "{\"keys\": [{\"version\": 1, \"key\": \""
            + Base64.getEncoder().encodeToString(kek)
            + "\"}]}");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    keyring = new KeyringKeyManager(file, 0, Duration.ZERO);
  }

  @AfterEach
  void close() {
    keyring.close();
  }

  private static byte[] dek() {
    byte[] dek = new byte[32];
    RANDOM.nextBytes(dek);
    return dek;
  }

  @Test
  void servesRepeatedUnwrapsFromMemoryAsCopies() throws Exception {
    CachingKeyManager cache = new CachingKeyManager(keyring, Duration.ofMinutes(5), 10, ticker);
    byte[] dek = dek();
    WrappedKey wrapped = cache.wrap(dek, AAD);

    byte[] first = cache.unwrap(wrapped, AAD);
    first[0] ^= 1;
    for (int i = 0; i < 9; i++) {
      assertThat(cache.unwrap(wrapped, AAD)).isEqualTo(dek);
    }
    assertThat(cache.stats()).isEqualTo(new CachingKeyManager.Stats(9, 1, 1));
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void keysEntriesByAssociatedDataAndNeverCachesFailures() throws Exception {
    CachingKeyManager cache = new CachingKeyManager(keyring, Duration.ofMinutes(5), 10, ticker);
    WrappedKey wrapped = cache.wrap(dek(), AAD);
    cache.unwrap(wrapped, AAD);

    byte[] otherAad = "b/other".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> cache.unwrap(wrapped, otherAad))
          .isInstanceOf(KeyManagerException.UnwrapFailed.class);
    }
    assertThat(cache.stats().delegateCalls()).isEqualTo(3);
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void expiresAfterTheTtlAndStaysBounded() throws Exception {
    CachingKeyManager cache = new CachingKeyManager(keyring, Duration.ofSeconds(30), 3, ticker);
    WrappedKey wrapped = cache.wrap(dek(), AAD);
    cache.unwrap(wrapped, AAD);
    nanos.addAndGet(Duration.ofSeconds(29).toNanos());
    cache.unwrap(wrapped, AAD);
    assertThat(cache.stats().delegateCalls()).isEqualTo(1);
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    cache.unwrap(wrapped, AAD);
    assertThat(cache.stats().delegateCalls()).isEqualTo(2);

    for (int i = 0; i < 10; i++) {
      cache.unwrap(cache.wrap(dek(), AAD), AAD);
    }
    assertThat(cache.size()).isLessThanOrEqualTo(3);
    cache.invalidateAll();
    assertThat(cache.size()).isZero();
  }

  @Test
  void concurrentUnwrapsOfOneKeyShareOneCall() throws Exception {
    CachingKeyManager cache = new CachingKeyManager(keyring, Duration.ofMinutes(5), 10, ticker);
    byte[] dek = dek();
    WrappedKey wrapped = cache.wrap(dek, AAD);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<byte[]>> results = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return cache.unwrap(wrapped, AAD);
                }));
      }
      start.countDown();
      for (Future<byte[]> result : results) {
        assertThat(result.get()).isEqualTo(dek);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(cache.stats().delegateCalls()).isEqualTo(1);
    assertThat(cache.stats().hits() + cache.stats().misses()).isEqualTo(32);
  }

  @Test
  void passesThroughIdentityAndOwnership() {
    CachingKeyManager cache = new CachingKeyManager(keyring, Duration.ofMinutes(1), 10);
    assertThat(cache.provider()).isEqualTo("keyring");
    assertThat(cache.activeKey()).isEqualTo(new KeyReference("keyring", 1));
    assertThat(cache.owns(new KeyReference("keyring", 3))).isTrue();
    assertThat(cache.owns(new KeyReference("kms", 1))).isFalse();
    assertThat(cache.health().healthy()).isTrue();
    assertThatThrownBy(() -> new CachingKeyManager(keyring, Duration.ZERO, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package io.github.s3eg.keys;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps recently unwrapped data keys in memory so that repeated reads of an object (range GETs,
 * retries, hot objects) cost one call to the key service instead of one each. Concurrent unwraps of
 * the same wrapped key share a single call.
 *
 * <p><b>Security trade-off.</b> Every cached DEK sits in the gateway's heap in plaintext for up to
 * the TTL (default five minutes), where a heap dump, a core file or a memory-disclosure bug could
 * expose it; without the cache it would live only for the duration of one request. The cache is
 * bounded (entries and time), entries are keyed by a SHA-256 digest of the KEK reference, the
 * wrapped bytes and the associated data (so a wrong AAD never hits another object's entry, and the
 * key is not stored), callers get copies, and evicted or expired DEKs are zeroed. Revoking a KEK at
 * the key service takes effect for cached DEKs only after the TTL; set a short TTL (or disable the
 * cache) where that matters more than latency and key-service load. Wraps are never cached.
 */
public final class CachingKeyManager implements KeyManager, KeyOwnership {

  public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
  public static final long DEFAULT_MAX_ENTRIES = 10_000;

  private final KeyManager delegate;
  private final Cache<CacheKey, Secret> cache;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder delegateCalls = new LongAdder();

  public CachingKeyManager(KeyManager delegate, Duration ttl, long maxEntries) {
    this(delegate, ttl, maxEntries, Ticker.systemTicker());
  }

  /** With an explicit clock, so that tests can expire entries without sleeping. */
  CachingKeyManager(KeyManager delegate, Duration ttl, long maxEntries, Ticker ticker) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("cache TTL must be positive");
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("cache size must be >= 1");
    }
    this.cache =
        Caffeine.newBuilder()
            .expireAfterWrite(ttl)
            .maximumSize(maxEntries)
            .ticker(ticker)
            .executor(Runnable::run)
            .removalListener((CacheKey key, Secret secret, RemovalCause cause) -> secret.destroy())
            .build();
  }

  /** Counters since start: cache hits, misses, and unwraps forwarded to the key service. */
  public record Stats(long hits, long misses, long delegateCalls) {}

  public Stats stats() {
    return new Stats(hits.sum(), misses.sum(), delegateCalls.sum());
  }

  /** Number of cached DEKs right now. */
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /** Drops (and zeroes) every cached DEK, e.g. after a KEK was revoked. */
  public void invalidateAll() {
    cache.invalidateAll();
  }

  @Override
  public String provider() {
    return delegate.provider();
  }

  @Override
  public KeyReference activeKey() {
    return delegate.activeKey();
  }

  @Override
  public boolean owns(KeyReference kek) {
    return FallbackKeyManager.owns(delegate, kek);
  }

  @Override
  public WrappedKey wrap(byte[] dek, byte[] associatedData) throws KeyManagerException {
    return delegate.wrap(dek, associatedData);
  }

  @Override
  public byte[] unwrap(WrappedKey wrapped, byte[] associatedData) throws KeyManagerException {
    CacheKey key = CacheKey.of(wrapped, associatedData);
    for (int attempt = 0; attempt < 3; attempt++) {
      boolean[] loaded = {false};
      Secret secret;
      try {
        secret =
            cache.get(
                key,
                k -> {
                  loaded[0] = true;
                  delegateCalls.increment();
                  try {
                    return new Secret(delegate.unwrap(wrapped, associatedData));
                  } catch (KeyManagerException e) {
                    throw new CompletionException(e);
                  }
                });
      } catch (CompletionException e) {
        if (e.getCause() instanceof KeyManagerException failure) {
          throw failure;
        }
        throw e;
      }
      byte[] copy = secret.copy();
      if (copy != null) {
        (loaded[0] ? misses : hits).increment();
        return copy;
      }
      // Evicted and zeroed between lookup and copy: drop the stale holder and look again.
      cache.asMap().remove(key, secret);
    }
    throw new KeyManagerException.Unavailable("DEK cache kept evicting the entry", null);
  }

  @Override
  public Health health() {
    return delegate.health();
  }

  @Override
  public void close() {
    cache.invalidateAll();
    delegate.close();
  }

  /** A cached DEK; copied out under its lock so that zeroing on eviction cannot race a reader. */
  private static final class Secret {
    private byte[] bytes;

    Secret(byte[] bytes) {
      this.bytes = bytes;
    }

    synchronized byte[] copy() {
      return bytes == null ? null : bytes.clone();
    }

    synchronized void destroy() {
      if (bytes != null) {
        Arrays.fill(bytes, (byte) 0);
        bytes = null;
      }
    }
  }

  /** SHA-256 of (KEK reference, wrapped bytes, associated data), each length-prefixed. */
  private record CacheKey(byte[] digest) {
    static CacheKey of(WrappedKey wrapped, byte[] associatedData) {
      try {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        update(sha256, wrapped.kek().encode().getBytes(StandardCharsets.UTF_8));
        update(sha256, wrapped.ciphertext());
        update(sha256, associatedData);
        return new CacheKey(sha256.digest());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing from the JDK", e);
      }
    }

    private static void update(MessageDigest digest, byte[] part) {
      digest.update(ByteBuffer.allocate(4).putInt(part.length).array());
      digest.update(part);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CacheKey other && MessageDigest.isEqual(digest, other.digest);
    }

    @Override
    public int hashCode() {
      return ByteBuffer.wrap(digest).getInt();
    }
  }
}

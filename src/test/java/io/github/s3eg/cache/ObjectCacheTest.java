package io.github.s3eg.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.s3eg.config.OpsConfig;
import io.github.s3eg.s3.ObjectHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The cache's rules without a gateway around it: bounds, expiry on a ticker the test moves, the
 * generation check that keeps a read racing a write from caching the old object (interleavings
 * played out step by step), and captures that only yield a complete, ended body.
 */
class ObjectCacheTest {

  private final AtomicLong nanos = new AtomicLong();
  private final Ticker ticker = nanos::get;
  private final MeterRegistry registry = new SimpleMeterRegistry();

  private ObjectCache cache(long maxSize, long maxItems, Duration ttl, long maxObjectSize) {
    return ObjectCache.create(
        new OpsConfig.Cache(true, maxSize, maxItems, ttl, maxObjectSize), ticker, registry);
  }

  private ObjectCache cache() {
    return cache(64 << 20, 10_000, Duration.ofSeconds(60), 1 << 20);
  }

  private static CachedObject object(int size) {
    byte[] data = new byte[size];
    Arrays.fill(data, (byte) 'x');
    return new CachedObject(
        data,
        new ObjectHeaders("text/plain", null, null, null, null, null, null, null, Map.of()),
        "\"etag\"",
        Instant.parse("2026-01-01T00:00:00Z"),
        "kek:1");
  }

  private static boolean put(ObjectCache cache, String key, CachedObject object) {
    return cache.commit(cache.ticket("b", key), object);
  }

  // ---- invalidation against fills in flight

  @Test
  void aFillThatBeganBeforeAWriteIsRefused() {
    ObjectCache cache = cache();
    ObjectCache.Ticket readBegins = cache.ticket("b", "k");
    cache.invalidate("b", "k"); // the write's first invalidation
    cache.invalidate("b", "k"); // ... and its second, after the backend write
    assertThat(cache.commit(readBegins, object(10))).isFalse();
    assertThat(cache.get("b", "k")).isEmpty();
  }

  @Test
  void aFillCommittedDuringTheWriteIsRemovedByTheSecondInvalidation() {
    ObjectCache cache = cache();
    cache.invalidate("b", "k"); // write begins
    ObjectCache.Ticket readBegins = cache.ticket("b", "k"); // read of the old object begins
    assertThat(cache.commit(readBegins, object(10))).isTrue(); // and ends before the write
    assertThat(cache.get("b", "k")).isPresent();
    cache.invalidate("b", "k"); // the backend write returned
    assertThat(cache.get("b", "k")).isEmpty();
    assertThat(cache.commit(readBegins, object(10))).as("a late second commit").isFalse();
  }

  @Test
  void aFillThatBeganAfterTheWriteIsKept() {
    ObjectCache cache = cache();
    cache.invalidate("b", "k");
    cache.invalidate("b", "k");
    assertThat(put(cache, "k", object(10))).isTrue();
    assertThat(cache.get("b", "k")).get().extracting(CachedObject::size).isEqualTo(10L);
  }

  @Test
  void invalidationIsPerObject() {
    ObjectCache cache = cache();
    put(cache, "a", object(1));
    put(cache, "b", object(1));
    cache.invalidate("b", "a");
    assertThat(cache.get("b", "a")).isEmpty();
    assertThat(cache.get("b", "b")).isPresent();
    cache.invalidate("other-bucket", "b");
    assertThat(cache.get("b", "b")).isPresent();
  }

  // ---- bounds

  @Test
  void manySmallObjectsAreBoundedByTheItemCount() {
    ObjectCache cache = cache(1_000_000, 5, Duration.ofMinutes(1), 1 << 20);
    for (int i = 0; i < 50; i++) {
      put(cache, "k" + i, object(100));
    }
    assertThat(cache.size()).isEqualTo(5);
    // 1 MiB is not a multiple of 5: the minimum weight is rounded up, and one item fewer fits.
    ObjectCache uneven = cache(1 << 20, 5, Duration.ofMinutes(1), 1 << 20);
    for (int i = 0; i < 50; i++) {
      put(uneven, "k" + i, object(100));
    }
    assertThat(uneven.size()).isEqualTo(4);
  }

  @Test
  void largeObjectsAreBoundedByTheBytes() {
    ObjectCache cache = cache(100_000, 1000, Duration.ofMinutes(1), 100_000);
    for (int i = 0; i < 20; i++) {
      put(cache, "k" + i, object(30_000));
    }
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.totalWeight()).isLessThanOrEqualTo(100_000);
  }

  @Test
  void aSmallObjectCountsAsMaxSizeOverMaxItems() {
    // 100,000 bytes for 10 items: every entry weighs at least 10,000 bytes.
    ObjectCache cache = cache(100_000, 10, Duration.ofMinutes(1), 100_000);
    CachedObject big = object(30_000);
    CachedObject small = object(10);
    assertThat(small.weight()).isLessThan(10_000);
    for (int i = 0; i < 2; i++) {
      put(cache, "big" + i, big);
    }
    for (int i = 0; i < 20; i++) {
      put(cache, "small" + i, small);
    }
    long bigs = 0;
    long smalls = 0;
    for (int i = 0; i < 20; i++) {
      bigs += i < 2 && cache.get("b", "big" + i).isPresent() ? 1 : 0;
      smalls += cache.get("b", "small" + i).isPresent() ? 1 : 0;
    }
    assertThat(bigs * big.weight() + smalls * 10_000L).isLessThanOrEqualTo(100_000);
    assertThat(cache.size()).isEqualTo(bigs + smalls).isLessThanOrEqualTo(10);
    assertThat(cache.totalWeight()).isLessThanOrEqualTo(100_000);
  }

  @Test
  void withAHugeFloorTheItemCountAloneBounds() {
    ObjectCache cache = cache(1L << 40, 3, Duration.ofMinutes(1), 1 << 20);
    for (int i = 0; i < 10; i++) {
      put(cache, "k" + i, object(1 << 20));
    }
    assertThat(cache.size()).isEqualTo(3);
  }

  // ---- expiry

  @Test
  void entriesExpireTheTtlAfterTheirFill() {
    ObjectCache cache = cache(1 << 20, 100, Duration.ofSeconds(60), 1 << 20);
    put(cache, "k", object(10));
    nanos.addAndGet(Duration.ofSeconds(59).toNanos());
    assertThat(cache.get("b", "k")).as("read does not extend it").isPresent();
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(cache.get("b", "k")).isEmpty();
  }

  // ---- captures

  @Test
  void aCaptureYieldsTheBodyOnlyWhenReadToItsEnd() throws IOException {
    ObjectCache cache = cache();
    byte[] data = "hello, cache".getBytes();
    Capture capture = cache.capture(new ByteArrayInputStream(data), data.length).orElseThrow();
    assertThat(capture.readNBytes(data.length)).isEqualTo(data);
    assertThat(capture.finish()).get().isEqualTo(data);
    assertThat(capture.finish()).as("only once").isEmpty();
  }

  @Test
  void aReaderThatStoppedEarlyLeavesNothing() throws IOException {
    ObjectCache cache = cache();
    byte[] data = new byte[1000];
    Capture capture = cache.capture(new ByteArrayInputStream(data), data.length).orElseThrow();
    capture.readNBytes(999);
    assertThat(capture.finish()).isEmpty();
  }

  @Test
  void aSourceThatFailsLeavesNothing() throws IOException {
    ObjectCache cache = cache();
    InputStream failing =
        new InputStream() {
          int left = 10;

          @Override
          public int read() throws IOException {
            if (left-- > 0) {
              return 'x';
            }
            throw new IOException("segment 1 failed authentication");
          }
        };
    Capture capture = cache.capture(failing, 20).orElseThrow();
    assertThatThrownBy(() -> capture.readNBytes(20)).isInstanceOf(IOException.class);
    assertThat(capture.finish()).isEmpty();
  }

  @Test
  void aSourceThatFailsAtItsEndLeavesNothing() throws IOException {
    // The decrypting stream authenticates its last segment before it reports the end.
    ObjectCache cache = cache();
    byte[] data = new byte[100];
    InputStream failsAtEnd =
        new ByteArrayInputStream(data) {
          @Override
          public synchronized int read() {
            throw new IllegalStateException("final segment failed authentication");
          }
        };
    Capture capture = cache.capture(failsAtEnd, data.length).orElseThrow();
    capture.readNBytes(data.length);
    assertThat(capture.finish()).isEmpty();
  }

  @Test
  void aSourceLongerThanTheObjectLeavesNothing() throws IOException {
    ObjectCache cache = cache();
    Capture capture = cache.capture(new ByteArrayInputStream(new byte[101]), 100).orElseThrow();
    capture.readNBytes(100);
    assertThat(capture.finish()).isEmpty();
  }

  @Test
  void objectsOverTheItemCapAreNotCaptured() {
    ObjectCache cache = cache(64 << 20, 100, Duration.ofMinutes(1), 1000);
    assertThat(cache.capture(InputStream.nullInputStream(), 1001)).isEmpty();
    assertThat(cache.capture(InputStream.nullInputStream(), 1000)).isPresent();
  }

  @Test
  void capturesInProgressShareABudgetOfMaxSize() {
    ObjectCache cache = cache(10_000, 100, Duration.ofMinutes(1), 10_000);
    Optional<Capture> first = cache.capture(new ByteArrayInputStream(new byte[6000]), 6000);
    assertThat(first).isPresent();
    assertThat(cache.capture(new ByteArrayInputStream(new byte[6000]), 6000)).isEmpty();
    assertThat(cache.reservedBytes()).isEqualTo(6000);
    first.get().finish();
    assertThat(cache.reservedBytes()).isZero();
    assertThat(cache.capture(new ByteArrayInputStream(new byte[6000]), 6000)).isPresent();
  }

  // ---- metrics and the disabled cache

  @Test
  void hitsMissesAndFillsAreMetered() {
    ObjectCache cache = cache();
    cache.get("b", "k");
    put(cache, "k", object(10));
    cache.get("b", "k");
    cache.get("b", "k");
    ObjectCache.Ticket stale = cache.ticket("b", "k");
    cache.invalidate("b", "k");
    cache.commit(stale, object(10));
    assertThat(
            registry.get("cache.gets").tags("cache", "objects", "result", "hit").counter().count())
        .isEqualTo(2);
    assertThat(
            registry.get("cache.gets").tags("cache", "objects", "result", "miss").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("cache.fills").tags("outcome", "stored").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("cache.fills").tags("outcome", "refused").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("cache.size").tags("cache", "objects").gauge().value()).isZero();
  }

  @Test
  void aDisabledCacheHoldsNothing() {
    ObjectCache cache =
        ObjectCache.create(
            new OpsConfig.Cache(false, 1 << 20, 100, Duration.ofMinutes(1), 1 << 20),
            ticker,
            registry);
    assertThat(cache.enabled()).isFalse();
    assertThat(cache.commit(cache.ticket("b", "k"), object(10))).isFalse();
    assertThat(cache.get("b", "k")).isEmpty();
    assertThat(cache.capture(new ByteArrayInputStream(new byte[1]), 1)).isEmpty();
    cache.invalidate("b", "k");
    assertThat(registry.getMeters()).isEmpty();
  }
}

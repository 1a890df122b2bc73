package io.github.s3eg.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.s3eg.config.OpsConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineStatsCounter;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decrypted, authenticated small objects kept in memory ({@code CACHE_ENABLED}, off by default), so
 * that repeated GETs and HEADs of a hot object cost neither a backend request nor a decryption.
 * Keyed by bucket and key; each entry is a {@link CachedObject}.
 *
 * <p><b>Bounds.</b> Only objects of at most {@code CACHE_MAX_OBJECT_SIZE} plaintext bytes (and
 * never more than {@code CACHE_MAX_SIZE}) are kept. Caffeine can bound a cache by weight or by
 * count, not both, so both limits are folded into one weight: an entry weighs its bytes ({@link
 * CachedObject#weight()}), but at least {@code CACHE_MAX_SIZE / CACHE_MAX_ITEMS} (rounded up), and
 * the total weight is bounded by {@code CACHE_MAX_SIZE}. The entries' bytes then never exceed
 * {@code CACHE_MAX_SIZE}, and their number never exceeds {@code CACHE_MAX_ITEMS} (the rounding lets
 * a few fewer fit when {@code CACHE_MAX_SIZE} is not a multiple of it); small objects are limited
 * by the count, large ones by the bytes, and a mix by both (possibly holding fewer bytes than
 * {@code CACHE_MAX_SIZE} and fewer items than {@code CACHE_MAX_ITEMS}). Fills in progress hold
 * buffers of at most {@code CACHE_MAX_SIZE} bytes in total besides; a fill beyond that budget is
 * skipped, so the cache costs at most twice {@code CACHE_MAX_SIZE} of heap.
 *
 * <p><b>Freshness.</b> Every write through this gateway calls {@link #invalidate} before the
 * backend write and again after it, whether it succeeded or not. A fill is tied to the generation
 * of its key when the read began ({@link #ticket}), before the backend request; every {@link
 * #invalidate} moves the generation on, and {@link #commit} stores only if it has not moved, under
 * the same per-key lock as the removal. So a read that raced a write cannot leave the old object
 * cached once the write has returned: either its commit came first and the second invalidation
 * removes it, or the generation had moved and the commit is refused. Generations live in {@value
 * #STRIPES} stripes shared by hash, so memory stays fixed; a write to another key of the same
 * stripe only costs a fill. Writes by other replicas or directly at the backend are not seen:
 * entries expire {@code CACHE_DEFAULT_TTL} after they were filled.
 *
 * <p><b>Security.</b> Plaintext sits in the heap for up to the TTL, where a heap dump, a core file,
 * swap or a memory-disclosure bug could expose it; evicted entries are not zeroed (their arrays may
 * still be read by a response in progress, and the garbage collector copies arrays anyway).
 * Authentication and authorization run before the cache is consulted, on every request.
 */
public final class ObjectCache {

  private static final Logger LOG = LoggerFactory.getLogger(ObjectCache.class);

  /** Number of generation counters; a power of two. */
  static final int STRIPES = 4096;

  /** A read's claim to fill the cache for one key: the key's generation before the read began. */
  public record Ticket(String bucket, String key, long generation) {}

  private record Key(String bucket, String key) {}

  private final Cache<Key, CachedObject> cache;
  private final long maxObjectSize;
  private final long fillBudget;
  private final AtomicLong reserved = new AtomicLong();
  private final AtomicLongArray generations = new AtomicLongArray(STRIPES);
  private final Counter fillsStored;
  private final Counter fillsRefused;

  private ObjectCache(
      Cache<Key, CachedObject> cache,
      long maxObjectSize,
      long fillBudget,
      Counter fillsStored,
      Counter fillsRefused) {
    this.cache = cache;
    this.maxObjectSize = maxObjectSize;
    this.fillBudget = fillBudget;
    this.fillsStored = fillsStored;
    this.fillsRefused = fillsRefused;
  }

  /** A cache that holds nothing: every lookup misses, every fill and invalidation is a no-op. */
  public static ObjectCache disabled() {
    return new ObjectCache(null, 0, 0, null, null);
  }

  /**
   * The cache {@code config} describes (disabled when {@code CACHE_ENABLED=false}), expiring
   * entries by {@code ticker}, with its metrics in {@code registry} under {@code cache="objects"}.
   */
  public static ObjectCache create(OpsConfig.Cache config, Ticker ticker, MeterRegistry registry) {
    if (!config.enabled()) {
      return disabled();
    }
    long floor = Math.ceilDiv(config.maxSize(), config.maxItems());
    Caffeine<Object, Object> builder =
        Caffeine.newBuilder()
            .expireAfterWrite(config.ttl())
            .ticker(ticker)
            // Evictions run on the writing thread: no background thread touches the entries.
            .executor(Runnable::run)
            .recordStats(() -> new CaffeineStatsCounter(registry, "objects"));
    if (floor > Integer.MAX_VALUE) {
      // Every entry (at most 64 MiB plus headers) weighs less than the floor, so each would weigh
      // exactly the floor: the same rule is then the item bound alone.
      builder.maximumSize(config.maxItems());
    } else {
      int minWeight = (int) floor;
      builder
          .maximumWeight(config.maxSize())
          .weigher((Key k, CachedObject v) -> Math.max(v.weight(), minWeight));
    }
    Cache<Key, CachedObject> cache = builder.build();
    new CaffeineStatsCounter(registry, "objects").registerSizeMetric(cache);
    ObjectCache objectCache =
        new ObjectCache(
            cache,
            Math.min(config.maxObjectSize(), config.maxSize()),
            config.maxSize(),
            fills(registry, "stored"),
            fills(registry, "refused"));
    LOG.info(
        "Object cache on: decrypted objects of up to {} bytes, at most {} bytes and {} objects,"
            + " each for {} (plaintext in memory; see docs/operations.md)",
        objectCache.maxObjectSize,
        config.maxSize(),
        config.maxItems(),
        config.ttl());
    return objectCache;
  }

  private static Counter fills(MeterRegistry registry, String outcome) {
    return Counter.builder("cache.fills")
        .description("Complete objects offered to the cache after a read, by outcome")
        .tags("cache", "objects", "outcome", outcome)
        .register(registry);
  }

  /**
   * Expiry by the gateway's clock: the system's monotonic ticker for the system clock (a wall-clock
   * step must not stretch or cut the TTL), else the given clock (tests move it).
   */
  public static Ticker ticker(Clock clock) {
    if (clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone())) {
      return Ticker.systemTicker();
    }
    return () -> {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
  }

  public boolean enabled() {
    return cache != null;
  }

  /** Largest plaintext, in bytes, that a fill captures. */
  public long maxObjectSize() {
    return maxObjectSize;
  }

  /** The cached object, if any (counted as a hit or a miss). */
  public Optional<CachedObject> get(String bucket, String key) {
    return enabled()
        ? Optional.ofNullable(cache.getIfPresent(new Key(bucket, key)))
        : Optional.empty();
  }

  /** Taken before the backend read that may fill the cache; see the class comment. */
  public Ticket ticket(String bucket, String key) {
    return new Ticket(bucket, key, generations.get(stripe(new Key(bucket, key))));
  }

  /**
   * A copy of {@code plaintext} as it streams to the client, when the object is small enough and
   * the budget for fills in progress has room; empty otherwise (the response streams as it is).
   */
  public Optional<Capture> capture(InputStream plaintext, long length) {
    if (!enabled() || length < 0 || length > maxObjectSize) {
      return Optional.empty();
    }
    long before;
    do {
      before = reserved.get();
      if (before + length > fillBudget) {
        return Optional.empty();
      }
    } while (!reserved.compareAndSet(before, before + length));
    return Optional.of(new Capture(plaintext, (int) length, () -> reserved.addAndGet(-length)));
  }

  /**
   * Stores {@code object} unless the key was written through the gateway since {@code ticket} was
   * taken. Returns whether it was stored.
   */
  public boolean commit(Ticket ticket, CachedObject object) {
    if (!enabled()) {
      return false;
    }
    Objects.requireNonNull(object, "object");
    Key key = new Key(ticket.bucket(), ticket.key());
    int stripe = stripe(key);
    boolean[] stored = {false};
    // compute() holds the key's lock: an invalidate() either moved the generation before this
    // check, or removes the entry after it.
    cache
        .asMap()
        .compute(
            key,
            (k, current) -> {
              if (generations.get(stripe) != ticket.generation()) {
                return current;
              }
              stored[0] = true;
              return object;
            });
    (stored[0] ? fillsStored : fillsRefused).increment();
    return stored[0];
  }

  /**
   * Drops the cached copy of an object and refuses fills that began before this call. Writers call
   * it before their backend write and again after it (also when it failed); see the class comment.
   */
  public void invalidate(String bucket, String key) {
    if (!enabled()) {
      return;
    }
    Key k = new Key(bucket, key);
    // First the generation, then the removal: the order commit() relies on.
    generations.incrementAndGet(stripe(k));
    cache.invalidate(k);
  }

  /** Entries now (after pending evictions ran). */
  long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /** Sum of the entries' weights now: what {@code CACHE_MAX_SIZE} bounds. */
  long totalWeight() {
    cache.cleanUp();
    return cache.asMap().values().stream().mapToLong(CachedObject::weight).sum();
  }

  /** Bytes reserved by fills in progress. */
  long reservedBytes() {
    return reserved.get();
  }

  private static int stripe(Key key) {
    return (key.hashCode() * 0x9E3779B9)
        >>> (Integer.SIZE - Integer.numberOfTrailingZeros(STRIPES));
  }
}

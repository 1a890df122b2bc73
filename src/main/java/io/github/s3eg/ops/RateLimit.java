package io.github.s3eg.ops;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.s3eg.config.OpsConfig;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.util.concurrent.TimeUnit;

/**
 * The limit behind the route step {@code rateLimit}: at most {@code RATE_LIMIT_REQUESTS} requests
 * per {@code RATE_LIMIT_WINDOW} for each principal (its access key; the client address when
 * authentication is off), as a token bucket that refills continuously. A request over the limit
 * gets S3's {@code 503 SlowDown} with {@code Retry-After} (seconds until a token is back); SDKs
 * back off and retry.
 *
 * <p>Buckets live in a bounded cache: an idle principal's bucket is dropped after one window (it
 * would be full again by then), and at most {@value #MAX_PRINCIPALS} are kept.
 */
public final class RateLimit {

  static final int MAX_PRINCIPALS = 100_000;

  private final OpsConfig.RateLimit config;
  private final Cache<String, Bucket> buckets;

  public RateLimit(OpsConfig.RateLimit config) {
    this.config = config;
    this.buckets =
        Caffeine.newBuilder()
            .maximumSize(MAX_PRINCIPALS)
            .expireAfterAccess(config.window())
            .build();
  }

  /**
   * Takes a token for {@code principal} ({@code key:ACCESS_KEY} or {@code address:CLIENT}).
   *
   * @throws S3Exception SlowDown when its bucket is empty
   */
  public void acquire(String principal) {
    if (!config.enabled()) {
      return;
    }
    Bucket bucket = buckets.get(principal, k -> newBucket());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      long seconds =
          Math.max(
              1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
      throw new S3Exception(S3ErrorCode.SLOW_DOWN, "Please reduce your request rate.")
          .header("Retry-After", Long.toString(seconds));
    }
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(
            limit ->
                limit.capacity(config.requests()).refillGreedy(config.requests(), config.window()))
        .build();
  }
}

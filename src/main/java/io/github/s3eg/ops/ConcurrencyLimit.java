package io.github.s3eg.ops;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * The route step {@code concurrencyLimit}: at most {@code
 * SERVER_MAX_CONCURRENT_REQUESTS_PER_PRINCIPAL} requests of one principal (its access key; the
 * client address when authentication is off) in progress at once. Each request holds a worker for
 * as long as it streams, so without this cap one authenticated client could hold every worker with
 * slow uploads (issue 17 finding 10). The step runs right after authentication, before any body is
 * read; a request over the cap gets S3's {@code 503 SlowDown} with {@code Retry-After: 1}, and SDKs
 * back off and retry. The permit is given back when the exchange completes, that is after the
 * response has been written.
 *
 * <p>One {@link Semaphore} per principal, kept while any of its permits is held (weak values: an
 * idle principal's semaphore, with every permit back, is collected).
 */
public final class ConcurrencyLimit {

  private final int perPrincipal;
  private final LoadingCache<String, Semaphore> semaphores;

  public ConcurrencyLimit(int perPrincipal) {
    this.perPrincipal = perPrincipal;
    // A held permit's release callback refers to its semaphore, so a semaphore in use stays.
    this.semaphores = Caffeine.newBuilder().weakValues().build(k -> new Semaphore(perPrincipal));
  }

  /**
   * Takes a permit for {@code principal} ({@code key:…} or {@code address:…}), given back when
   * {@code exchange} completes.
   *
   * @throws S3Exception SlowDown when the principal has as many requests in progress as allowed
   */
  public void acquire(String principal, Exchange exchange) {
    Semaphore semaphore = semaphores.get(principal);
    if (!semaphore.tryAcquire()) {
      throw new S3Exception(
              S3ErrorCode.SLOW_DOWN,
              "Too many requests of this access key in progress at once (at most "
                  + perPrincipal
                  + "); please retry.")
          .header("Retry-After", "1");
    }
    exchange
        .getExchangeExtension()
        .addOnCompletion(
            new SynchronizationAdapter() {
              @Override
              public void onDone(Exchange done) {
                semaphore.release();
              }
            });
  }

  /** Requests of {@code principal} in progress now (for tests and metrics). */
  int inProgress(String principal) {
    Semaphore s = semaphores.getIfPresent(principal);
    return s == null ? 0 : perPrincipal - s.availablePermits();
  }
}

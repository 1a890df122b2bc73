package io.github.s3eg.backend;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * Aborts a backend request whose body the backend has stopped taking. The socket read timeout
 * ({@code BACKEND_TIMEOUT}) covers a backend that does not answer, but a blocking socket write has
 * no timeout: a backend that stops reading an upload would hold the gateway's worker thread and
 * connection forever, whatever the client does.
 *
 * <p>The guard watches the body stream the HTTP client sends: if the client is not inside a read of
 * it (so it is writing, i.e. waiting for the backend) and no read has returned for longer than the
 * timeout, the request is aborted, which closes the connection and unblocks the write. Waiting for
 * the gateway's own client to send more (a read that blocks) is not the backend's fault and is not
 * counted; that wait has its own timeout on the client side. Once the whole body has been read, the
 * socket read timeout takes over. Before the first read the HTTP client is connecting (connect
 * timeout) or waiting for {@code 100 Continue} (its own 3 s limit; some S3-compatible servers never
 * send one), so the clock starts with the first body bytes.
 */
final class StalledUploadGuard implements SdkHttpClient {

  private static final Logger LOG = LoggerFactory.getLogger(StalledUploadGuard.class);

  private final SdkHttpClient delegate;
  private final long timeoutNanos;
  private final ScheduledExecutorService timer;

  StalledUploadGuard(SdkHttpClient delegate, Duration timeout, ScheduledExecutorService timer) {
    this.delegate = delegate;
    this.timeoutNanos = timeout.toNanos();
    this.timer = timer;
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    if (request.contentStreamProvider().isEmpty()) {
      return delegate.prepareRequest(request);
    }
    Progress progress =
        new Progress(
            request
                .httpRequest()
                .firstMatchingHeader("Content-Length")
                .map(Long::parseLong)
                .orElse(Long.MAX_VALUE));
    ContentStreamProvider body = request.contentStreamProvider().get();
    ExecutableHttpRequest execution =
        delegate.prepareRequest(
            HttpExecuteRequest.builder()
                .request(request.httpRequest())
                .metricCollector(request.metricCollector().orElse(null))
                .contentStreamProvider(() -> new WatchedStream(body.newStream(), progress))
                .build());
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        progress.touch();
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(50), timeoutNanos / 4);
        ScheduledFuture<?> check =
            timer.scheduleWithFixedDelay(
                () -> {
                  if (progress.stalledFor() > timeoutNanos
                      && progress.abort.compareAndSet(false, true)) {
                    LOG.warn(
                        "backend took no upload bytes for {} ms; aborting {} {}",
                        TimeUnit.NANOSECONDS.toMillis(timeoutNanos),
                        request.httpRequest().method(),
                        request.httpRequest().encodedPath());
                    execution.abort();
                  }
                },
                period,
                period,
                TimeUnit.NANOSECONDS);
        try {
          return execution.call();
        } finally {
          check.cancel(false);
        }
      }

      @Override
      public void abort() {
        execution.abort();
      }
    };
  }

  @Override
  public String clientName() {
    return delegate.clientName();
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** When the HTTP client last got body bytes from us, and whether it is waiting for more. */
  private static final class Progress {
    private final long length;
    private volatile long lastNanos = System.nanoTime();
    private volatile long sent;
    private volatile boolean started;
    private volatile boolean reading;
    private volatile boolean finished;
    private final AtomicBoolean abort = new AtomicBoolean();

    Progress(long length) {
      this.length = length;
    }

    /** Bytes handed to the HTTP client ({@code n}) or the end of the body ({@code -1}). */
    void took(int n) {
      if (n < 0) {
        finished = true;
      } else if ((sent += n) >= length) {
        // Only the reading thread writes these fields.
        finished = true;
      }
    }

    void touch() {
      lastNanos = System.nanoTime();
    }

    /** How long the backend has not taken bytes; 0 while the body source itself is the wait. */
    long stalledFor() {
      if (!started || reading || finished) {
        return 0;
      }
      return System.nanoTime() - lastNanos;
    }
  }

  private static final class WatchedStream extends FilterInputStream {
    private final Progress progress;

    WatchedStream(InputStream in, Progress progress) {
      super(in);
      this.progress = progress;
    }

    @Override
    public int read() throws IOException {
      progress.started = true;
      progress.reading = true;
      try {
        int b = super.read();
        progress.took(b < 0 ? -1 : 1);
        return b;
      } finally {
        progress.reading = false;
        progress.touch();
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      progress.started = true;
      progress.reading = true;
      try {
        int n = super.read(b, off, len);
        progress.took(n);
        return n;
      } finally {
        progress.reading = false;
        progress.touch();
      }
    }
  }
}

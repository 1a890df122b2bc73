package io.github.s3eg.recovery;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.HiddenKeys;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.crypto.s3ec.S3ecMetadata;
import io.github.s3eg.keys.KeyReference;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Checks every object of a bucket (or prefix) through the full authentication path, as a GET would,
 * without writing plaintext anywhere: metadata, key unwrap under the object's bucket and key, the
 * trailer, the multipart index, every segment and compressed frame, S3EC objects' tags. Each object
 * that is not simply fine becomes a {@link ScrubReport.Entry} with its {@link Finding}. Paced by a
 * {@link Throttle}; never writes to the backend.
 */
public final class Scrubber {

  private final BackendClients backend;
  private final StoredObjectReader reader;
  private final KeyReference active;
  private final Throttle throttle;

  /** {@code active}: the key new objects are wrapped under (others are reported as retired). */
  public Scrubber(
      BackendClients backend, StoredObjectReader reader, KeyReference active, Throttle throttle) {
    this.backend = backend;
    this.reader = reader.pacedBy(throttle);
    this.active = active;
    this.throttle = throttle;
  }

  /** A report to fill: its counts are readable while the scrub runs. */
  public static ScrubReport report(String bucket, String prefix) {
    return new ScrubReport(bucket, prefix);
  }

  /**
   * Scrubs {@code bucket} under {@code prefix} into {@code report}, until the end or until {@code
   * stop} says so (checked between objects).
   */
  public ScrubReport run(String bucket, String prefix, ScrubReport report, BooleanSupplier stop) {
    try {
      HiddenKeys hidden = new HiddenKeys(backend.s3(), bucket);
      for (S3Object o :
          backend.s3().listObjectsV2Paginator(l -> l.bucket(bucket).prefix(prefix)).contents()) {
        if (stop.getAsBoolean()) {
          report.finish("stopped on request");
          return report;
        }
        if (hidden.key(o.key())) {
          // The gateway's own records (checked with the objects they belong to) and a backend's
          // bookkeeping of uploads in progress: nobody's object.
          continue;
        }
        throttle.object();
        check(bucket, o.key(), report);
      }
      report.finish(null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      report.finish("interrupted");
    } catch (RuntimeException e) {
      report.finish("the listing failed: " + e.getMessage());
    }
    return report;
  }

  private void check(String bucket, String key, ScrubReport report) {
    HeadObjectResponse head;
    try {
      head = backend.s3().headObject(h -> h.bucket(bucket).key(key));
    } catch (NoSuchKeyException deletedSinceListed) {
      return;
    } catch (RuntimeException e) {
      report.checked(key, 0, entry(key, Finding.UNCHECKED, e));
      return;
    }
    if (S3ecMetadata.isInstructionFileName(key)
        && S3ecMetadata.isInstructionFile(head.metadata())) {
      return; // an S3EC instruction file: checked with its object
    }
    try {
      StoredObjectReader.Opened opened = reader.open(bucket, key, head);
      if (opened.kind() == StoredObjectReader.Kind.PLAINTEXT) {
        report.checked(
            key,
            head.contentLength(),
            new ScrubReport.Entry(
                key, Finding.PLAINTEXT, null, "no encryption metadata: stored in plaintext"));
        return;
      }
      long bytes = reader.verify(opened);
      ScrubReport.Entry notice = null;
      if (opened.kind() == StoredObjectReader.Kind.S3EC) {
        notice =
            new ScrubReport.Entry(
                key,
                Finding.S3EC_OBJECT,
                null,
                "an S3 Encryption Client object (" + opened.s3ec().format() + "); convert it");
      } else if (!opened.kek().equals(active)) {
        notice =
            new ScrubReport.Entry(
                key,
                Finding.RETIRED_KEY,
                null,
                "wrapped under "
                    + opened.kek().encode()
                    + ", the active key is "
                    + active.encode());
      }
      report.checked(key, bytes, notice);
    } catch (NoSuchKeyException deletedMeanwhile) {
      return;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Finding finding = Finding.of(e);
      if (finding == Finding.TAMPERED && indexMissing(bucket, key, head)) {
        finding = Finding.MISSING_INDEX;
      }
      report.checked(key, head.contentLength(), entry(key, finding, e));
    }
  }

  /** Whether a multipart object's failure is its index being absent (rather than altered). */
  private boolean indexMissing(String bucket, String key, HeadObjectResponse head) {
    try {
      OpenedObject o = reader.openMetadata(bucket, key, head);
      return o.isMultipart() && !reader.indexExists(o, bucket, key);
    } catch (CryptoException | RuntimeException e) {
      return false;
    }
  }

  private static ScrubReport.Entry entry(String key, Finding finding, Throwable e) {
    Optional<CryptoException> crypto = CryptoException.of(e);
    Throwable reported = crypto.isPresent() ? crypto.get() : e;
    return new ScrubReport.Entry(
        key, finding, reported.getClass().getSimpleName(), String.valueOf(reported.getMessage()));
  }
}

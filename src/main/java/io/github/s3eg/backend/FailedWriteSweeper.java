package io.github.s3eg.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.CopyOptions;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.io.Payload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store without its one trap: S3Proxy's file store writes each object to a temporary
 * file {@code <key>-<uuid>} beside it and gives it its attributes only once the body is complete.
 * When the body breaks off (the gateway cuts an upload whose client failed verification,
 * disconnected or stalled) the file stays, without attributes, and every later listing of the
 * bucket fails (S3Proxy 2.9 reads an attribute it does not have: 500). This store removes that file
 * when a write fails, lists through {@link StoreListing} (which skips files without attributes and
 * entries that vanish while it reads them), and removes the leftovers such a listing met that no
 * write in progress owns (from a crash). Writes of one name are serialized, so a failed write never
 * removes the temporary file of another write in progress.
 */
final class FailedWriteSweeper extends ForwardingBlobStore {

  private static final Logger LOG = LoggerFactory.getLogger(FailedWriteSweeper.class);

  /** What S3Proxy appends to a name for its temporary file. */
  private static final Pattern TEMPORARY_SUFFIX =
      Pattern.compile("-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** The attribute every complete object has (its MD5). */
  private static final String CONTENT_MD5 = StoreListing.CONTENT_MD5;

  /** How S3Proxy names a part of a multipart upload in the bucket's directory. */
  private static final String PART_PREFIX = ".mpus-";

  private final Path root;
  private final StoreListing listing;
  private final ConcurrentHashMap<String, Writers> writing = new ConcurrentHashMap<>();

  private static final class Writers {
    final ReentrantLock lock = new ReentrantLock();
    int count;
  }

  FailedWriteSweeper(BlobStore delegate, Path root) {
    super(delegate);
    this.root = root;
    this.listing = new StoreListing(root);
  }

  @Override
  public String putBlob(String container, Blob blob) {
    return putBlob(container, blob, PutOptions.NONE);
  }

  @Override
  public String putBlob(String container, Blob blob, PutOptions options) {
    String name = blob.getMetadata().getName();
    return exclusively(container, name, () -> delegate().putBlob(container, blob, options));
  }

  @Override
  public MultipartPart uploadMultipartPart(MultipartUpload mpu, int partNumber, Payload payload) {
    String part = PART_PREFIX + mpu.id() + "-" + mpu.blobName() + "-" + partNumber;
    return exclusively(
        mpu.containerName(), part, () -> delegate().uploadMultipartPart(mpu, partNumber, payload));
  }

  @Override
  public String completeMultipartUpload(MultipartUpload mpu, List<MultipartPart> parts) {
    return exclusively(
        mpu.containerName(), mpu.blobName(), () -> delegate().completeMultipartUpload(mpu, parts));
  }

  @Override
  public String copyBlob(
      String fromContainer, String fromName, String toContainer, String toName, CopyOptions o) {
    return exclusively(
        toContainer,
        toName,
        () -> delegate().copyBlob(fromContainer, fromName, toContainer, toName, o));
  }

  /**
   * Lists through {@link StoreListing} instead of S3Proxy (whose listing fails beside a write in
   * progress and silently stops short beside a rename or delete); leftovers without a write in
   * progress that it skipped are removed.
   */
  @Override
  public PageSet<? extends StorageMetadata> list(String container, ListContainerOptions options) {
    StoreListing.Result result = listing.list(container, options);
    if (result.incomplete() > 0) {
      sweepContainer(container);
    }
    return result.page();
  }

  /** Runs one write of {@code name}, alone; if it fails, removes what it left behind. */
  private <T> T exclusively(String container, String name, Supplier<T> write) {
    String id = container + "/" + name;
    Writers writers =
        writing.compute(
            id,
            (k, w) -> {
              Writers v = w == null ? new Writers() : w;
              v.count++;
              return v;
            });
    writers.lock.lock();
    boolean written = false;
    try {
      T result = write.get();
      written = true;
      return result;
    } finally {
      try {
        if (!written) {
          sweep(container, name);
        }
      } finally {
        writers.lock.unlock();
        writing.computeIfPresent(id, (k, w) -> --w.count == 0 ? null : w);
      }
    }
  }

  /** Removes the temporary files of {@code name} (no write of it runs: the caller holds it). */
  private void sweep(String container, String name) {
    if (name.endsWith("/")) {
      return; // a folder marker is a directory, written without a temporary file
    }
    Path file = root.resolve(container).resolve(name);
    Path dir = file.getParent();
    String base = file.getFileName().toString() + "-";
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(p -> isLeftover(p, base)).forEach(p -> remove(root.resolve(container), p));
    } catch (NoSuchFileException gone) {
      // Nothing was written.
    } catch (IOException e) {
      LOG.warn(
          "embedded store: cannot look for leftovers of {}/{}: {}", container, name, e.toString());
    }
  }

  /**
   * Removes every leftover temporary file of a bucket that no write in progress owns: each under
   * the lock of the name it was written for, taken only if no write of that name holds it (so a
   * write that starts meanwhile waits, and one in progress keeps its file).
   *
   * @return how many were removed
   */
  private int sweepContainer(String container) {
    Path bucket = root.resolve(container);
    List<Path> candidates;
    try (Stream<Path> files = Files.walk(bucket)) {
      candidates = files.filter(p -> isLeftover(p, "")).toList();
    } catch (IOException | UncheckedIOException e) {
      // A file or folder went away while walking (writes and deletes run): the next listing sweeps.
      return 0;
    }
    int removed = 0;
    for (Path p : candidates) {
      if (ifIdle(container, ownerName(bucket, p), () -> isLeftover(p, "") && remove(bucket, p))) {
        removed++;
      }
    }
    return removed;
  }

  /** Runs {@code action} under the lock of {@code name} if no write of it holds that lock. */
  private boolean ifIdle(String container, String name, BooleanSupplier action) {
    String id = container + "/" + name;
    Writers writers =
        writing.compute(
            id,
            (k, w) -> {
              Writers v = w == null ? new Writers() : w;
              v.count++;
              return v;
            });
    try {
      if (!writers.lock.tryLock()) {
        return false;
      }
      try {
        return action.getAsBoolean();
      } finally {
        writers.lock.unlock();
      }
    } finally {
      writing.computeIfPresent(id, (k, w) -> --w.count == 0 ? null : w);
    }
  }

  /** The name a temporary file was written for (its path in the bucket, without the suffix). */
  private static String ownerName(Path bucket, Path file) {
    String relative = bucket.relativize(file).toString().replace('\\', '/');
    return relative.substring(0, relative.length() - 37);
  }

  /** A file named {@code base<uuid>} that never got its attributes. */
  private static boolean isLeftover(Path p, String base) {
    String name = p.getFileName().toString();
    if (name.length() <= 37
        || !TEMPORARY_SUFFIX.matcher(name.substring(name.length() - 37)).matches()
        || !(base.isEmpty() || name.length() == base.length() + 36 && name.startsWith(base))) {
      return false;
    }
    UserDefinedFileAttributeView view =
        Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
    try {
      // Without attribute support nothing can be told apart: leave everything.
      return view != null && Files.isRegularFile(p) && !view.list().contains(CONTENT_MD5);
    } catch (IOException e) {
      return false;
    }
  }

  /** Deletes a leftover and the directories its write created, up to the bucket. */
  private static boolean remove(Path bucket, Path p) {
    boolean removed = false;
    try {
      removed = Files.deleteIfExists(p);
      if (!removed) {
        return false;
      }
      LOG.info("embedded store: removed the leftover of an interrupted write: {}", p.getFileName());
      for (Path dir = p.getParent(); dir != null && !dir.equals(bucket); dir = dir.getParent()) {
        UserDefinedFileAttributeView view =
            Files.getFileAttributeView(dir, UserDefinedFileAttributeView.class);
        if (view != null && view.list().contains(CONTENT_MD5)) {
          break; // a folder marker a client created
        }
        Files.delete(dir);
      }
    } catch (DirectoryNotEmptyException | NoSuchFileException inUse) {
      // Other objects live there.
    } catch (IOException e) {
      LOG.warn("embedded store: cannot remove {}: {}", p, e.toString());
    }
    return removed;
  }
}

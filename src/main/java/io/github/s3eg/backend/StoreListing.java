package io.github.s3eg.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.jclouds.blobstore.ContainerNotFoundException;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.domain.Tier;
import org.jclouds.blobstore.domain.internal.PageSetImpl;
import org.jclouds.blobstore.domain.internal.StorageMetadataImpl;
import org.jclouds.blobstore.options.ListContainerOptions;

/**
 * A listing of the embedded file store that sees only complete objects, whatever writes run
 * meanwhile. S3Proxy 2.9's own listing reads every directory entry's attributes and (1) fails with
 * 500 on the temporary file of a write in progress (it has no attributes yet), and (2) stops
 * silently, answering the entries found so far as the whole listing, when an entry vanishes between
 * reading the directory and reading its attributes (a write renaming or removing its temporary
 * file, a delete): a listing beside any upload or delete could omit any other object. This one
 * skips files without the attribute every complete object has, and a vanished entry alone; it
 * answers the same entries, names, ETags and pages as S3Proxy's otherwise.
 */
final class StoreListing {

  /** The attribute every complete object (and folder marker) has: its MD5 or ETag. */
  static final String CONTENT_MD5 = "user.content-md5";

  private static final String STORAGE_TIER = "user.storage-tier";

  private final Path root;

  StoreListing(Path root) {
    this.root = root;
  }

  /** What {@code list} skipped: files without attributes, which may be leftovers. */
  record Result(PageSet<StorageMetadata> page, int incomplete) {}

  Result list(String container, ListContainerOptions options) {
    Path containerPath = root.resolve(container);
    if (!Files.exists(containerPath)) {
      throw new ContainerNotFoundException(container, "");
    }
    String delimiter = options.getDelimiter();
    if ("".equals(delimiter)) {
      delimiter = null;
    } else if (delimiter != null && !delimiter.equals("/")) {
      throw new IllegalArgumentException("Delimiters other than / not supported");
    }
    String prefix = options.getPrefix() == null ? "" : options.getPrefix();
    int slash = prefix.lastIndexOf('/');
    Path dir = slash == -1 ? containerPath : containerPath.resolve(prefix.substring(0, slash));
    Path pathPrefix = containerPath.resolve(prefix).normalize();
    if (!pathPrefix.startsWith(containerPath) || !dir.normalize().startsWith(containerPath)) {
      throw new IllegalArgumentException("Invalid key name: path traversal attempt detected");
    }
    NavigableSet<StorageMetadata> all = new TreeSet<>();
    int[] incomplete = {0};
    try {
      walk(all, incomplete, containerPath, dir, pathPrefix.toAbsolutePath().toString(), delimiter);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    NavigableSet<StorageMetadata> sorted = all;
    if (options.getMarker() != null) {
      String marker = options.getMarker();
      sorted =
          all.stream()
              .filter(m -> m.getName().compareTo(marker) > 0)
              .findFirst()
              .map(m -> all.tailSet(m, true))
              .orElseGet(TreeSet::new);
    }
    String next = null;
    if (options.getMaxResults() != null) {
      NavigableSet<StorageMetadata> limited = new TreeSet<>();
      sorted.stream().limit(options.getMaxResults()).forEach(limited::add);
      if (!limited.isEmpty() && sorted.higher(limited.last()) != null) {
        next = limited.last().getName();
      }
      sorted = limited;
    }
    return new Result(new PageSetImpl<>(sorted, next), incomplete[0]);
  }

  private void walk(
      NavigableSet<StorageMetadata> out,
      int[] incomplete,
      Path containerPath,
      Path dir,
      String prefix,
      String delimiter)
      throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> entries;
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      entries = new java.util.ArrayList<>();
      stream.forEach(entries::add);
    } catch (NoSuchFileException gone) {
      return; // removed meanwhile (the last object of a folder deleted)
    }
    for (Path path : entries) {
      if (!path.toAbsolutePath().toString().startsWith(prefix)) {
        continue;
      }
      String name = containerPath.relativize(path).toString().replace('\\', '/');
      try {
        if (Files.isDirectory(path)) {
          if (!"/".equals(delimiter)) {
            walk(out, incomplete, containerPath, path, prefix, delimiter);
          }
          if ("/".equals(delimiter) || attributes(path).list().contains(CONTENT_MD5)) {
            out.add(entry(StorageType.RELATIVE_PATH, name + "/", null, null, null, null, null));
          }
        } else {
          StorageMetadata object = object(path, name);
          if (object == null) {
            incomplete[0]++;
          } else {
            out.add(object);
          }
        }
      } catch (NoSuchFileException vanished) {
        // Renamed or removed since the directory was read: not in this listing, the rest is.
      }
    }
  }

  /** The entry of a complete object, or null for a file without its attributes. */
  private StorageMetadata object(Path path, String name) throws IOException {
    BasicFileAttributes attr = Files.readAttributes(path, BasicFileAttributes.class);
    UserDefinedFileAttributeView view = attributes(path);
    List<String> names = view.list();
    if (!names.contains(CONTENT_MD5)) {
      return null; // the temporary file of a write in progress, or a leftover
    }
    byte[] md5 = read(view, CONTENT_MD5);
    if (md5 == null) {
      return null;
    }
    String etag =
        md5.length == 16
            ? "\"" + HexFormat.of().formatHex(md5) + "\""
            : new String(md5, StandardCharsets.US_ASCII);
    byte[] tier = names.contains(STORAGE_TIER) ? read(view, STORAGE_TIER) : null;
    return entry(
        StorageType.BLOB,
        name,
        etag,
        new Date(attr.creationTime().toMillis()),
        new Date(attr.lastModifiedTime().toMillis()),
        attr.size(),
        tier == null ? Tier.STANDARD : Tier.valueOf(new String(tier, StandardCharsets.UTF_8)));
  }

  /** An attribute's value, or null if it went away since it was listed (a rewrite). */
  private static byte[] read(UserDefinedFileAttributeView view, String attribute)
      throws IOException {
    try {
      ByteBuffer buf = ByteBuffer.allocate(view.size(attribute));
      view.read(attribute, buf);
      return buf.array();
    } catch (NoSuchFileException e) {
      throw e;
    } catch (FileSystemException e) {
      return null;
    }
  }

  private static UserDefinedFileAttributeView attributes(Path path) {
    return Files.getFileAttributeView(path, UserDefinedFileAttributeView.class);
  }

  private static StorageMetadata entry(
      StorageType type,
      String name,
      String etag,
      Date created,
      Date modified,
      Long size,
      Tier tier) {
    return new StorageMetadataImpl(
        type,
        null,
        name,
        null,
        null,
        etag,
        created,
        modified,
        Map.of(),
        size,
        tier == null ? Tier.STANDARD : tier);
  }
}

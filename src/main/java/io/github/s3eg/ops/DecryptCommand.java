package io.github.s3eg.ops;

import io.github.s3eg.backend.ReservedKeys;
import io.github.s3eg.config.GatewayConfig;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.s3ec.S3ecKeys;
import io.github.s3eg.crypto.s3ec.S3ecMetadata;
import io.github.s3eg.recovery.StoredObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code java -jar s3-encryption-gateway.jar decrypt [--config FILE] [--overwrite] s3://bucket/key
 * [OUT|-]} and {@code … decrypt s3://bucket/prefix/ DIR}: reads objects straight from the backend
 * with the gateway's own configuration (backend, key source) and writes their plaintext, no gateway
 * running. Every segment is authenticated before it is written; an object that fails any check is
 * refused with the reason on standard error.
 *
 * <ul>
 *   <li>To a file: written under a temporary name beside it and renamed when the whole object
 *       verified, so a refused object leaves no file. Without OUT the file is named after the key's
 *       last segment, in the current directory; an existing file is replaced only with {@code
 *       --overwrite}.
 *   <li>To standard output ({@code -}): streamed; a refusal part-way ends the output early and the
 *       exit status says so (every byte written had been authenticated).
 *   <li>A prefix (the URL ends in {@code /}, or names only the bucket): every object under it, into
 *       DIR at its key relative to the prefix (directories created; a key that would leave DIR is
 *       refused). Refused objects are reported and the others still decrypted.
 * </ul>
 *
 * Exit status: 0 when everything was decrypted, 1 when an object was refused or failed, 2 for a
 * usage or configuration error.
 */
public final class DecryptCommand {

  static final String USAGE =
      "usage: decrypt [--config FILE] [--overwrite] s3://BUCKET/KEY [OUT|-]\n"
          + "       decrypt [--config FILE] [--overwrite] s3://BUCKET/PREFIX/ DIR";

  private final StoredObjectReader reader;
  private final long spoolLimit;
  private final boolean overwrite;
  private final PrintStream err;
  private long objects;
  private long bytes;
  private long refused;

  private DecryptCommand(
      StoredObjectReader reader, long spoolLimit, boolean overwrite, PrintStream err) {
    this.reader = reader;
    this.spoolLimit = spoolLimit;
    this.overwrite = overwrite;
    this.err = err;
  }

  public static int run(String[] args, GatewayConfig config, OutputStream out, PrintStream err) {
    boolean overwrite = false;
    String source = null;
    String target = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--overwrite")) {
        overwrite = true;
      } else if (args[i].startsWith("--") || (source != null && target != null)) {
        err.println("decrypt: unexpected argument " + args[i]);
        err.println(USAGE);
        return 2;
      } else if (source == null) {
        source = args[i];
      } else {
        target = args[i];
      }
    }
    S3Url url = source == null ? null : S3Url.parse(source);
    if (url == null) {
      err.println(USAGE);
      return 2;
    }
    if (url.isPrefix() && (target == null || target.equals("-"))) {
      err.println("decrypt: a prefix is decrypted into a directory: give DIR");
      return 2;
    }
    try (CommandBackend backend = CommandBackend.open(config)) {
      Optional<S3ecKeys> s3ec =
          config.encryption().s3ec().keys().isEmpty()
              ? Optional.empty()
              : Optional.of(new S3ecKeys(backend.keys(), config.encryption().s3ec().keys()));
      DecryptCommand command =
          new DecryptCommand(
              new StoredObjectReader(backend.clients(), backend.keys(), s3ec),
              config.encryption().spoolLimit(),
              overwrite,
              err);
      if (url.isPrefix()) {
        command.prefix(backend, url, Path.of(target), config.encryption().allowPlaintextReads());
      } else if ("-".equals(target)) {
        command.toStream(url, out, config.encryption().allowPlaintextReads());
      } else {
        Path file = target == null ? Path.of(url.lastSegment()) : Path.of(target);
        if (Files.isDirectory(file)) {
          file = file.resolve(url.lastSegment());
        }
        command.toFile(url.bucket(), url.key(), file, config.encryption().allowPlaintextReads());
      }
      err.println(
          "decrypt: "
              + command.objects
              + " object(s) decrypted, "
              + command.bytes
              + " bytes written"
              + (command.refused > 0 ? ", " + command.refused + " refused" : ""));
      return command.refused > 0 ? 1 : 0;
    }
  }

  private void prefix(CommandBackend backend, S3Url url, Path dir, boolean allowPlaintext) {
    Path root = dir.toAbsolutePath().normalize();
    for (S3Object o :
        backend
            .clients()
            .s3()
            .listObjectsV2Paginator(l -> l.bucket(url.bucket()).prefix(url.key()))
            .contents()) {
      String key = o.key();
      if (ReservedKeys.isReserved(key)
          || key.endsWith("/")
          || (S3ecMetadata.isInstructionFileName(key) && isInstructionFile(backend, url, key))) {
        continue; // the gateway's records, folder markers, S3EC instruction files
      }
      Path file = root.resolve(key.substring(url.key().length())).normalize();
      if (!file.startsWith(root) || file.equals(root)) {
        refuse(url.bucket(), key, "its name would leave " + root);
        continue;
      }
      toFile(url.bucket(), key, file, allowPlaintext);
    }
  }

  private static boolean isInstructionFile(CommandBackend backend, S3Url url, String key) {
    return S3ecMetadata.isInstructionFile(
        backend.clients().s3().headObject(h -> h.bucket(url.bucket()).key(key)).metadata());
  }

  private void toFile(String bucket, String key, Path file, boolean allowPlaintext) {
    if (Files.exists(file) && !overwrite) {
      refuse(bucket, key, file + " exists (use --overwrite)");
      return;
    }
    Path partial = null;
    try {
      StoredObjectReader.Opened opened = open(bucket, key, allowPlaintext);
      if (opened == null) {
        return;
      }
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      partial = Files.createTempFile(parent, "." + file.getFileName() + ".", ".partial");
      long n;
      try (InputStream in = reader.plaintext(opened, false, spoolLimit);
          OutputStream out = Files.newOutputStream(partial)) {
        n = in.transferTo(out);
      }
      if (n != opened.plaintextSize()) {
        throw new IOException("read " + n + " bytes of " + opened.plaintextSize());
      }
      if (overwrite) {
        Files.move(
            partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
      }
      partial = null;
      objects++;
      bytes += n;
    } catch (IOException | CryptoException | RuntimeException e) {
      refuse(bucket, key, reason(e));
    } finally {
      if (partial != null) {
        try {
          Files.deleteIfExists(partial);
        } catch (IOException ignored) {
          // the refusal was reported; a leftover .partial file holds verified bytes only
        }
      }
    }
  }

  private void toStream(S3Url url, OutputStream out, boolean allowPlaintext) {
    try {
      StoredObjectReader.Opened opened = open(url.bucket(), url.key(), allowPlaintext);
      if (opened == null) {
        return;
      }
      try (InputStream in = reader.plaintext(opened, true, spoolLimit)) {
        bytes += in.transferTo(out);
      }
      out.flush();
      objects++;
    } catch (IOException | CryptoException | RuntimeException e) {
      refuse(url.bucket(), url.key(), reason(e));
    }
  }

  /** The opened object, or null (reported) for a plaintext object that may not be read. */
  private StoredObjectReader.Opened open(String bucket, String key, boolean allowPlaintext)
      throws CryptoException {
    StoredObjectReader.Opened opened = reader.open(bucket, key);
    if (opened.kind() == StoredObjectReader.Kind.PLAINTEXT && !allowPlaintext) {
      refuse(
          bucket,
          key,
          "it has no encryption metadata (not written by the gateway); set"
              + " ENCRYPTION_ALLOW_PLAINTEXT_READS=true to copy such objects as they are");
      return null;
    }
    return opened;
  }

  private void refuse(String bucket, String key, String reason) {
    refused++;
    err.println("decrypt: s3://" + bucket + "/" + key + ": refused: " + reason);
  }

  /** A failure in words an operator can act on; typed crypto failures name their type. */
  static String reason(Throwable e) {
    Optional<CryptoException> crypto = CryptoException.of(e);
    if (crypto.isPresent()) {
      return crypto.get().getClass().getSimpleName()
          + ": "
          + crypto.get().getMessage()
          + " (the stored object failed its integrity or key checks; nothing of it is kept)";
    }
    if (e instanceof NoSuchKeyException) {
      return "no such object";
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** {@code s3://bucket/key}; a key that is empty or ends in {@code /} is a prefix. */
  record S3Url(String bucket, String key) {

    static S3Url parse(String text) {
      if (!text.startsWith("s3://")) {
        return null;
      }
      String rest = text.substring("s3://".length());
      int slash = rest.indexOf('/');
      String bucket = slash < 0 ? rest : rest.substring(0, slash);
      String key = slash < 0 ? "" : rest.substring(slash + 1);
      return bucket.isEmpty() ? null : new S3Url(bucket, key);
    }

    boolean isPrefix() {
      return key.isEmpty() || key.endsWith("/");
    }

    String lastSegment() {
      return key.substring(key.lastIndexOf('/') + 1);
    }
  }
}

package io.github.s3eg.pipeline;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Holds an encrypted body until its length is known, for the one kind of upload whose length is not
 * a function of the plaintext length: a compressed object. A backend PUT needs its {@code
 * Content-Length} before the first byte, so the ciphertext is written here first and uploaded from
 * here. Up to {@code memoryLimit} bytes stay in memory; a longer body goes to a temporary file
 * (owner-only permissions, in {@code java.io.tmpdir}) that is deleted when the spool is closed.
 *
 * <p>Only ciphertext is ever written: the data key exists only in memory, so the file is as opaque
 * as the backend's copy. Memory stays bounded whatever the body size (64 KiB of copy buffer beyond
 * the in-memory limit); the cost is local disk (the compressed size) and time (the backend upload
 * starts after the client's last byte). Not thread-safe.
 */
final class UploadSpool implements Closeable {

  /**
   * Start of this process's spool file names: {@code s3eg-spool-<pid>-}. The process id tells whose
   * a file in a shared temporary directory is (an operator's look after a crash, a test that checks
   * nothing was left behind while other processes spool beside it).
   */
  static final String FILE_PREFIX = "s3eg-spool-" + ProcessHandle.current().pid() + "-";

  private final byte[] memory;
  private final Path file;
  private final long length;
  private final byte[] md5;
  private boolean opened;

  private UploadSpool(byte[] memory, Path file, long length, byte[] md5) {
    this.memory = memory;
    this.file = file;
    this.length = length;
    this.md5 = md5;
  }

  /**
   * Reads {@code body} to its end into a new spool; closes {@code body}. On failure nothing is left
   * behind.
   */
  static UploadSpool fill(InputStream input, long memoryLimit) throws IOException {
    java.security.MessageDigest digest = io.github.s3eg.backend.ContentMd5.digest();
    try (input;
        InputStream body = new java.security.DigestInputStream(input, digest)) {
      byte[] buffer = new byte[64 * 1024];
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int n;
      while (head.size() <= memoryLimit && (n = body.read(buffer)) >= 0) {
        head.write(buffer, 0, n);
      }
      if (head.size() <= memoryLimit) {
        return new UploadSpool(head.toByteArray(), null, head.size(), digest.digest());
      }
      Path file = Files.createTempFile(FILE_PREFIX, ".bin", ownerOnly());
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
        head.writeTo(out);
        long length = head.size();
        head = null;
        while ((n = body.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          length += n;
        }
        return new UploadSpool(null, file, length, digest.digest());
      } catch (IOException | RuntimeException | Error e) {
        Files.deleteIfExists(file);
        throw e;
      }
    }
  }

  private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly() {
    if (!java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return new java.nio.file.attribute.FileAttribute<?>[0];
    }
    return new java.nio.file.attribute.FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
    };
  }

  /** The body's exact length. */
  long length() {
    return length;
  }

  /** The MD5 of the body (its {@code Content-MD5} for the backend). */
  byte[] md5() {
    return md5.clone();
  }

  /** Whether the body went to a file (tests and metrics). */
  boolean onDisk() {
    return file != null;
  }

  /** The body, once; closing it deletes the file. */
  InputStream open() throws IOException {
    if (opened) {
      throw new IllegalStateException("a spooled body is read once");
    }
    opened = true;
    if (file == null) {
      return new ByteArrayInputStream(memory);
    }
    return new FilterInputStream(Files.newInputStream(file)) {
      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          UploadSpool.this.close();
        }
      }
    };
  }

  /** Deletes the file, if any; idempotent. */
  @Override
  public void close() throws IOException {
    if (file != null) {
      Files.deleteIfExists(file);
    }
  }
}

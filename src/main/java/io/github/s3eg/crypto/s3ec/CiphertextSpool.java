package io.github.s3eg.crypto.s3ec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Ciphertext held until its message has verified: in memory up to a limit, then in a temporary file
 * (owner-only, in {@code java.io.tmpdir}) deleted when the spool is closed. Only ciphertext is
 * written; the key exists only in memory. Not thread-safe.
 */
final class CiphertextSpool extends OutputStream {

  private final long memoryLimit;
  private ByteArrayOutputStream memory = new ByteArrayOutputStream();
  private Path file;
  private OutputStream fileOut;
  private boolean closed;

  CiphertextSpool(long memoryLimit) {
    this.memoryLimit = memoryLimit;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (fileOut == null && memory.size() + (long) len > memoryLimit) {
      file = Files.createTempFile("s3eg-s3ec-", ".bin", ownerOnly());
      fileOut = Files.newOutputStream(file);
      memory.writeTo(fileOut);
      memory = null;
    }
    if (fileOut != null) {
      fileOut.write(b, off, len);
    } else {
      memory.write(b, off, len);
    }
  }

  /** The spooled bytes, once; closing the stream deletes the file. */
  InputStream open() throws IOException {
    if (fileOut == null) {
      return new ByteArrayInputStream(memory.toByteArray());
    }
    fileOut.close();
    return new FilterInputStream(Files.newInputStream(file)) {
      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          CiphertextSpool.this.close();
        }
      }
    };
  }

  /** Whether the spool went to a file. */
  boolean onDisk() {
    return file != null;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (fileOut != null) {
      try {
        fileOut.close();
      } finally {
        Files.deleteIfExists(file);
      }
    }
  }

  private static FileAttribute<?>[] ownerOnly() {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
    };
  }
}

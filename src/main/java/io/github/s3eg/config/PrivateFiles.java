package io.github.s3eg.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories the gateway creates for itself (audit log, embedded store, generated keys
 * and credentials) are readable by its own user only, whatever the umask: the audit log names
 * principals, keys and client addresses, the embedded store holds every object. Where the file
 * system has no POSIX permissions (Windows) this does nothing.
 */
public final class PrivateFiles {

  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

  private PrivateFiles() {}

  /**
   * Creates the missing directories of {@code dir} as 0700 (existing ones are left as they are).
   */
  public static void createDirectories(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return;
    }
    Path parent = absolute.getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    try {
      Files.createDirectory(absolute);
      restrict(absolute, DIRECTORY);
    } catch (FileAlreadyExistsException raced) {
      // Created meanwhile by someone else: left as it is.
    }
  }

  /** Creates {@code file} empty as 0600 if it does not exist (its directories as 0700). */
  public static void createFile(Path file) throws IOException {
    Path absolute = file.toAbsolutePath();
    createDirectories(absolute.getParent());
    try {
      Files.createFile(absolute);
      restrict(absolute, FILE);
    } catch (FileAlreadyExistsException exists) {
      // Appended to as it is.
    }
  }

  /** Sets {@code path}'s permissions to {@code permissions} where POSIX permissions exist. */
  public static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
    try {
      Files.setPosixFilePermissions(path, permissions);
    } catch (UnsupportedOperationException notPosix) {
      // Windows: ACLs, not modes.
    }
  }

  /** Makes an existing directory the gateway owns 0700. */
  public static void restrictDirectory(Path dir) throws IOException {
    restrict(dir, DIRECTORY);
  }
}

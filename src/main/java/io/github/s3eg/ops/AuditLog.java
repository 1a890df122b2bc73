package io.github.s3eg.ops;

import io.github.s3eg.config.OpsConfig;
import io.github.s3eg.s3.S3Operation;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.auth.Access;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: one hash-chained JSON line (see {@link AuditChain}) per security-relevant request,
 * successful or not: every authentication failure and access denial, every write (PUT, POST,
 * DELETE, copy), every read of object data (GET object), and admin operations (bucket creation and
 * deletion, key rewrap). Lists, HEADs and probes are not audited.
 *
 * <p>A line holds: {@code seq}, {@code prev}, {@code time}, {@code event} ({@code
 * authentication_failure}, {@code access_denied}, {@code write}, {@code read}, {@code admin}),
 * {@code request_id}, {@code principal}, {@code client}, {@code operation}, {@code method}, {@code
 * bucket}, {@code key}, for a copy {@code source_bucket} and {@code source_key} (the object it
 * reads), for DeleteObjects {@code keys} (every key its document named), {@code status}, {@code
 * outcome} ({@code success}, {@code failure}, {@code aborted}), {@code bytes} (request body for
 * writes, response body for reads), {@code key_id} and {@code key_version} (of the key that wrapped
 * the object's data key, as the encryption steps found it), {@code error} (the S3 error code) and
 * {@code hash}. Never secrets, signatures, query strings or object data.
 *
 * <p>Lines go to {@code AUDIT_FILE} (appended; the chain continues from the file's last line) or to
 * standard output; the last {@code AUDIT_MAX_EVENTS} are kept in memory ({@link #recent()}).
 */
public final class AuditLog implements RequestListener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  /** Operation routes audited as {@code admin} events besides bucket creation and deletion. */
  private static final java.util.Set<String> ADMIN_OPERATIONS = java.util.Set.of("Rewrap", "Scrub");

  private final OutputStream out;
  private final boolean ownsOut;
  private final int maxEvents;
  private final ArrayDeque<String> recent;
  private long seq;
  private String previousHash;

  private AuditLog(
      OutputStream out, boolean ownsOut, int maxEvents, long seq, String previousHash) {
    this.out = out;
    this.ownsOut = ownsOut;
    this.maxEvents = maxEvents;
    this.recent = new ArrayDeque<>(Math.min(maxEvents, 1024));
    this.seq = seq;
    this.previousHash = previousHash;
  }

  /** Opens the log that {@code config} names; an existing file is appended to. */
  public static AuditLog open(OpsConfig.Audit config) throws IOException {
    if (config.file().isEmpty()) {
      return new AuditLog(System.out, false, config.maxEvents(), 0, AuditChain.GENESIS);
    }
    Path file = config.file().get();
    // Principals, keys and client addresses: readable by the gateway's user only.
    io.github.s3eg.config.PrivateFiles.createFile(file);
    AuditChain.Link last = lastLink(file);
    OutputStream out =
        Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    return last == null
        ? new AuditLog(out, true, config.maxEvents(), 0, AuditChain.GENESIS)
        : new AuditLog(out, true, config.maxEvents(), last.seq(), last.hash());
  }

  /** The chain fields of the file's last line, or null for a missing or empty file. */
  private static AuditChain.Link lastLink(Path file) throws IOException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return null;
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long end = raf.length();
      long start = Math.max(0, end - 64 * 1024);
      byte[] tail = new byte[(int) (end - start)];
      raf.seek(start);
      raf.readFully(tail);
      String text = new String(tail, StandardCharsets.UTF_8).stripTrailing();
      String line = text.substring(text.lastIndexOf('\n') + 1);
      try {
        return AuditChain.parse(line);
      } catch (IllegalArgumentException e) {
        throw new IOException(
            "AUDIT_FILE "
                + file
                + ": the last line is not a valid audit record ("
                + e.getMessage()
                + "); move the file aside");
      }
    }
  }

  @Override
  public void completed(Completed c) {
    S3Request request = c.request();
    if (request == null || request.probe() != null) {
      return;
    }
    String principal = c.principal();
    // Refused before its route (authentication, authorization): the operation it asked for.
    String operation = c.operation() != null ? c.operation() : S3Operation.of(request);
    String event = event(request, principal, c, operation);
    if (event == null) {
      return;
    }
    boolean write = event.equals("write") || event.equals("admin");
    try {
      append(
          fields -> {
            Json.field(fields, "time", Instant.now().toString());
            Json.field(fields, "event", event);
            Json.field(fields, "request_id", c.requestId());
            Json.field(fields, "principal", principal);
            Json.field(fields, "client", request.clientAddress());
            Json.field(fields, "operation", operation);
            Json.field(fields, "method", request.method());
            Json.field(fields, "bucket", request.bucket());
            Json.field(fields, "key", request.key());
            Access source = c.source();
            if (source != null) {
              Json.field(fields, "source_bucket", source.bucket());
              Json.field(fields, "source_key", source.key());
            }
            if (c.keys() != null) {
              Json.field(fields, "keys", c.keys());
            }
            Json.field(fields, "status", c.status());
            Json.field(
                fields,
                "outcome",
                c.aborted() ? "aborted" : c.status() < 400 ? "success" : "failure");
            Json.field(fields, "bytes", write ? requestBytes(request) : c.bytes());
            Json.field(fields, "key_id", c.keyId());
            Json.field(fields, "key_version", c.keyVersion());
            Json.field(fields, "error", c.errorCode());
          });
    } catch (UncheckedIOException e) {
      LOG.error("audit log write failed for request {}", c.requestId(), e);
    }
  }

  /** What kind of event this request is, or null if it is not audited. */
  private static String event(S3Request request, String principal, Completed c, String operation) {
    if (principal == null) {
      return c.status() >= 400 ? "authentication_failure" : null;
    }
    if ("AccessDenied".equals(c.errorCode())) {
      return "access_denied";
    }
    if (ADMIN_OPERATIONS.contains(operation)) {
      return "admin";
    }
    String level = request.level();
    return switch (request.method()) {
      case "PUT", "DELETE" -> level.equals("bucket") ? "admin" : "write";
      case "POST" -> "write";
      case "GET" -> level.equals("object") ? "read" : null;
      default -> null;
    };
  }

  private static long requestBytes(S3Request request) {
    String length = request.header("x-amz-decoded-content-length");
    if (length == null) {
      length = request.header("Content-Length");
    }
    try {
      return length == null ? 0 : Long.parseLong(length);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Writes one chained line with the fields {@code body} appends (each ending with a comma). */
  synchronized void append(java.util.function.Consumer<StringBuilder> body) {
    StringBuilder line = AuditChain.begin(seq + 1, previousHash);
    body.accept(line);
    String sealed = AuditChain.seal(line);
    try {
      out.write((sealed + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    seq++;
    previousHash = sealed.substring(sealed.length() - 66, sealed.length() - 2);
    if (maxEvents > 0) {
      if (recent.size() == maxEvents) {
        recent.removeFirst();
      }
      recent.addLast(sealed);
    }
  }

  /** The last {@code AUDIT_MAX_EVENTS} lines, oldest first. */
  public synchronized List<String> recent() {
    return List.copyOf(recent);
  }

  @Override
  public synchronized void close() throws IOException {
    if (ownsOut) {
      out.close();
    }
  }
}

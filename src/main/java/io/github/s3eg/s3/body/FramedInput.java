package io.github.s3eg.s3.body;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.io.IOException;
import java.io.InputStream;

/**
 * A buffered reader of an {@code aws-chunked} byte stream that knows two things: CRLF-terminated
 * lines of bounded length, and exact runs of bytes. Every way the stream can be short or malformed
 * ends in a typed {@link BodyVerificationException}, never in a loop or an unbounded buffer.
 */
final class FramedInput {

  private static final int BUFFER_SIZE = 64 * 1024;

  private final InputStream raw;
  private final byte[] buffer = new byte[BUFFER_SIZE];
  private int pos;
  private int limit;

  FramedInput(InputStream raw) {
    this.raw = raw;
  }

  /**
   * Reads one line terminated by CRLF, without the terminator.
   *
   * @param maxLength the longest acceptable line
   * @param what what the line is, for error messages
   * @return the line as ISO-8859-1 text, or {@code null} if the stream ended before its first byte
   */
  String readLine(int maxLength, String what) throws IOException {
    StringBuilder line = new StringBuilder();
    boolean any = false;
    while (true) {
      if (pos == limit && !fill()) {
        if (!any) {
          return null;
        }
        throw fail(S3ErrorCode.INCOMPLETE_BODY, "The request body ended inside " + what + ".");
      }
      any = true;
      byte b = buffer[pos++];
      if (b == '\r') {
        if (pos == limit && !fill()) {
          throw fail(S3ErrorCode.INCOMPLETE_BODY, "The request body ended inside " + what + ".");
        }
        if (buffer[pos++] != '\n') {
          throw malformed(what + " has a CR without LF");
        }
        return line.toString();
      }
      if (b == '\n') {
        throw malformed(what + " is terminated by LF instead of CRLF");
      }
      if (line.length() >= maxLength) {
        throw malformed(what + " is longer than " + maxLength + " bytes");
      }
      line.append((char) (b & 0xFF));
    }
  }

  /** Reads exactly {@code len} bytes into {@code dst}. */
  void readFully(byte[] dst, int len, String what) throws IOException {
    int done = 0;
    while (done < len) {
      if (pos == limit && !fill()) {
        throw fail(
            S3ErrorCode.INCOMPLETE_BODY,
            "The request body ended inside " + what + " (" + done + " of " + len + " bytes).");
      }
      int n = Math.min(len - done, limit - pos);
      System.arraycopy(buffer, pos, dst, done, n);
      pos += n;
      done += n;
    }
  }

  /** Consumes a CRLF, which must come next. */
  void expectCrlf(String what) throws IOException {
    for (byte expected : new byte[] {'\r', '\n'}) {
      if (pos == limit && !fill()) {
        throw fail(
            S3ErrorCode.INCOMPLETE_BODY,
            "The request body ended before the CRLF after " + what + ".");
      }
      if (buffer[pos++] != expected) {
        throw malformed(what + " is not followed by CRLF");
      }
    }
  }

  /** Whether the stream has ended (blocks until it is known). */
  boolean atEnd() throws IOException {
    return pos == limit && !fill();
  }

  void close() throws IOException {
    raw.close();
  }

  private boolean fill() throws IOException {
    int n = raw.read(buffer, 0, buffer.length);
    if (n == 0) {
      // A stream that returns 0 breaks the InputStream contract; the single-byte read blocks.
      int b = raw.read();
      if (b >= 0) {
        buffer[0] = (byte) b;
        n = 1;
      } else {
        n = -1;
      }
    }
    if (n < 0) {
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  static BodyVerificationException malformed(String detail) {
    return fail(S3ErrorCode.INVALID_REQUEST, "Malformed aws-chunked body: " + detail + ".");
  }

  static BodyVerificationException fail(S3ErrorCode code, String message) {
    return new BodyVerificationException(new S3Exception(code, message));
  }

  /** Client text in an error message, cut short. */
  static String clip(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }
}

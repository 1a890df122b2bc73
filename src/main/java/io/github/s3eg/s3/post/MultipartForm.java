package io.github.s3eg.s3.post;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads a browser upload ({@code multipart/form-data}, RFC 7578) from the request body as it
 * arrives: the fields before the {@code file} field into memory (at most {@value #MAX_FIELDS_BYTES}
 * bytes, as S3), then the file's content as a stream that ends at the part's boundary. Nothing of
 * the file is held whole; the fields after it are ignored, as S3 does.
 *
 * <p>A body that ends before the closing boundary fails the file stream with an {@link
 * IOException}, so an upload fed from it never completes.
 */
public final class MultipartForm {

  /** S3's limit on what precedes the file: the fields and their part headers. */
  static final int MAX_FIELDS_BYTES = 20 * 1024;

  private static final int BUFFER = 64 * 1024;
  private static final int MAX_HEADER_LINE = 4096;

  private final InputStream in;
  private final byte[] delimiter; // CRLF "--" boundary
  private final byte[] buf = new byte[BUFFER];
  private int pos;
  private int lim;
  private boolean eof;
  private long preamble;

  private MultipartForm(InputStream in, String boundary) {
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    // The first boundary has no CRLF before it: start as if one had been read.
    buf[0] = '\r';
    buf[1] = '\n';
    lim = 2;
  }

  /** The fields before the file, and the file. */
  public record Form(Map<String, String> fields, String fileName, InputStream file) {}

  /**
   * Reads the fields up to the file.
   *
   * @throws S3Exception MalformedPOSTRequest for a body that is not a form with a file, {@code
   *     MaxPostPreDataLengthExceeded} when the fields before the file are too long
   */
  public static Form read(InputStream body, String contentType) throws IOException {
    String boundary =
        boundary(contentType)
            .orElseThrow(
                () ->
                    malformed(
                        "The body of your POST request is not well-formed multipart/form-data."));
    return new MultipartForm(body, boundary).readForm();
  }

  static Optional<String> boundary(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String[] parts = contentType.split(";");
    if (!parts[0].trim().equalsIgnoreCase("multipart/form-data")) {
      return Optional.empty();
    }
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
        String value = p.substring(eq + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        // RFC 2046: 1 to 70 characters.
        return value.isEmpty() || value.length() > 70 ? Optional.empty() : Optional.of(value);
      }
    }
    return Optional.empty();
  }

  private Form readForm() throws IOException {
    Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    skipToDelimiter();
    while (true) {
      if (!afterDelimiter()) {
        throw malformed("POST requires exactly one file upload per request.")
            .with("ArgumentName", "file");
      }
      Map<String, String> disposition = partHeaders();
      String name = disposition.get("name");
      if (name == null) {
        throw malformed("The body of your POST request is not well-formed multipart/form-data.");
      }
      if (name.equalsIgnoreCase("file")) {
        return new Form(fields, disposition.getOrDefault("filename", ""), new PartStream());
      }
      ByteArrayOutputStream value = new ByteArrayOutputStream();
      copyPart(value);
      if (!fields.containsKey(name)) {
        fields.put(name, value.toString(StandardCharsets.UTF_8));
      }
    }
  }

  /** Skips the preamble up to the first delimiter. */
  private void skipToDelimiter() throws IOException {
    while (true) {
      int found = find();
      if (found >= 0) {
        count(found - pos);
        pos = found + delimiter.length;
        return;
      }
      int safe = Math.max(pos, lim - delimiter.length + 1);
      count(safe - pos);
      pos = safe;
      if (!fill()) {
        throw malformed("The body of your POST request is not well-formed multipart/form-data.");
      }
    }
  }

  /** After a delimiter: true for another part, false for the closing {@code --}. */
  private boolean afterDelimiter() throws IOException {
    require(2);
    if (buf[pos] == '-' && buf[pos + 1] == '-') {
      return false;
    }
    String rest = line(); // transport padding, then CRLF
    if (!rest.isBlank()) {
      throw malformed("The body of your POST request is not well-formed multipart/form-data.");
    }
    return true;
  }

  /** The part's headers up to the empty line; returns the Content-Disposition parameters. */
  private Map<String, String> partHeaders() throws IOException {
    Map<String, String> disposition = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String line = line(); !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-disposition")) {
        parseDisposition(line.substring(colon + 1), disposition);
      }
    }
    return disposition;
  }

  static void parseDisposition(String value, Map<String, String> into) {
    int i = value.indexOf(';');
    if (i < 0 || !value.substring(0, i).trim().equalsIgnoreCase("form-data")) {
      throw malformed("The body of your POST request is not well-formed multipart/form-data.");
    }
    while (i < value.length()) {
      i++; // past ';'
      int eq = value.indexOf('=', i);
      if (eq < 0) {
        return;
      }
      String key = value.substring(i, eq).trim().toLowerCase(Locale.ROOT);
      int j = eq + 1;
      while (j < value.length() && value.charAt(j) == ' ') {
        j++;
      }
      StringBuilder v = new StringBuilder();
      if (j < value.length() && value.charAt(j) == '"') {
        j++;
        while (j < value.length() && value.charAt(j) != '"') {
          char c = value.charAt(j);
          if (c == '\\' && j + 1 < value.length()) {
            c = value.charAt(++j);
          }
          v.append(c);
          j++;
        }
        j++; // closing quote
        int semi = value.indexOf(';', j);
        i = semi < 0 ? value.length() : semi;
      } else {
        int semi = value.indexOf(';', j);
        int end = semi < 0 ? value.length() : semi;
        v.append(value, j, end);
        i = end;
      }
      into.putIfAbsent(key, v.toString().trim());
    }
  }

  /** A CRLF-terminated header line (UTF-8, as browsers send field names and file names). */
  private String line() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      if (pos >= lim && !fill()) {
        throw malformed("The body of your POST request is not well-formed multipart/form-data.");
      }
      byte b = buf[pos++];
      count(1);
      if (b == '\n') {
        byte[] bytes = out.toByteArray();
        int n =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
      }
      out.write(b);
      if (out.size() > MAX_HEADER_LINE) {
        throw malformed("The body of your POST request is not well-formed multipart/form-data.");
      }
    }
  }

  /** A field's value, up to the next delimiter, counted against the limit. */
  private void copyPart(ByteArrayOutputStream out) throws IOException {
    while (true) {
      int found = find();
      int end = found >= 0 ? found : Math.max(pos, lim - delimiter.length + 1);
      count(end - pos);
      out.write(buf, pos, end - pos);
      pos = end;
      if (found >= 0) {
        pos = found + delimiter.length;
        return;
      }
      if (!fill()) {
        throw malformed("The body of your POST request is not well-formed multipart/form-data.");
      }
    }
  }

  private void count(long n) {
    preamble += n;
    if (preamble > MAX_FIELDS_BYTES) {
      throw new S3Exception(
          S3ErrorCode.MAX_POST_PRE_DATA_LENGTH_EXCEEDED,
          "Your POST request fields preceeding the upload file was too large.");
    }
  }

  /** Index of the delimiter in {@code buf[pos, lim)}, or -1. */
  private int find() {
    outer:
    for (int i = pos; i <= lim - delimiter.length; i++) {
      for (int j = 0; j < delimiter.length; j++) {
        if (buf[i + j] != delimiter[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Moves the unread bytes to the front and reads more; false at the end of the body. */
  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
      lim -= pos;
      pos = 0;
    }
    int n = in.read(buf, lim, buf.length - lim);
    if (n < 0) {
      eof = true;
      return false;
    }
    lim += n;
    return true;
  }

  private void require(int n) throws IOException {
    while (lim - pos < n) {
      if (!fill()) {
        throw malformed("The body of your POST request is not well-formed multipart/form-data.");
      }
    }
  }

  static S3Exception malformed(String message) {
    return new S3Exception(S3ErrorCode.MALFORMED_POST_REQUEST, message);
  }

  /** The file's content: ends at the delimiter; a body that ends first is an error. */
  private final class PartStream extends InputStream {
    private boolean done;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      while (true) {
        int found = find();
        int end = found >= 0 ? found : Math.max(pos, lim - delimiter.length + 1);
        if (end > pos) {
          int n = Math.min(len, end - pos);
          System.arraycopy(buf, pos, b, off, n);
          pos += n;
          return n;
        }
        if (found >= 0) {
          pos = found + delimiter.length;
          done = true;
          return -1;
        }
        if (!fill()) {
          throw new IOException("the form ended before the end of the file field");
        }
      }
    }
  }
}

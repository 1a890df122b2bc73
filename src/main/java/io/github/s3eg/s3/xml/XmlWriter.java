package io.github.s3eg.s3.xml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Builds the small XML documents S3 answers with (listings, errors, results). Escapes text and
 * drops characters that XML 1.0 cannot carry, so a key with control characters cannot break the
 * document (clients that need such keys ask for {@code encoding-type=url}).
 */
public final class XmlWriter {

  public static final String S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

  private final StringBuilder out = new StringBuilder(512);
  private final Deque<String> open = new ArrayDeque<>();

  public XmlWriter() {
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  }

  /** Opens the root element in the S3 namespace. */
  public XmlWriter root(String name) {
    out.append('<').append(name).append(" xmlns=\"").append(S3_NAMESPACE).append("\">");
    open.push(name);
    return this;
  }

  /** Opens an element without namespace (error documents have none). */
  public XmlWriter start(String name) {
    out.append('<').append(name).append('>');
    open.push(name);
    return this;
  }

  public XmlWriter end() {
    out.append("</").append(open.pop()).append('>');
    return this;
  }

  /** A text element; a null value writes nothing. */
  public XmlWriter element(String name, Object value) {
    if (value == null) {
      return this;
    }
    out.append('<').append(name).append('>');
    escape(String.valueOf(value));
    out.append("</").append(name).append('>');
    return this;
  }

  /** Text content inside the element opened last. */
  public XmlWriter text(String value) {
    escape(value);
    return this;
  }

  public byte[] toBytes() {
    while (!open.isEmpty()) {
      end();
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void escape(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          if (c == '\t' || c == '\n' || c == '\r') {
            out.append("&#").append((int) c).append(';');
          } else if (c >= 0x20 && c != 0xFFFE && c != 0xFFFF) {
            out.append(c);
          }
        }
      }
    }
  }
}

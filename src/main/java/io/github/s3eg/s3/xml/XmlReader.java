package io.github.s3eg.s3.xml;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the small XML documents clients send (Delete, CreateBucketConfiguration,
 * CompleteMultipartUpload) into a tiny element tree, refusing what an attacker would send instead:
 * DOCTYPEs (so no entity expansion, no external entities), bodies over {@link #MAX_BYTES}, and
 * nesting deeper than {@link #MAX_DEPTH}. Any violation is MalformedXML.
 */
public final class XmlReader {

  /** Larger than any legitimate document (1,000 keys of 1,024 bytes plus markup). */
  public static final int MAX_BYTES = 2 * 1024 * 1024;

  static final int MAX_DEPTH = 16;

  private static final XMLInputFactory FACTORY = createFactory();

  private XmlReader() {}

  /** A parsed element: local name, text content and children. */
  public record Element(String name, String text, List<Element> children) {

    public List<Element> all(String childName) {
      return children.stream().filter(c -> c.name.equals(childName)).toList();
    }

    public String childText(String childName) {
      for (Element c : children) {
        if (c.name.equals(childName)) {
          return c.text;
        }
      }
      return null;
    }
  }

  /** Reads at most {@link #MAX_BYTES} from {@code body} and parses it. */
  public static Element parse(InputStream body) throws IOException {
    return parse(body.readNBytes(MAX_BYTES + 1));
  }

  /** Parses a document of at most {@link #MAX_BYTES} (callers read {@code MAX_BYTES + 1}). */
  public static Element parse(byte[] bytes) {
    if (bytes.length == 0) {
      throw malformed("The XML you provided was empty.");
    }
    if (bytes.length > MAX_BYTES) {
      throw malformed("The XML you provided was too large.");
    }
    try {
      XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(bytes));
      try {
        while (reader.hasNext()) {
          int event = reader.next();
          if (event == XMLStreamConstants.DTD) {
            throw malformed("DOCTYPE is not allowed.");
          }
          if (event == XMLStreamConstants.START_ELEMENT) {
            return readElement(reader, 1);
          }
        }
        throw malformed("The XML you provided has no root element.");
      } finally {
        reader.close();
      }
    } catch (XMLStreamException | RuntimeException e) {
      if (e instanceof S3Exception s3) {
        throw s3;
      }
      throw malformed(
          "The XML you provided was not well-formed or did not validate against our published schema.");
    }
  }

  private static Element readElement(XMLStreamReader reader, int depth) throws XMLStreamException {
    if (depth > MAX_DEPTH) {
      throw malformed("The XML you provided is nested too deeply.");
    }
    String name = reader.getLocalName();
    StringBuilder text = new StringBuilder();
    List<Element> children = new ArrayList<>();
    while (reader.hasNext()) {
      int event = reader.next();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT -> children.add(readElement(reader, depth + 1));
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
            text.append(reader.getText());
        case XMLStreamConstants.END_ELEMENT -> {
          return new Element(
              name,
              children.isEmpty() ? text.toString() : text.toString().strip(),
              List.copyOf(children));
        }
        case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE ->
            throw malformed("Entities are not allowed.");
        default -> {}
      }
    }
    throw malformed("The XML you provided was not well-formed.");
  }

  private static S3Exception malformed(String message) {
    return new S3Exception(S3ErrorCode.MALFORMED_XML, message);
  }

  private static XMLInputFactory createFactory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    return f;
  }
}

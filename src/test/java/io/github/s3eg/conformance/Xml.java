package io.github.s3eg.conformance;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * An S3 XML body read without namespaces, so that paths are plain element names: {@code
 * /ListBucketResult/Contents/Key}.
 */
public final class Xml {

  private final Document doc;
  private final XPath xpath = XPathFactory.newInstance().newXPath();

  private Xml(Document doc) {
    this.doc = doc;
  }

  public static Xml parse(byte[] body) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(false);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return new Xml(f.newDocumentBuilder().parse(new ByteArrayInputStream(body)));
    } catch (Exception e) {
      throw new IllegalArgumentException("not XML: " + e.getMessage(), e);
    }
  }

  /** The text of the first element at {@code path}, or null when there is none. */
  public String text(String path) {
    List<String> all = all(path);
    return all.isEmpty() ? null : all.get(0);
  }

  /** The texts of every element at {@code path}, in document order. */
  public List<String> all(String path) {
    try {
      NodeList nodes = (NodeList) xpath.evaluate(path, doc, XPathConstants.NODESET);
      List<String> out = new ArrayList<>();
      for (int i = 0; i < nodes.getLength(); i++) {
        out.add(nodes.item(i).getTextContent());
      }
      return out;
    } catch (Exception e) {
      throw new IllegalArgumentException("bad path " + path, e);
    }
  }

  /** Whether an element exists at {@code path}. */
  public boolean has(String path) {
    return !all(path).isEmpty();
  }

  /** The name of the document element. */
  public String root() {
    return doc.getDocumentElement().getNodeName();
  }
}

package io.github.s3eg.s3.xml;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzzes the reader of client XML (Delete, CreateBucketConfiguration, CompleteMultipartUpload):
 * whatever the bytes, it returns a tree no deeper than its limit or fails with MalformedXML;
 * anything else is a bug. The JDK's parser itself is not instrumented, so the seeds (valid
 * documents and known attacks) and the dictionary carry the fuzzer into the gateway's own code.
 */
class XmlReaderFuzzTest {

  @FuzzTest(maxDuration = "4s")
  @DictionaryEntries({
    "<Delete>",
    "</Delete>",
    "<Object>",
    "<Key>",
    "</Key>",
    "<Quiet>true</Quiet>",
    "<CompleteMultipartUpload>",
    "<Part><PartNumber>1</PartNumber><ETag>\"e\"</ETag></Part>",
    "<CreateBucketConfiguration><LocationConstraint>",
    "<!DOCTYPE",
    "<!ENTITY",
    "&amp;",
    "&#x0;",
    "<![CDATA[",
    "]]>",
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
    " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\""
  })
  void anyBytesParseOrAreMalformedXml(byte[] input) throws IOException {
    try {
      XmlReader.Element root = XmlReader.parse(new ByteArrayInputStream(input));
      checkTree(root, 1);
    } catch (S3Exception e) {
      if (e.errorCode() != S3ErrorCode.MALFORMED_XML) {
        throw new AssertionError("unexpected error code " + e.errorCode(), e);
      }
    }
  }

  private static void checkTree(XmlReader.Element e, int depth) {
    if (depth > XmlReader.MAX_DEPTH) {
      throw new AssertionError("tree deeper than " + XmlReader.MAX_DEPTH);
    }
    if (e.name() == null || e.name().isEmpty() || e.text() == null) {
      throw new AssertionError("incomplete element " + e.name());
    }
    for (XmlReader.Element child : e.children()) {
      checkTree(child, depth + 1);
    }
  }
}

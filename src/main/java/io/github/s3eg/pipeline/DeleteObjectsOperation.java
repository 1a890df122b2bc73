package io.github.s3eg.pipeline;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.xml.XmlReader;
import io.github.s3eg.s3.xml.XmlWriter;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * DeleteObjects ({@code POST ?delete}): reads the client's {@code <Delete>} document (at most 1,000
 * keys, as on S3), deletes through camel-aws2-s3, and answers S3's {@code DeleteResult} (only
 * errors in quiet mode).
 */
public final class DeleteObjectsOperation {

  static final int MAX_KEYS = 1000;

  /** Exchange property: whether the client asked for quiet mode. */
  static final String QUIET = "s3DeleteQuiet";

  public void deleteObjectsRequest(Exchange exchange) throws IOException {
    S3Request s3 = ObjectOperations.request(exchange);
    InputStream body = exchange.getIn().getBody(InputStream.class);
    if (body == null) {
      throw new S3Exception(S3ErrorCode.MALFORMED_XML, "The XML you provided was empty.");
    }
    XmlReader.Element delete = XmlReader.parse(body);
    if (!delete.name().equals("Delete")) {
      throw new S3Exception(S3ErrorCode.MALFORMED_XML, "Expected a Delete document.");
    }
    List<XmlReader.Element> objects = delete.all("Object");
    if (objects.isEmpty() || objects.size() > MAX_KEYS) {
      throw new S3Exception(
          S3ErrorCode.MALFORMED_XML, "A Delete document names between 1 and 1000 objects.");
    }
    List<ObjectIdentifier> ids = new ArrayList<>(objects.size());
    for (XmlReader.Element o : objects) {
      String key = o.childText("Key");
      if (key == null || key.isEmpty()) {
        throw new S3Exception(
            S3ErrorCode.MALFORMED_XML, "Every Object in a Delete document needs a Key.");
      }
      ids.add(ObjectIdentifier.builder().key(key).build());
    }
    boolean quiet = "true".equalsIgnoreCase(delete.childText("Quiet"));
    exchange.setProperty(QUIET, quiet);
    exchange
        .getIn()
        .setBody(
            DeleteObjectsRequest.builder()
                .bucket(s3.bucket())
                .delete(Delete.builder().objects(ids).quiet(quiet).build())
                .build());
  }

  public void deleteObjectsResponse(Exchange exchange) {
    DeleteObjectsResponse r = exchange.getIn().getBody(DeleteObjectsResponse.class);
    boolean quiet = Boolean.TRUE.equals(exchange.getProperty(QUIET, Boolean.class));
    XmlWriter xml = new XmlWriter().root("DeleteResult");
    if (!quiet) {
      for (DeletedObject d : r.deleted()) {
        xml.start("Deleted").element("Key", d.key()).end();
      }
    }
    for (S3Error e : r.errors()) {
      xml.start("Error")
          .element("Key", e.key())
          .element("Code", e.code())
          .element("Message", e.message())
          .end();
    }
    exchange.setProperty(S3Response.PROPERTY, S3Response.xml(200, xml.toBytes()));
  }
}

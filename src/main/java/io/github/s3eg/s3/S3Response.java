package io.github.s3eg.s3;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the gateway answers: status, the headers S3 would send (set explicitly, never copied from
 * the request), and a body that is absent, a small byte array (XML) or a stream of known length.
 * Built by the pipeline beans, written by {@code sendResponse}; kept in the exchange property
 * {@value #PROPERTY}.
 */
public final class S3Response {

  public static final String PROPERTY = "s3Response";

  private final int status;
  private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private byte[] bytes;
  private InputStream stream;
  private long streamLength = -1;
  private AutoCloseable streamRelease;

  private S3Response(int status) {
    this.status = status;
  }

  public static S3Response status(int status) {
    return new S3Response(status);
  }

  public static S3Response xml(int status, byte[] xml) {
    S3Response r = new S3Response(status);
    r.bytes = xml;
    r.header("Content-Type", "application/xml");
    return r;
  }

  /**
   * A streamed body of exactly {@code length} bytes. {@code release} runs when sending ends, with
   * or without success (close the source, or abort it so the backend connection is not drained).
   */
  public S3Response stream(InputStream body, long length, AutoCloseable release) {
    this.stream = body;
    this.streamLength = length;
    this.streamRelease = release;
    return this;
  }

  /** Sets a header (replacing earlier values); a null value is ignored. */
  public S3Response header(String name, String value) {
    if (value != null) {
      List<String> values = new ArrayList<>(1);
      values.add(value);
      headers.put(name, values);
    }
    return this;
  }

  public int status() {
    return status;
  }

  public Map<String, List<String>> headers() {
    return new LinkedHashMap<>(headers);
  }

  public String headerValue(String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  public byte[] bytes() {
    return bytes;
  }

  public InputStream stream() {
    return stream;
  }

  public long streamLength() {
    return streamLength;
  }

  public AutoCloseable streamRelease() {
    return streamRelease;
  }
}

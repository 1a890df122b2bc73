package io.github.s3eg.ops;

import io.github.s3eg.s3.S3Request;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per answered request on the logger {@code s3eg.access}, as text ({@code GET /bucket/key
 * 10.0.0.7 200 1234B 12.5ms id=…}) or as one JSON object ({@code LOG_FORMAT=json}). The line names
 * the resource, never the query string: presigned URLs carry their signature and credential there.
 */
public final class AccessLog implements RequestListener {

  private static final Logger ACCESS = LoggerFactory.getLogger("s3eg.access");

  /** How the line is written. */
  public enum Format {
    TEXT,
    JSON
  }

  private final Format format;

  public AccessLog(Format format) {
    this.format = format;
  }

  @Override
  public void completed(Completed c) {
    if (!ACCESS.isInfoEnabled()) {
      return;
    }
    S3Request request = c.request();
    String method = request == null ? c.httpMethod() : request.method();
    String resource = request == null ? "-" : "/" + request.resource();
    String client = request == null ? "-" : request.clientAddress();
    double millis = (System.nanoTime() - c.startNanos()) / 1000 / 1000.0;
    if (format == Format.TEXT) {
      ACCESS.info(
          "{} {} {} {} {}B {}ms id={}",
          method,
          resource,
          client,
          c.status(),
          c.bytes(),
          millis,
          c.requestId());
      return;
    }
    StringBuilder json = new StringBuilder(256).append('{');
    Json.field(json, "time", Instant.now().toString());
    Json.field(json, "request_id", c.requestId());
    Json.field(json, "method", method);
    Json.field(json, "resource", resource);
    Json.field(json, "client", client);
    Json.field(json, "principal", c.principal());
    Json.field(json, "status", c.status());
    Json.field(json, "bytes", c.bytes());
    Json.field(json, "duration_ms", millis);
    Json.field(json, "error", c.errorCode());
    if (c.aborted()) {
      Json.field(json, "aborted", true);
    }
    json.setLength(json.length() - 1);
    ACCESS.info(json.append('}').toString());
  }
}

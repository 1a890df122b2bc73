package io.github.s3eg.it;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Objects a test writes to one bucket, remembered by key to compare with what is read back. */
final class WrittenObjects {

  private final String bucket;
  private final Map<String, byte[]> contents = new HashMap<>();

  WrittenObjects(String bucket) {
    this.bucket = bucket;
  }

  /** Writes {@code content} in one PutObject; {@code contentType} may be null. */
  void put(S3Client s3, String key, byte[] content, String contentType) {
    s3.putObject(
        b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(content));
    contents.put(key, content);
  }

  /** Writes {@code content} in a multipart upload of {@code partSize}-byte parts. */
  void multipart(S3Client s3, String key, byte[] content, int partSize) {
    TestObjects.multipart(s3, bucket, key, content, partSize);
    contents.put(key, content);
  }

  /** What was written under {@code key}, or null. */
  byte[] get(String key) {
    return contents.get(key);
  }

  Map<String, byte[]> byKey() {
    return Collections.unmodifiableMap(contents);
  }
}

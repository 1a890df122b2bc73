package io.github.s3eg.conformance.cases;

import static io.github.s3eg.conformance.CaseContext.bytes;
import static io.github.s3eg.conformance.CaseContext.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.conformance.CaseTable;

/** PutObject, GetObject, HeadObject, DeleteObject: bodies, ETags, sizes, missing keys. */
final class ObjectCases {

  private ObjectCases() {}

  static void addTo(CaseTable t) {
    t.add(
        "objects/put-get-round-trip",
        "GetObject returns exactly the bytes PutObject stored",
        c -> {
          byte[] body = bytes(100_000);
          c.put("k", body);
          assertThat(c.get("k")).isEqualTo(body);
        });
    t.add(
        "objects/get-missing-key",
        "GetObject of a key that does not exist: 404 NoSuchKey",
        c -> expectError(404, "NoSuchKey", () -> c.get("missing")));
  }
}

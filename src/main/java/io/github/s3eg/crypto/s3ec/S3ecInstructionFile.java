package io.github.s3eg.crypto.s3ec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3eg.crypto.CryptoException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * An S3EC instruction file ({@code key + ".instruction"}): one JSON object of string values, the
 * content metadata entries the object itself does not carry. Parsed strictly: duplicate names,
 * non-string values and anything over {@value #MAX_BYTES} bytes are refused.
 */
public final class S3ecInstructionFile {

  /** Far above what the S3EC writes (a few hundred bytes). */
  public static final int MAX_BYTES = 64 * 1024;

  private static final ObjectMapper MAPPER =
      new ObjectMapper(
          JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private S3ecInstructionFile() {}

  public static Map<String, String> parse(byte[] json) throws CryptoException {
    if (json.length > MAX_BYTES) {
      throw new CryptoException.MalformedMetadata("the instruction file is too large");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new CryptoException.MalformedMetadata("the instruction file is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new CryptoException.MalformedMetadata("the instruction file is not a JSON object");
    }
    Map<String, String> entries = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new CryptoException.MalformedMetadata(
            "instruction file entry " + e.getKey() + " is not a string");
      }
      entries.put(e.getKey(), e.getValue().textValue());
    }
    return entries;
  }
}

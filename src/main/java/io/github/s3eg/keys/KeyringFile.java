package io.github.s3eg.keys;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * Parses a keyring file: versioned 256-bit KEKs for {@link KeyringKeyManager}.
 *
 * <pre>{@code
 * {
 *   "id": "local",                 // optional, default "keyring"; stored with every object
 *   "active": 2,                   // optional, default: the highest version
 *   "keys": [
 *     {"version": 1, "key": "<base64 of 32 random bytes>"},
 *     {"version": 2, "key": "<base64 of 32 random bytes>"}
 *   ]
 * }
 * }</pre>
 *
 * <p>Parsing is strict (unknown or duplicate fields, duplicate versions, keys that are not exactly
 * 32 bytes of standard base64 are errors) and error messages locate the problem without echoing key
 * material. Comments are not JSON and are rejected.
 */
final class KeyringFile {

  static final String DEFAULT_ID = "keyring";
  static final int KEY_BYTES = 32;
  private static final int MAX_FILE_BYTES = 1 << 20;

  private static final ObjectMapper MAPPER =
      new ObjectMapper(
              JsonFactory.builder()
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** A parsed keyring: which versions exist and may be read, and their AES keys. */
  record Keyring(KekVersions versions, Map<Integer, SecretKeySpec> keys) {}

  /** Thrown for an unusable keyring file; the message is safe to log. */
  static final class InvalidKeyringException extends Exception {
    InvalidKeyringException(String message) {
      super(message);
    }
  }

  private KeyringFile() {}

  static Keyring parse(byte[] content, int window) throws InvalidKeyringException {
    if (content.length > MAX_FILE_BYTES) {
      throw new InvalidKeyringException("file is larger than 1 MiB");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(content);
    } catch (JsonProcessingException e) {
      throw new InvalidKeyringException(
          "not valid JSON (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ")");
    } catch (IOException e) {
      throw new InvalidKeyringException("unreadable");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidKeyringException("top level must be a JSON object");
    }
    onlyFields(root, Set.of("id", "active", "keys"), "top level");
    String id = DEFAULT_ID;
    if (root.has("id")) {
      if (!root.get("id").isTextual()) {
        throw new InvalidKeyringException("'id' must be a string");
      }
      id = root.get("id").textValue();
    }
    OptionalInt active = OptionalInt.empty();
    if (root.has("active")) {
      active = OptionalInt.of(nonNegativeInt(root.get("active"), "'active'"));
    }
    JsonNode entries = root.get("keys");
    if (entries == null || !entries.isArray() || entries.isEmpty()) {
      throw new InvalidKeyringException("'keys' must be a non-empty array");
    }
    List<KeyReference> references = new ArrayList<>();
    Map<Integer, SecretKeySpec> keys = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      String where = "keys[" + i + "]";
      JsonNode entry = entries.get(i);
      if (!entry.isObject()) {
        throw new InvalidKeyringException(where + " must be an object");
      }
      onlyFields(entry, Set.of("version", "key"), where);
      int version = nonNegativeInt(entry.get("version"), where + ".version");
      SecretKeySpec key = aesKey(entry.get("key"), where + ".key");
      if (keys.putIfAbsent(version, key) != null) {
        throw new InvalidKeyringException("version " + version + " is listed twice");
      }
      try {
        references.add(new KeyReference(id, version));
      } catch (IllegalArgumentException e) {
        throw new InvalidKeyringException("'id' " + e.getMessage());
      }
    }
    try {
      return new Keyring(new KekVersions(references, active, window), Map.copyOf(keys));
    } catch (IllegalArgumentException e) {
      throw new InvalidKeyringException(e.getMessage());
    }
  }

  private static void onlyFields(JsonNode node, Set<String> allowed, String where)
      throws InvalidKeyringException {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new InvalidKeyringException(
            "unknown field in " + where + " (allowed: " + String.join(", ", allowed) + ")");
      }
    }
  }

  private static int nonNegativeInt(JsonNode node, String what) throws InvalidKeyringException {
    if (node == null || !node.isInt() || node.intValue() < 0) {
      throw new InvalidKeyringException(what + " must be a non-negative integer");
    }
    return node.intValue();
  }

  private static SecretKeySpec aesKey(JsonNode node, String what) throws InvalidKeyringException {
    if (node == null || !node.isTextual()) {
      throw new InvalidKeyringException(what + " must be a base64 string");
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(node.textValue());
    } catch (IllegalArgumentException e) {
      throw new InvalidKeyringException(what + " is not valid base64");
    }
    try {
      if (raw.length != KEY_BYTES) {
        throw new InvalidKeyringException(
            what + " must decode to " + KEY_BYTES + " bytes, not " + raw.length);
      }
      return new SecretKeySpec(raw, "AES");
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }
}

package io.github.s3eg.crypto;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.s3eg.keys.KeyManager;
import io.github.s3eg.keys.TestKeyManagers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fuzzes the object-format parser and decryptor with tampered objects: real encrypted objects (both
 * algorithms, with and without the ETag trailer) whose metadata, name and body the fuzzer edits,
 * read whole or by range. The oracle is the format's promise: opening fails with a typed {@link
 * CryptoException}, reading fails with a {@link CryptoIOException}, or the bytes released are
 * exactly the original plaintext. Any other exception, or any other byte, is a bug.
 */
class ObjectFormatFuzzTest {

  private static final KeyManager KEYS =
      TestKeyManagers.fastPassword("fuzz-test-password", new AtomicInteger());
  private static final ObjectDecryptor DECRYPTOR = new ObjectDecryptor(KEYS);
  private static final String BUCKET = "fuzz-bucket";
  private static final String KEY = "dir/object";
  private static final List<Stored> OBJECTS = new ArrayList<>();

  private record Stored(Map<String, String> metadata, byte[] body, byte[] plaintext) {}

  static {
    try {
      storeObjects();
    } catch (CryptoException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static void storeObjects() throws CryptoException {
    int seed = 1;
    for (Algorithm algorithm : Algorithm.values()) {
      for (int size : new int[] {0, 5, 40_000}) {
        EncryptionSession s =
            new ObjectEncryptor(KEYS, algorithm, SegmentLayout.MIN_CONFIGURABLE_SEGMENT_SIZE)
                .begin(BUCKET, KEY);
        byte[] plaintext = Streams.randomBytes(seed++, size);
        byte[] body = Streams.readAll(s.encrypt(new ByteArrayInputStream(plaintext)));
        OBJECTS.add(new Stored(s.completeMetadata(), body, plaintext));
        OBJECTS.add(new Stored(s.metadata(), body, plaintext));
      }
    }
  }

  @FuzzTest(maxDuration = "4s")
  void tamperedObjectsFailTypedOrYieldTheOriginal(FuzzedDataProvider data) {
    Stored original = data.pickValue(OBJECTS);
    Map<String, String> metadata = new LinkedHashMap<>(original.metadata());
    List<String> names = new ArrayList<>(metadata.keySet());
    int metadataEdits = data.consumeInt(0, 2);
    for (int i = 0; i < metadataEdits; i++) {
      switch (data.consumeInt(0, 3)) {
        case 0 -> metadata.put(data.pickValue(names), data.consumeString(120));
        case 1 -> metadata.remove(data.pickValue(names));
        case 2 -> metadata.put(data.consumeString(20), data.consumeString(60));
        default -> {
          // An entry of another object: well-formed, but not this object's.
          String name = data.pickValue(names);
          String other = data.pickValue(OBJECTS).metadata().get(name);
          if (other != null) {
            metadata.put(name, other);
          }
        }
      }
    }
    String bucket = data.consumeBoolean() ? BUCKET : name(data.consumeString(20), BUCKET);
    String key = data.consumeBoolean() ? KEY : name(data.consumeString(40), KEY);
    byte[] body = editBody(data, original.body());
    boolean ranged = data.consumeBoolean();
    long a = data.consumeLong(0, Math.max(0, original.plaintext().length - 1));
    long b = data.consumeLong(0, Math.max(0, original.plaintext().length - 1));

    OpenedObject opened;
    try {
      opened = DECRYPTOR.open(bucket, key, metadata);
    } catch (CryptoException expected) {
      return;
    }
    byte[] released;
    int first;
    try {
      if (!ranged) {
        released = readAll(opened.decrypt(new ByteArrayInputStream(body)));
        first = 0;
      } else {
        long plaintextSize = opened.plaintextSize(body.length);
        if (plaintextSize == 0) {
          return;
        }
        long firstPlain = Math.min(Math.min(a, b), plaintextSize - 1);
        long lastPlain = Math.min(Math.max(a, b), plaintextSize - 1);
        CiphertextRange range = opened.rangeFor(firstPlain, lastPlain, plaintextSize);
        int from = (int) Math.min(range.ciphertextFirst(), body.length);
        int to = (int) Math.min(range.ciphertextLast() + 1, body.length);
        released =
            readAll(
                opened.decryptRange(
                    new ByteArrayInputStream(Arrays.copyOfRange(body, from, to)), range));
        first = (int) firstPlain;
      }
    } catch (CryptoException | CryptoIOException expected) {
      return;
    } catch (IOException e) {
      throw new AssertionError("untyped IOException", e);
    }
    byte[] plaintext = original.plaintext();
    if (first + released.length > plaintext.length
        || !Arrays.equals(
            released, Arrays.copyOfRange(plaintext, first, first + released.length))) {
      throw new AssertionError("released bytes that are not the original plaintext");
    }
    if (!ranged && released.length != plaintext.length) {
      throw new AssertionError(
          "released " + released.length + " of " + plaintext.length + " bytes without an error");
    }
  }

  /**
   * {@code candidate} if it could be an S3 name: non-empty, valid Unicode (the request parser
   * decodes names strictly, so no other string reaches the decryptor).
   */
  private static String name(String candidate, String fallback) {
    boolean valid =
        !candidate.isEmpty()
            && new String(candidate.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                .equals(candidate);
    return valid ? candidate : fallback;
  }

  private static byte[] editBody(FuzzedDataProvider data, byte[] body) {
    byte[] edited = body.clone();
    int edits = data.consumeInt(0, 3);
    for (int i = 0; i < edits; i++) {
      switch (data.consumeInt(0, 2)) {
        case 0 -> {
          if (edited.length > 0) {
            int at = data.consumeInt(0, edited.length - 1);
            edited[at] ^= (byte) data.consumeInt(1, 255);
          }
        }
        case 1 -> edited = Arrays.copyOf(edited, data.consumeInt(0, edited.length));
        default -> {
          byte[] tail = data.consumeBytes(64);
          byte[] longer = Arrays.copyOf(edited, edited.length + tail.length);
          System.arraycopy(tail, 0, longer, edited.length, tail.length);
          edited = longer;
        }
      }
    }
    return edited;
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }
}

package io.github.s3eg.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every way to damage a body fails with its own typed error, and a reader never receives a byte of
 * a segment that did not verify: what was released before the failure is always exactly the
 * plaintext of the segments before the damaged one.
 *
 * <p>Two reading modes: "known size" (the object's size is authenticated by its trailer, or a range
 * is read) and "lookahead" (Tink's way, size unknown).
 */
class BodyTamperTest {

  private static final SegmentLayout LAYOUT = SegmentLayout.of(64);
  private static final byte[] AD = ObjectFormat.singleObjectBodyAssociatedData();

  /** Small reads go through the internal buffer, large ones get whole segments directly. */
  private static final int[] READ_CHUNKS = {7, 4096};

  /** An encrypted body and what produced it. */
  private record Body(
      Algorithm algorithm,
      SegmentedAead aead,
      StreamHeader header,
      byte[] plaintext,
      byte[] ciphertext) {

    static Body of(Algorithm algorithm, int size, long seed) {
      SegmentedAead aead = new SegmentedAead(algorithm, LAYOUT, Streams.randomBytes(seed, 32));
      StreamHeader header =
          new StreamHeader(Streams.randomBytes(seed + 1, 32), Streams.randomBytes(seed + 2, 7));
      byte[] plaintext = Streams.randomBytes(seed + 3, size);
      byte[] ciphertext =
          Streams.readAll(
              aead.newEncryptingStream(
                  new ByteArrayInputStream(plaintext), header, AD, new PlaintextDigests(Set.of())));
      return new Body(algorithm, aead, header, plaintext, ciphertext);
    }

    long segments() {
      return LAYOUT.segmentCount(plaintext.length);
    }

    /** Body offset where segment {@code k} starts ({@code k == segments()} → the end). */
    int start(long k) {
      return k == segments() ? ciphertext.length : (int) LAYOUT.ciphertextOffsetOfSegment(k);
    }

    /** Plaintext bytes before segment {@code k}. */
    int plaintextBefore(long k) {
      return k == segments() ? plaintext.length : (int) LAYOUT.plaintextOffsetOfSegment(k);
    }

    Streams.Outcome readKnownSize(byte[] damaged) {
      return readEachWay(
          () ->
              aead.newDecryptingStream(
                  new ByteArrayInputStream(damaged), header, AD, plaintext.length));
    }

    Streams.Outcome readLookahead(byte[] damaged) {
      return readEachWay(() -> aead.newDecryptingStream(new ByteArrayInputStream(damaged), AD));
    }

    /** The failure has the type, and exactly the plaintext before segment {@code k} came out. */
    void assertFailure(
        Streams.Outcome outcome, Class<? extends CryptoException> type, long k, String what) {
      assertThat(outcome.crypto()).as(what).isInstanceOf(type);
      assertThat(outcome.released())
          .as(what + ": released plaintext")
          .isEqualTo(Arrays.copyOf(plaintext, plaintextBefore(k)));
    }

    /** Index of the segment containing body offset {@code offset} (header → -1). */
    long segmentAt(int offset) {
      for (long k = segments() - 1; k >= 0; k--) {
        if (offset >= start(k)) {
          return k;
        }
      }
      return -1;
    }
  }

  /** Reads with every chunk size; the outcomes must agree exactly. */
  private static Streams.Outcome readEachWay(Supplier<InputStream> stream) {
    Streams.Outcome first = null;
    for (int chunk : READ_CHUNKS) {
      Streams.Outcome o = Streams.drain(stream.get(), chunk);
      if (first == null) {
        first = o;
      } else {
        assertThat(o.released())
            .as("released with %d-byte reads", chunk)
            .isEqualTo(first.released());
        assertThat(o.failure() == null ? null : o.crypto().getClass())
            .as("failure with %d-byte reads", chunk)
            .isEqualTo(first.failure() == null ? null : first.crypto().getClass());
      }
    }
    return first;
  }

  private static byte[] cut(byte[] b, int length) {
    return Arrays.copyOf(b, length);
  }

  private static byte[] splice(byte[] body, int from, int to, byte[] replacement) {
    return Streams.concat(
        Arrays.copyOfRange(body, 0, from), replacement, Arrays.copyOfRange(body, to, body.length));
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void everySingleBitFlipIsCaughtAtItsSegment(Algorithm algorithm) {
    Body body = Body.of(algorithm, 200, 1);
    for (int bit = 0; bit < body.ciphertext().length * 8; bit++) {
      byte[] damaged = body.ciphertext().clone();
      damaged[bit / 8] ^= (byte) (1 << (bit % 8));
      long k = body.segmentAt(bit / 8);
      String what = "bit " + bit;
      if (k < 0) {
        body.assertFailure(
            body.readKnownSize(damaged), CryptoException.HeaderMismatch.class, 0, what);
        body.assertFailure(
            body.readLookahead(damaged),
            bit < 8 ? CryptoException.HeaderMismatch.class : CryptoException.TamperedSegment.class,
            0,
            what);
      } else {
        Streams.Outcome known = body.readKnownSize(damaged);
        body.assertFailure(known, CryptoException.TamperedSegment.class, k, what);
        assertThat(((CryptoException.TamperedSegment) known.crypto()).segmentIndex()).isEqualTo(k);
        body.assertFailure(
            body.readLookahead(damaged), CryptoException.TamperedSegment.class, k, what);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void truncationAnywhereIsCaught(Algorithm algorithm) {
    // 152 bytes end exactly on a segment boundary, 200 bytes inside the final segment.
    for (int size : new int[] {152, 200}) {
      Body body = Body.of(algorithm, size, 2);
      for (int length = 0; length < body.ciphertext().length; length++) {
        byte[] damaged = cut(body.ciphertext(), length);
        String what = "size " + size + " cut at " + length;
        long firstIncomplete = length < 40 ? 0 : body.segmentAt(length);
        body.assertFailure(
            body.readKnownSize(damaged),
            CryptoException.TruncatedCiphertext.class,
            firstIncomplete,
            what);

        Streams.Outcome lookahead = body.readLookahead(damaged);
        int intoSegment = length - body.start(Math.max(firstIncomplete, 0));
        if (length <= 40) {
          body.assertFailure(lookahead, CryptoException.TruncatedCiphertext.class, 0, what);
        } else if (intoSegment == 0) {
          // Cut at a boundary: the segment before it is complete but not the final one.
          body.assertFailure(
              lookahead, CryptoException.TruncatedCiphertext.class, firstIncomplete - 1, what);
        } else if (intoSegment < SegmentLayout.TAG_SIZE) {
          body.assertFailure(
              lookahead, CryptoException.TruncatedCiphertext.class, firstIncomplete, what);
        } else {
          // Inside a segment, without the size, a cut looks like damage to the last segment.
          body.assertFailure(
              lookahead, CryptoException.TamperedSegment.class, firstIncomplete, what);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void bytesAfterTheFinalSegmentAreCaught(Algorithm algorithm) {
    for (int size : new int[] {152, 200}) {
      Body body = Body.of(algorithm, size, 3);
      long last = body.segments() - 1;
      byte[] finalSegment =
          Arrays.copyOfRange(body.ciphertext(), body.start(last), body.ciphertext().length);
      for (byte[] extra : new byte[][] {{0}, new byte[16], new byte[100], finalSegment}) {
        byte[] damaged = Streams.concat(body.ciphertext(), extra);
        String what = "size " + size + " plus " + extra.length;
        body.assertFailure(
            body.readKnownSize(damaged), CryptoException.TrailingData.class, last, what);
        body.assertFailure(
            body.readLookahead(damaged),
            size == 152
                ? CryptoException.TrailingData.class
                : CryptoException.TamperedSegment.class,
            last,
            what);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void droppedDuplicatedSwappedAndSplicedSegmentsAreCaught(Algorithm algorithm) {
    Body body = Body.of(algorithm, 246, 4); // segments of 24, 64, 64, 64, 30 bytes
    Body other = Body.of(algorithm, 246, 40);
    byte[] c = body.ciphertext();
    byte[] seg1 = Arrays.copyOfRange(c, body.start(1), body.start(2));
    byte[] seg2 = Arrays.copyOfRange(c, body.start(2), body.start(3));

    record Case(String what, byte[] damaged, Class<? extends CryptoException> type, long k) {}
    Case[] cases = {
      new Case(
          "drop segment 0",
          splice(c, body.start(0), body.start(1), new byte[0]),
          CryptoException.TamperedSegment.class,
          0),
      new Case(
          "drop segment 2",
          splice(c, body.start(2), body.start(3), new byte[0]),
          CryptoException.TamperedSegment.class,
          2),
      new Case(
          "duplicate segment 2",
          splice(c, body.start(3), body.start(3), seg2),
          CryptoException.TamperedSegment.class,
          3),
      new Case(
          "swap segments 1 and 2",
          splice(c, body.start(1), body.start(3), Streams.concat(seg2, seg1)),
          CryptoException.TamperedSegment.class,
          1),
      new Case(
          "segment 2 from another object",
          splice(
              c,
              body.start(2),
              body.start(3),
              Arrays.copyOfRange(other.ciphertext(), body.start(2), body.start(3))),
          CryptoException.TamperedSegment.class,
          2),
      new Case(
          "drop the final segment",
          cut(c, body.start(4)),
          CryptoException.TruncatedCiphertext.class,
          3),
    };
    for (Case x : cases) {
      body.assertFailure(
          body.readLookahead(x.damaged()), x.type(), x.k(), x.what() + ", lookahead");
      long knownK = x.type() == CryptoException.TruncatedCiphertext.class ? 4 : x.k();
      body.assertFailure(
          body.readKnownSize(x.damaged()), x.type(), knownK, x.what() + ", known size");
    }
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void anotherObjectsBodyOrAnotherContextIsCaught(Algorithm algorithm) {
    Body body = Body.of(algorithm, 200, 5);
    Body other = Body.of(algorithm, 200, 50);
    body.assertFailure(
        body.readKnownSize(other.ciphertext()), CryptoException.HeaderMismatch.class, 0, "swap");
    body.assertFailure(
        body.readLookahead(other.ciphertext()), CryptoException.TamperedSegment.class, 0, "swap");

    byte[] otherAd = "s3eg/v1/part/2".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Streams.Outcome wrongAd =
        readEachWay(
            () ->
                body.aead()
                    .newDecryptingStream(new ByteArrayInputStream(body.ciphertext()), otherAd));
    body.assertFailure(wrongAd, CryptoException.TamperedSegment.class, 0, "associated data");
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void rangedReadsAreCheckedToo(Algorithm algorithm) {
    Body body = Body.of(algorithm, 246, 6);
    CiphertextRange r = LAYOUT.rangeFor(30, 160, 246); // segments 1..3
    byte[] fetched = Streams.slice(body.ciphertext(), r.ciphertextFirst(), r.ciphertextLast());
    byte[] expected = Streams.slice(body.plaintext(), 30, 160);

    Streams.Outcome ok = readRange(body, fetched, r);
    assertThat(ok.failure()).isNull();
    assertThat(ok.released()).isEqualTo(expected);

    byte[] flipped = fetched.clone();
    flipped[100] ^= 1; // inside segment 2
    Streams.Outcome tampered = readRange(body, flipped, r);
    assertThat(tampered.crypto()).isInstanceOf(CryptoException.TamperedSegment.class);
    assertThat(tampered.released()).isEqualTo(Arrays.copyOf(expected, 88 - 30));

    Streams.Outcome shortResponse = readRange(body, cut(fetched, fetched.length - 1), r);
    assertThat(shortResponse.crypto()).isInstanceOf(CryptoException.TruncatedCiphertext.class);
    assertThat(shortResponse.released()).isEqualTo(Arrays.copyOf(expected, 152 - 30));

    Streams.Outcome longResponse = readRange(body, Streams.concat(fetched, new byte[] {1}), r);
    assertThat(longResponse.crypto()).isInstanceOf(CryptoException.TrailingData.class);
    assertThat(longResponse.released()).isEqualTo(Arrays.copyOf(expected, 152 - 30));

    byte[] shifted =
        Streams.slice(body.ciphertext(), r.ciphertextFirst() + 80, r.ciphertextLast() + 80);
    Streams.Outcome wrongOffset = readRange(body, shifted, r);
    assertThat(wrongOffset.crypto()).isInstanceOf(CryptoException.TamperedSegment.class);
    assertThat(wrongOffset.released()).isEmpty();

    // The final segment read alone must carry the last-segment flag.
    CiphertextRange tail = LAYOUT.suffixRange(5, 246);
    byte[] notFinal = Streams.slice(body.ciphertext(), body.start(3), body.start(4) - 1);
    Streams.Outcome moved =
        readRange(body, Arrays.copyOf(notFinal, (int) tail.ciphertextLength()), tail);
    assertThat(moved.crypto()).isInstanceOf(CryptoException.TamperedSegment.class);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void aFailedDirectReadLeavesNoPlaintextInTheReadersBuffer(Algorithm algorithm) throws Exception {
    Body body = Body.of(algorithm, 200, 7);
    byte[] damaged = body.ciphertext().clone();
    damaged[body.start(1) + 3] ^= 1; // segment 1: plaintext bytes 24..87
    InputStream in =
        body.aead().newDecryptingStream(new ByteArrayInputStream(damaged), body.header(), AD, 200);
    byte[] buffer = new byte[4096];
    assertThat(in.read(buffer)).isEqualTo(24); // segment 0, straight into the buffer
    java.util.Arrays.fill(buffer, (byte) 0x55);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> in.read(buffer))
        .isInstanceOf(CryptoIOException.class);
    byte[] segment1 = Arrays.copyOfRange(body.plaintext(), 24, 88);
    byte[] written = Arrays.copyOf(buffer, 64);
    assertThat(written).isNotEqualTo(segment1);
    for (byte b : written) {
      assertThat(b).isIn((byte) 0, (byte) 0x55);
    }
  }

  private static Streams.Outcome readRange(Body body, byte[] fetched, CiphertextRange r) {
    return readEachWay(
        () ->
            body.aead()
                .newRangeDecryptingStream(new ByteArrayInputStream(fetched), body.header(), AD, r));
  }
}

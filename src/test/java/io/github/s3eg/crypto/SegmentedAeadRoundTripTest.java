package io.github.s3eg.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Property-style round trips over sizes, read patterns and random ranges. */
class SegmentedAeadRoundTripTest {

  private static final byte[] AD = ObjectFormat.singleObjectBodyAssociatedData();

  private static List<Long> interestingSizes(SegmentLayout layout) {
    long p = layout.plaintextSegmentSize();
    long first = layout.plaintextCapacityOfSegment(0);
    List<Long> sizes = new ArrayList<>();
    for (long s :
        new long[] {
          0,
          1,
          2,
          first - 1,
          first,
          first + 1,
          first + p - 1,
          first + p,
          first + p + 1,
          first + 7 * p + 3,
          first + 9 * p
        }) {
      sizes.add(s);
    }
    return sizes;
  }

  private static SegmentedAead aead(Algorithm algorithm, SegmentLayout layout) {
    return new SegmentedAead(algorithm, layout, Streams.randomBytes(1, 32));
  }

  private static byte[] encrypt(SegmentedAead aead, StreamHeader header, byte[] plaintext) {
    InputStream in =
        aead.newEncryptingStream(
            new ByteArrayInputStream(plaintext),
            header,
            AD,
            new PlaintextDigests(java.util.Set.of()));
    return Streams.readAll(in);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void everySizeRoundTripsInBothModesWithExactCiphertextSize(Algorithm algorithm) {
    for (SegmentLayout layout :
        new SegmentLayout[] {SegmentLayout.of(64), SegmentLayout.of(1000)}) {
      SegmentedAead aead = aead(algorithm, layout);
      for (long size : interestingSizes(layout)) {
        byte[] plaintext = Streams.randomBytes(size, (int) size);
        StreamHeader header = StreamHeader.random(new java.security.SecureRandom());
        byte[] body = encrypt(aead, header, plaintext);
        assertThat((long) body.length).as("size %d", size).isEqualTo(layout.ciphertextSize(size));
        assertThat(layout.plaintextSize(body.length)).isEqualTo(size);

        byte[] viaLookahead =
            Streams.readAll(aead.newDecryptingStream(Streams.trickle(body, size), AD));
        byte[] viaKnownSize =
            Streams.readAll(
                aead.newDecryptingStream(new ByteArrayInputStream(body), header, AD, size));
        assertThat(viaLookahead).isEqualTo(plaintext);
        assertThat(viaKnownSize).isEqualTo(plaintext);
      }
    }
  }

  @Test
  void readPatternsDoNotMatter() throws IOException {
    SegmentLayout layout = SegmentLayout.of(100);
    SegmentedAead aead = aead(Algorithm.AES256_GCM, layout);
    byte[] plaintext = Streams.randomBytes(7, 1234);
    StreamHeader header = StreamHeader.random(new java.security.SecureRandom());

    // Encrypt from a trickling source with single-byte reads.
    InputStream enc =
        aead.newEncryptingStream(
            Streams.trickle(plaintext, 3), header, AD, new PlaintextDigests(java.util.Set.of()));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int b; (b = enc.read()) >= 0; ) {
      body.write(b);
    }
    assertThat(body.toByteArray()).isEqualTo(encrypt(aead, header, plaintext));

    // Decrypt with single-byte reads, then with odd-sized reads.
    InputStream dec = aead.newDecryptingStream(new ByteArrayInputStream(body.toByteArray()), AD);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int b; (b = dec.read()) >= 0; ) {
      out.write(b);
    }
    assertThat(out.toByteArray()).isEqualTo(plaintext);
    assertThat(dec.read()).isEqualTo(-1);
    assertThat(
            Streams.drain(aead.newDecryptingStream(Streams.trickle(body.toByteArray(), 9), AD), 13)
                .released())
        .isEqualTo(plaintext);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void everyReadSizeGivesTheSameBytes(Algorithm algorithm) throws IOException {
    // Reads of at least a segment go straight into the reader's buffer, smaller ones through the
    // internal one, and 64-byte multiples are the unit of direct encryption: cover all of them.
    for (SegmentLayout layout :
        new SegmentLayout[] {SegmentLayout.of(64), SegmentLayout.of(4096)}) {
      SegmentedAead aead = aead(algorithm, layout);
      byte[] plaintext = Streams.randomBytes(8, 5 * layout.plaintextSegmentSize() + 77);
      StreamHeader header =
          new StreamHeader(Streams.randomBytes(9, 32), Streams.randomBytes(10, 7));
      byte[] reference = encrypt(aead, header, plaintext);
      for (int chunk : new int[] {1, 15, 63, 64, 65, 100, 4095, 4096, 4097, 70_000}) {
        InputStream enc =
            aead.newEncryptingStream(
                new ByteArrayInputStream(plaintext), header, AD, new PlaintextDigests(Set.of()));
        assertThat(Streams.drain(enc, chunk).released())
            .as("encrypt, chunk %d", chunk)
            .isEqualTo(reference);
        Streams.Outcome dec =
            Streams.drain(aead.newDecryptingStream(new ByteArrayInputStream(reference), AD), chunk);
        assertThat(dec.failure()).isNull();
        assertThat(dec.released()).as("decrypt, chunk %d", chunk).isEqualTo(plaintext);
        Streams.Outcome known =
            Streams.drain(
                aead.newDecryptingStream(
                    new ByteArrayInputStream(reference), header, AD, plaintext.length),
                chunk);
        assertThat(known.released()).isEqualTo(plaintext);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void largeSegmentsAreEncryptedInBoundedCipherCalls(Algorithm algorithm) {
    // A read below 64 bytes seals the rest of a 256 KiB segment internally, in 64 KiB calls.
    SegmentLayout layout = SegmentLayout.of(256 * 1024);
    SegmentedAead aead = aead(algorithm, layout);
    byte[] plaintext = Streams.randomBytes(11, 600_000);
    StreamHeader header = new StreamHeader(Streams.randomBytes(12, 32), Streams.randomBytes(13, 7));
    byte[] reference = encrypt(aead, header, plaintext);
    for (int chunk : new int[] {63, 1000, 100_000}) {
      InputStream enc =
          aead.newEncryptingStream(
              new ByteArrayInputStream(plaintext), header, AD, new PlaintextDigests(Set.of()));
      assertThat(Streams.drain(enc, chunk).released()).isEqualTo(reference);
    }
    assertThat(Streams.readAll(aead.newDecryptingStream(new ByteArrayInputStream(reference), AD)))
        .isEqualTo(plaintext);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void randomRangesYieldExactlyThePlaintextSlice(Algorithm algorithm) {
    Random random = new Random(20261129L);
    int[] segmentSizes = {64, 100, 1000, 16 * 1024};
    for (int round = 0; round < 300; round++) {
      SegmentLayout layout = SegmentLayout.of(segmentSizes[random.nextInt(segmentSizes.length)]);
      SegmentedAead aead = aead(algorithm, layout);
      int size = 1 + random.nextInt(12 * layout.plaintextSegmentSize());
      byte[] plaintext = Streams.randomBytes(round, size);
      StreamHeader header =
          new StreamHeader(Streams.randomBytes(round, 32), Streams.randomBytes(-round, 7));
      byte[] body = encrypt(aead, header, plaintext);

      long first = random.nextInt(size);
      long last = first + random.nextInt(size - (int) first + 10); // sometimes beyond the end
      CiphertextRange r =
          round % 4 == 0
              ? layout.suffixRange(1 + random.nextInt(size + 10), size)
              : layout.rangeFor(first, last, size);
      byte[] fetched = Streams.slice(body, r.ciphertextFirst(), r.ciphertextLast());
      byte[] got =
          Streams.readAll(
              aead.newRangeDecryptingStream(Streams.trickle(fetched, round), header, AD, r));
      assertThat(got)
          .as("round %d, %s", round, r)
          .isEqualTo(Streams.slice(plaintext, r.plaintextFirst(), r.plaintextLast()));
    }
  }

  @Test
  void aSingleByteRangeAtEverySegmentEdge() {
    SegmentLayout layout = SegmentLayout.of(64);
    SegmentedAead aead = aead(Algorithm.CHACHA20_POLY1305, layout);
    byte[] plaintext = Streams.randomBytes(5, 300);
    StreamHeader header = StreamHeader.random(new java.security.SecureRandom());
    byte[] body = encrypt(aead, header, plaintext);
    for (long o = 0; o < plaintext.length; o++) {
      CiphertextRange r = layout.rangeFor(o, o, plaintext.length);
      assertThat(r.firstSegment()).isEqualTo(r.lastSegment());
      byte[] got =
          Streams.readAll(
              aead.newRangeDecryptingStream(
                  new ByteArrayInputStream(
                      Streams.slice(body, r.ciphertextFirst(), r.ciphertextLast())),
                  header,
                  AD,
                  r));
      assertThat(got).containsExactly(plaintext[(int) o]);
    }
  }
}

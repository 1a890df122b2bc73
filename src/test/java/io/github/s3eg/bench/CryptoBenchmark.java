package io.github.s3eg.bench;

import io.github.s3eg.crypto.Algorithm;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.EncryptionSession;
import io.github.s3eg.crypto.ObjectDecryptor;
import io.github.s3eg.crypto.ObjectEncryptor;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.crypto.PlaintextChecksum;
import io.github.s3eg.keys.KeyManager;
import io.github.s3eg.keys.PasswordKeyManager;
import io.github.s3eg.keys.StaticKeyManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.GeneralSecurityException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the crypto engine against raw {@code javax.crypto} on the same buffers, and the
 * cost of opening an object in password mode. Run with {@code bench/crypto-jmh.sh}.
 *
 * <p>Throughput benchmarks process {@value #PAYLOAD} bytes per invocation and declare that many
 * operations, so JMH's score is bytes per second. The engine benchmarks go through the public API
 * as the gateway will: an {@link InputStream} source, reads into a 64 KiB buffer (like a socket
 * writer). Encryption sessions are begun outside the measured region (one per invocation), so
 * throughput is streaming alone; the per-object cost is measured by {@code beginPasswordObject} and
 * {@code openPasswordObject} in microseconds. The raw baselines call {@code init} and {@code
 * doFinal} once per segment from the plaintext array into a preallocated output array: the floor
 * the engine can approach.
 *
 * <p>Every benchmark also reports, through {@link CpuTime}, the thread CPU time it used: on a
 * shared machine other jobs stretch wall-clock time but not CPU time, so bytes per CPU-second is
 * the steadier figure for comparing the engine with raw {@code javax.crypto}.
 */
public class CryptoBenchmark {

  static final int PAYLOAD = 8 * 1024 * 1024;
  private static final int SINK = 64 * 1024;
  private static final int TAG = 16;

  /** Per-thread buffers and keys for the throughput benchmarks. */
  @State(Scope.Thread)
  public static class Streams {
    @Param({"AES256-GCM", "CHACHA20-POLY1305"})
    public String algorithm;

    @Param({"65536", "1048576"})
    public int segmentSize;

    ObjectEncryptor encryptor;
    OpenedObject opened;
    byte[] plaintext;
    byte[] body;
    byte[] sink;
    Cipher raw;
    SecretKeySpec rawKey;
    byte[] rawCiphertext;
    byte[] rawPlaintext;
    byte[] nonce;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      Algorithm alg = Algorithm.fromConfigName(algorithm);
      KeyManager keys = new StaticKeyManager(new byte[32]);
      encryptor = new ObjectEncryptor(keys, alg, segmentSize);
      plaintext = new byte[PAYLOAD];
      new Random(1).nextBytes(plaintext);
      sink = new byte[SINK];

      EncryptionSession session = encryptor.begin("bench", "object");
      body = session.encrypt(new ByteArrayInputStream(plaintext)).readAllBytes();
      opened = new ObjectDecryptor(keys).open("bench", "object", session.completeMetadata());

      boolean aes = alg == Algorithm.AES256_GCM;
      raw = Cipher.getInstance(aes ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305", "SunJCE");
      rawKey = new SecretKeySpec(new byte[32], aes ? "AES" : "ChaCha20");
      nonce = new byte[12];
      int segments = (PAYLOAD + segmentSize - 1) / segmentSize;
      rawCiphertext = new byte[PAYLOAD + segments * TAG];
      rawPlaintext = new byte[PAYLOAD];
      new CryptoBenchmark().rawEncrypt(this, new CpuTime()); // the input of rawDecrypt
    }

    java.security.spec.AlgorithmParameterSpec spec(int segment) {
      nonce[8] = (byte) (segment >>> 24);
      nonce[9] = (byte) (segment >>> 16);
      nonce[10] = (byte) (segment >>> 8);
      nonce[11] = (byte) segment;
      return "AES/GCM/NoPadding".equals(raw.getAlgorithm())
          ? new GCMParameterSpec(TAG * 8, nonce)
          : new IvParameterSpec(nonce);
    }
  }

  /**
   * A fresh session per invocation, begun outside the measured region: the throughput benchmarks
   * measure streaming; the fixed per-object cost is {@link #beginPasswordObject}.
   */
  @State(Scope.Thread)
  public static class Session {
    EncryptionSession session;

    @Setup(Level.Invocation)
    public void begin(Streams s) throws CryptoException {
      session = s.encryptor.begin("bench", "object", Set.of());
    }
  }

  /** As {@link Session}, computing the plaintext MD5 (the ETag) on the way. */
  @State(Scope.Thread)
  public static class Md5Session {
    EncryptionSession session;

    @Setup(Level.Invocation)
    public void begin(Streams s) throws CryptoException {
      session = s.encryptor.begin("bench", "object", EnumSet.of(PlaintextChecksum.MD5));
    }
  }

  /** A password-mode key manager (derived once per trial) and one stored object's metadata. */
  @State(Scope.Thread)
  public static class PasswordObject {
    ObjectEncryptor encryptor;
    ObjectDecryptor decryptor;
    Map<String, String> metadata;
    byte[] emptyBody;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      PasswordKeyManager keys = new PasswordKeyManager("benchmark password".toCharArray());
      encryptor = new ObjectEncryptor(keys);
      decryptor = new ObjectDecryptor(keys);
      EncryptionSession session = encryptor.begin("bench", "empty");
      emptyBody = session.encrypt(new ByteArrayInputStream(new byte[0])).readAllBytes();
      metadata = session.completeMetadata();
    }
  }

  /** Thread CPU time, bytes and operations per iteration, reported beside JMH's wall clock. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class CpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public long cpuNanos;
    public long bytes;
    public long operations;

    @Setup(Level.Iteration)
    public void reset() {
      cpuNanos = 0;
      bytes = 0;
      operations = 0;
    }

    long start() {
      return THREADS.getCurrentThreadCpuTime();
    }

    void stop(long start, long processedBytes) {
      cpuNanos += THREADS.getCurrentThreadCpuTime() - start;
      bytes += processedBytes;
      operations++;
    }
  }

  private static long drain(InputStream in, byte[] sink) throws IOException {
    long total = 0;
    try (in) {
      for (int n; (n = in.read(sink)) >= 0; ) {
        total += n;
      }
    }
    return total;
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(PAYLOAD)
  public long engineEncrypt(Streams s, Session f, CpuTime cpu) throws IOException {
    long start = cpu.start();
    long n = drain(f.session.encrypt(new ByteArrayInputStream(s.plaintext)), s.sink);
    cpu.stop(start, PAYLOAD);
    return n;
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(PAYLOAD)
  public long engineEncryptWithMd5(Streams s, Md5Session f, CpuTime cpu) throws IOException {
    long start = cpu.start();
    long n = drain(f.session.encrypt(new ByteArrayInputStream(s.plaintext)), s.sink);
    cpu.stop(start, PAYLOAD);
    return n;
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(PAYLOAD)
  public long engineDecrypt(Streams s, CpuTime cpu) throws IOException {
    long start = cpu.start();
    long n = drain(s.opened.decrypt(new ByteArrayInputStream(s.body)), s.sink);
    cpu.stop(start, PAYLOAD);
    return n;
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(PAYLOAD)
  public int rawEncrypt(Streams s, CpuTime cpu) throws GeneralSecurityException {
    long start = cpu.start();
    int out = 0;
    for (int off = 0, i = 0; off < PAYLOAD; off += s.segmentSize, i++) {
      int len = Math.min(s.segmentSize, PAYLOAD - off);
      s.raw.init(Cipher.ENCRYPT_MODE, s.rawKey, s.spec(i));
      out += s.raw.doFinal(s.plaintext, off, len, s.rawCiphertext, out);
    }
    cpu.stop(start, PAYLOAD);
    return out;
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(PAYLOAD)
  public int rawDecrypt(Streams s, CpuTime cpu) throws GeneralSecurityException {
    long start = cpu.start();
    int out = 0;
    int in = 0;
    for (int i = 0; in < s.rawCiphertext.length; i++) {
      int len = Math.min(s.segmentSize + TAG, s.rawCiphertext.length - in);
      s.raw.init(Cipher.DECRYPT_MODE, s.rawKey, s.spec(i));
      out += s.raw.doFinal(s.rawCiphertext, in, len, s.rawPlaintext, out);
      in += len;
    }
    cpu.stop(start, PAYLOAD);
    return out;
  }

  /**
   * The fixed cost of writing an object in password mode: fresh DEK and header, the wrap, the
   * segment key, stream buffers, and sealing an empty body (56 bytes).
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public long beginPasswordObject(PasswordObject p, CpuTime cpu)
      throws CryptoException, IOException {
    long start = cpu.start();
    EncryptionSession session = p.encryptor.begin("bench", "new", Set.of());
    long n = drain(session.encrypt(new ByteArrayInputStream(new byte[0])), new byte[64]);
    cpu.stop(start, 0);
    return n;
  }

  /** Unwrap under the password KEK, trailer MAC check: what every GET and HEAD pays. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public OpenedObject openPasswordObject(PasswordObject p, CpuTime cpu) throws CryptoException {
    long start = cpu.start();
    OpenedObject o = p.decryptor.open("bench", "empty", p.metadata);
    cpu.stop(start, 0);
    return o;
  }

  /** Open plus the per-object segment key derivation (HKDF) and one (empty) segment. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void openAndReadEmptyPasswordObject(PasswordObject p, CpuTime cpu, Blackhole bh)
      throws CryptoException, IOException {
    long start = cpu.start();
    OpenedObject o = p.decryptor.open("bench", "empty", p.metadata);
    bh.consume(drain(o.decrypt(new ByteArrayInputStream(p.emptyBody)), new byte[16]));
    cpu.stop(start, 0);
  }

  /** The one-time start-up cost of password mode: PBKDF2-HMAC-SHA256, 600 000 iterations. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public PasswordKeyManager passwordKdfAtStartup() {
    return new PasswordKeyManager("benchmark password".toCharArray());
  }
}

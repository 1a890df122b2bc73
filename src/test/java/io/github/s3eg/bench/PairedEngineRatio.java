package io.github.s3eg.bench;

import io.github.s3eg.crypto.Algorithm;
import io.github.s3eg.crypto.EncryptionSession;
import io.github.s3eg.crypto.ObjectDecryptor;
import io.github.s3eg.crypto.ObjectEncryptor;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.crypto.SegmentLayout;
import io.github.s3eg.keys.StaticKeyManager;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Engine/raw AES-256-GCM ratio measured in pairs: each round runs raw {@code javax.crypto} and the
 * engine back to back on the same 8 MiB and compares their thread CPU times, so load from other
 * jobs affects both sides of each ratio alike. Complements {@link CryptoBenchmark} on a shared
 * machine. Sessions are begun outside the measurement, as there.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt) \
 *     io.github.s3eg.bench.PairedEngineRatio
 * </pre>
 */
public final class PairedEngineRatio {

  private static final int PAYLOAD = 8 * 1024 * 1024;
  private static final int SEGMENT = SegmentLayout.DEFAULT_SEGMENT_SIZE;
  private static final int TAG = 16;
  private static final int ROUNDS = 300;
  private static final int WARM_UP_ROUNDS = 50;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private PairedEngineRatio() {}

  public static void main(String[] args) throws Exception {
    byte[] plaintext = new byte[PAYLOAD];
    new Random(1).nextBytes(plaintext);
    byte[] ciphertext = new byte[PAYLOAD + PAYLOAD / SEGMENT * TAG];
    byte[] decrypted = new byte[PAYLOAD];
    byte[] sink = new byte[64 * 1024];
    Cipher raw = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
    SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
    StaticKeyManager keys = new StaticKeyManager(new byte[32]);
    ObjectEncryptor encryptor = new ObjectEncryptor(keys, Algorithm.AES256_GCM, SEGMENT);
    EncryptionSession stored = encryptor.begin("bench", "object", Set.of());
    byte[] body = stored.encrypt(new ByteArrayInputStream(plaintext)).readAllBytes();
    OpenedObject opened = new ObjectDecryptor(keys).open("bench", "object", stored.metadata());

    List<Double> encrypt = new ArrayList<>();
    List<Double> decrypt = new ArrayList<>();
    byte[] nonce = new byte[12];
    for (int round = 0; round < ROUNDS; round++) {
      nonce[0] = (byte) round;
      nonce[1] = (byte) (round >>> 8);
      EncryptionSession session = encryptor.begin("bench", "object", Set.of());

      long t0 = THREADS.getCurrentThreadCpuTime();
      for (int off = 0, i = 0; off < PAYLOAD; off += SEGMENT, i++) {
        nonce[11] = (byte) i;
        nonce[10] = (byte) (i >>> 8);
        raw.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
        raw.doFinal(plaintext, off, SEGMENT, ciphertext, off / SEGMENT * (SEGMENT + TAG));
      }
      long t1 = THREADS.getCurrentThreadCpuTime();
      drain(session.encrypt(new ByteArrayInputStream(plaintext)), sink);
      long t2 = THREADS.getCurrentThreadCpuTime();
      for (int off = 0, i = 0; off < PAYLOAD; off += SEGMENT, i++) {
        nonce[11] = (byte) i;
        nonce[10] = (byte) (i >>> 8);
        raw.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
        raw.doFinal(ciphertext, off / SEGMENT * (SEGMENT + TAG), SEGMENT + TAG, decrypted, off);
      }
      long t3 = THREADS.getCurrentThreadCpuTime();
      drain(opened.decrypt(new ByteArrayInputStream(body)), sink);
      long t4 = THREADS.getCurrentThreadCpuTime();

      if (round >= WARM_UP_ROUNDS) {
        encrypt.add((double) (t1 - t0) / (t2 - t1));
        decrypt.add((double) (t3 - t2) / (t4 - t3));
      }
    }
    report("encrypt", encrypt);
    report("decrypt", decrypt);
  }

  private static void drain(InputStream in, byte[] sink) throws Exception {
    try (in) {
      while (in.read(sink) >= 0) {
        // Only the work matters.
      }
    }
  }

  private static void report(String what, List<Double> ratios) {
    Collections.sort(ratios);
    int n = ratios.size();
    System.out.printf(
        "engine/raw AES-256-GCM %s, 64 KiB segments, CPU time: median %.0f %% (quartiles %.0f–%.0f"
            + " %%, %d rounds)%n",
        what, 100 * ratios.get(n / 2), 100 * ratios.get(n / 4), 100 * ratios.get(3 * n / 4), n);
  }
}

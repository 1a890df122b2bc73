package io.github.s3eg.keys.kmip;

import io.github.s3eg.keys.GcmCiphertext;
import io.github.s3eg.keys.tls.MutualTls;
import io.github.s3eg.keys.ttlv.KmipEnums.Operation;
import io.github.s3eg.keys.ttlv.KmipEnums.ResultReason;
import io.github.s3eg.keys.ttlv.KmipEnums.RevocationReasonCode;
import io.github.s3eg.keys.ttlv.KmipEnums.State;
import io.github.s3eg.keys.ttlv.Ttlv;
import io.github.s3eg.keys.ttlv.Ttlv.Structure;
import io.github.s3eg.keys.ttlv.TtlvBinaryCodec;
import io.github.s3eg.keys.ttlv.TtlvException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KMIP client over mutual TLS: the key-lifecycle operations an operator needs (Create an AES-256
 * key, Activate, Locate by name, read the State, Revoke, Destroy), AES-GCM Encrypt and Decrypt with
 * additional data for wrapping data keys, and Query/DiscoverVersions for health.
 *
 * <p><b>Protocol version.</b> Unless pinned in the configuration, the first call runs
 * DiscoverVersions offering 2.0 and 1.4 and uses the first one the server returns. A server that
 * does not implement DiscoverVersions is spoken to in 1.4; a server that supports neither is
 * refused, since earlier versions cannot carry GCM additional data.
 *
 * <p><b>Connections.</b> Requests go over a small pool of persistent TLS connections (see {@link
 * KmipConnectionPool}); each connection carries one request at a time. Idempotent requests that
 * fail on a reused connection (which the server may have closed meanwhile) are retried once on a
 * fresh one; Create is never retried, and neither is a request that timed out.
 *
 * <p><b>Key material.</b> Encoded requests and responses are zeroed after use, as are the byte
 * strings of the message trees; plaintext returned by {@link #decrypt} is the caller's to wipe.
 */
public final class KmipClient implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KmipClient.class);
  private static final List<KmipVersion> SUPPORTED = List.of(KmipVersion.V2_0, KmipVersion.V1_4);
  private static final Duration MAX_IDLE = Duration.ofSeconds(60);

  private final KmipClientConfig config;
  private final TtlvBinaryCodec codec = new TtlvBinaryCodec();
  private final KmipConnectionPool pool;
  private final AtomicLong requests = new AtomicLong();
  private volatile KmipVersion version;

  /** Loads the PEM files; connects lazily, on the first request. */
  public KmipClient(KmipClientConfig config) throws GeneralSecurityException {
    this.config = config;
    SSLSocketFactory factory =
        MutualTls.context(config.caCert(), config.clientCert(), config.clientKey())
            .getSocketFactory();
    this.pool =
        new KmipConnectionPool(
            timeout ->
                KmipConnection.open(
                    factory,
                    config.host(),
                    config.port(),
                    shorter(timeout, config.connectTimeout())),
            config.maxConnections(),
            MAX_IDLE);
    this.version = config.protocolVersion().orElse(null);
  }

  /** The protocol version in use, negotiating it on first use. */
  public KmipVersion protocolVersion() throws KmipException {
    KmipVersion known = version;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (version == null) {
        version = negotiate(config.readTimeout());
      }
      return version;
    }
  }

  /** Number of requests sent to the server so far (for tests and metrics). */
  public long requestCount() {
    return requests.get();
  }

  /**
   * DiscoverVersions: which of 2.0 and 1.4 the server supports, in its order of preference; {@code
   * timeout} bounds both connecting and answering, so this doubles as a health probe.
   */
  public List<KmipVersion> discoverVersions(Duration timeout) throws KmipException {
    Structure payload = KmipPayloads.discoverVersions(SUPPORTED);
    return read(
        "DiscoverVersions",
        call(KmipVersion.V1_4, Operation.DISCOVER_VERSIONS, payload, true, timeout),
        KmipResponses::versions);
  }

  /** Query: vendor identification and supported operations. */
  public KmipServerInfo query(Duration timeout) throws KmipException {
    Structure answer =
        call(protocolVersion(), Operation.QUERY, KmipPayloads.query(), true, timeout);
    return read("Query", answer, KmipResponses::serverInfo);
  }

  /** Creates a pre-active AES-256 key usable for Encrypt and Decrypt; returns its identifier. */
  public String createAes256Key(String name) throws KmipException {
    KmipVersion v = protocolVersion();
    Structure answer = call(v, Operation.CREATE, KmipPayloads.create(v, name), false, timeout());
    return read("Create", answer, KmipResponses::identifier);
  }

  public void activate(String id) throws KmipException {
    call(protocolVersion(), Operation.ACTIVATE, KmipPayloads.identifierOnly(id), true, timeout());
  }

  /** Identifiers of the objects whose Name attribute is {@code name}. */
  public List<String> locateByName(String name) throws KmipException {
    KmipVersion v = protocolVersion();
    Structure answer =
        call(v, Operation.LOCATE, KmipPayloads.locateByName(v, name), true, timeout());
    return read("Locate", answer, KmipResponses::identifiers);
  }

  /** The lifecycle State attribute of object {@code id}. */
  public State state(String id) throws KmipException {
    KmipVersion v = protocolVersion();
    Structure answer =
        call(v, Operation.GET_ATTRIBUTES, KmipPayloads.stateOf(v, id), true, timeout());
    return read("GetAttributes", answer, payload -> KmipResponses.state(payload, v));
  }

  public void revoke(String id, RevocationReasonCode reason) throws KmipException {
    call(protocolVersion(), Operation.REVOKE, KmipPayloads.revoke(id, reason), true, timeout());
  }

  public void destroy(String id) throws KmipException {
    call(protocolVersion(), Operation.DESTROY, KmipPayloads.identifierOnly(id), true, timeout());
  }

  /**
   * AES-GCM encryption under key {@code id} with the caller's 12-byte {@code iv} (the server is not
   * trusted to pick one) and {@code associatedData} authenticated but not encrypted.
   */
  public GcmCiphertext encrypt(String id, byte[] plaintext, byte[] iv, byte[] associatedData)
      throws KmipException {
    if (iv.length != GcmCiphertext.IV_BYTES) {
      throw new IllegalArgumentException("IV must be " + GcmCiphertext.IV_BYTES + " bytes");
    }
    Structure request = KmipPayloads.encrypt(id, plaintext, iv, associatedData);
    Structure answer = call(protocolVersion(), Operation.ENCRYPT, request, true, timeout());
    return read(
        "Encrypt", answer, payload -> KmipResponses.encrypted(payload, iv, plaintext.length));
  }

  /** AES-GCM decryption; the server refuses a wrong key, tag or additional data. */
  public byte[] decrypt(String id, GcmCiphertext sealed, byte[] associatedData)
      throws KmipException {
    Structure request = KmipPayloads.decrypt(id, sealed, associatedData);
    Structure answer = call(protocolVersion(), Operation.DECRYPT, request, true, timeout());
    return read("Decrypt", answer, KmipResponses::decrypted);
  }

  /**
   * Sends any operation with a caller-built payload (never retried) and returns the response
   * payload; for operations this class has no method for, such as Register in tests.
   */
  Structure execute(Operation operation, Structure payload) throws KmipException {
    return call(protocolVersion(), operation, payload, false, timeout());
  }

  @Override
  public void close() {
    pool.close();
  }

  /** True if {@code e} means the server does not know the object (or hides it from us). */
  static boolean isNotFound(KmipException.OperationFailed e) {
    return e.is(ResultReason.ITEM_NOT_FOUND) || e.is(ResultReason.OBJECT_NOT_FOUND);
  }

  private Duration timeout() {
    return config.readTimeout();
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private KmipVersion negotiate(Duration timeout) throws KmipException {
    List<KmipVersion> offered;
    try {
      offered = discoverVersions(timeout);
    } catch (KmipException.OperationFailed e) {
      LOG.info("KMIP server does not answer DiscoverVersions ({}); using KMIP 1.4", e.reasonName());
      return KmipVersion.V1_4;
    }
    for (KmipVersion candidate : offered) {
      if (SUPPORTED.contains(candidate)) {
        LOG.info("Using KMIP protocol version {}", candidate);
        return candidate;
      }
    }
    throw new KmipException.ProtocolError(
        "the KMIP server supports neither protocol 2.0 nor 1.4 (needed for AES-GCM with"
            + " additional data)",
        null);
  }

  /** Reads a response payload; a shape we do not expect is a protocol error. */
  private static <T> T read(String operation, Structure payload, Reader<T> reader)
      throws KmipException.ProtocolError {
    try {
      return reader.read(payload);
    } catch (TtlvException e) {
      throw new KmipException.ProtocolError(
          "malformed " + operation + " response: " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface Reader<T> {
    T read(Structure payload) throws TtlvException;
  }

  /** Sends one request and returns the response payload, zeroing both encodings. */
  private Structure call(
      KmipVersion v, Operation operation, Structure payload, boolean idempotent, Duration timeout)
      throws KmipException {
    byte[] request;
    try {
      request = codec.encode(KmipMessages.request(v, operation, payload));
    } catch (TtlvException e) {
      throw new IllegalStateException("cannot encode a " + operation.jsonName() + " request", e);
    } finally {
      Ttlv.destroyByteStrings(payload);
    }
    try {
      byte[] response = exchange(request, idempotent, timeout);
      Ttlv decoded;
      try {
        decoded = codec.decode(response);
      } catch (TtlvException e) {
        throw new KmipException.ProtocolError("malformed KMIP response: " + e.getMessage(), e);
      } finally {
        Arrays.fill(response, (byte) 0);
      }
      try {
        return KmipMessages.payload(decoded, operation);
      } catch (KmipException e) {
        Ttlv.destroyByteStrings(decoded);
        throw e;
      }
    } finally {
      Arrays.fill(request, (byte) 0);
    }
  }

  /** One exchange, retried once on a fresh connection if a reused one turned out to be dead. */
  private byte[] exchange(byte[] request, boolean idempotent, Duration timeout)
      throws KmipException {
    KmipConnectionPool.Lease lease = pool.acquire(timeout);
    try {
      return exchangeOn(lease, request, timeout);
    } catch (KmipException.Unreachable e) {
      if (!lease.reused() || !idempotent || e.kind() == KmipException.Cause.TIMEOUT) {
        throw e;
      }
      LOG.debug("Reused KMIP connection failed ({}); retrying once", e.kind().description());
    }
    return exchangeOn(pool.acquire(timeout), request, timeout);
  }

  private byte[] exchangeOn(KmipConnectionPool.Lease lease, byte[] request, Duration timeout)
      throws KmipException {
    try {
      requests.incrementAndGet();
      byte[] response = lease.connection().exchange(request, codec, timeout);
      pool.release(lease.connection());
      return response;
    } catch (KmipException e) {
      pool.discard(lease.connection());
      throw e;
    }
  }
}

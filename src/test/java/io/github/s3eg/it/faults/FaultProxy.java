package io.github.s3eg.it.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fault-injecting TCP proxy for tests: put it between the gateway and a dependency (S3 backend,
 * KMIP server) and make the link misbehave on demand. It knows nothing of the protocol, so TLS
 * passes through untouched; HTTP-aware faults (500/503 answers) are {@code CountingProxy}'s.
 *
 * <p>Faults:
 *
 * <ul>
 *   <li>{@link #refuse()}: the port is closed (connection refused) and open connections are reset;
 *       {@link #passThrough()} listens again on the same port.
 *   <li>{@link #hang()}: connections are accepted but nothing is ever forwarded or answered.
 *   <li>{@link #latency(Duration)}: each chunk waits before it is forwarded.
 *   <li>{@link #throttle(long)}: each direction is limited to a number of bytes per second.
 *   <li>{@link #resetAfter(Direction, long, int)}: after N bytes in one direction the connection is
 *       reset (RST, via {@code SO_LINGER 0}) on both sides.
 *   <li>{@link #stallAfter(Direction, long, int)}: after N bytes in one direction nothing more is
 *       forwarded either way, and the connection stays open (a peer that hangs mid-transfer).
 * </ul>
 *
 * Byte counts of a {@code resetAfter}/{@code stallAfter} fault start when the fault is set, per
 * connection, so pooled connections that were idle when it was set are hit too. A fault may be
 * limited to a number of connections ({@code times}); then it clears itself.
 *
 * <p>Pumps run on virtual threads, so the proxy does not show in the JVM's platform thread count
 * that leak tests compare.
 *
 * <p>The port stays the proxy's while it refuses: the listener and a bound, never-listening
 * placeholder socket share it through {@code SO_REUSEPORT}, and one of them always holds it. So no
 * other listener (another test, another process on the machine) can be given the port in the
 * meantime, a client's connection cannot be paired with itself (Linux's TCP self-connect needs a
 * port nobody has bound), and {@link #passThrough()} can always listen on it again.
 */
public final class FaultProxy implements AutoCloseable {

  /** Which way bytes flow: from the client to the target, or back. */
  public enum Direction {
    UPSTREAM,
    DOWNSTREAM
  }

  private enum Action {
    RESET,
    STALL
  }

  /** A byte-count fault; {@code generation} tells connections when it was set. */
  private record Trigger(Direction direction, long afterBytes, Action action, long generation) {}

  private volatile InetSocketAddress target;
  private final int port;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong generations = new AtomicLong();
  private final Object listenerLock = new Object();
  private ServerSocket server;
  private Thread acceptor;
  private Socket placeholder;
  private volatile boolean closed;

  private volatile boolean hanging;
  private volatile long latencyNanos;
  private volatile long bytesPerSecond;
  private volatile Trigger trigger;
  private final AtomicLong triggerTimesLeft = new AtomicLong();

  private FaultProxy(InetSocketAddress target, ServerSocket server) {
    this.target = target;
    this.server = server;
    this.port = server.getLocalPort();
  }

  /** A proxy on a free loopback port that forwards to {@code host:port}. */
  public static FaultProxy start(String host, int port) throws IOException {
    ServerSocket server = listener(0);
    FaultProxy proxy = new FaultProxy(new InetSocketAddress(host, port), server);
    proxy.startAccepting(server);
    return proxy;
  }

  /** A listener on {@code port} (0: a free one) that the placeholder can share. */
  private static ServerSocket listener(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    return s;
  }

  /** A proxy in front of an HTTP(S) endpoint such as an S3 backend. */
  public static FaultProxy start(URI target) throws IOException {
    return start(target.getHost(), target.getPort());
  }

  public int port() {
    return port;
  }

  /**
   * New connections go to {@code host:port} from now on (a dependency restarted elsewhere); open
   * ones stay where they are.
   */
  public FaultProxy forwardTo(String host, int port) {
    target = new InetSocketAddress(host, port);
    return this;
  }

  /** {@code http://127.0.0.1:port}: the proxy as an HTTP endpoint. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Connections accepted so far (refused ones are not). */
  public long acceptedConnections() {
    return accepted.get();
  }

  /** Connections open right now: accepted from a client and not yet closed on both sides. */
  public int openConnections() {
    return open.size();
  }

  // ---- faults

  /** Clears every fault and listens again if {@link #refuse()} had closed the port. */
  public synchronized FaultProxy passThrough() {
    hanging = false;
    latencyNanos = 0;
    bytesPerSecond = 0;
    trigger = null;
    synchronized (listenerLock) {
      if (server == null && !closed) {
        try {
          ServerSocket again = listener(port);
          server = again;
          startAccepting(again);
          closeQuietly(placeholder);
          placeholder = null;
        } catch (IOException e) {
          throw new IllegalStateException("cannot listen again on port " + port, e);
        }
      }
    }
    // Connections stalled by hang() or stallAfter() stay stalled: a hung peer does not come back
    // on the same connection. The client's timeouts close them.
    return this;
  }

  /**
   * Stops listening (connection refused) and resets every open connection. When this returns, the
   * proxy accepts nothing more: {@link #acceptedConnections()} stays as it is until {@link
   * #passThrough()}.
   */
  public FaultProxy refuse() {
    synchronized (listenerLock) {
      if (server != null && !closed) {
        try {
          // Hold the port before letting the listener go (see the class comment).
          Socket hold = new Socket();
          hold.setOption(StandardSocketOptions.SO_REUSEPORT, true);
          hold.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
          placeholder = hold;
        } catch (IOException e) {
          throw new IllegalStateException("cannot hold port " + port + " while refusing", e);
        }
        stopListening();
      }
    }
    resetAll();
    return this;
  }

  /** Closes the listener and waits for its accept loop to end (its last count included). */
  private void stopListening() {
    closeQuietly(server);
    server = null;
    try {
      if (!acceptor.join(Duration.ofSeconds(10))) {
        throw new IllegalStateException("the accept loop on port " + port + " did not end");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The peer hangs: new connections are accepted and never answered, open ones stop forwarding. */
  public FaultProxy hang() {
    hanging = true;
    for (Connection c : open) {
      c.stall();
    }
    return this;
  }

  /** Each chunk, either way, waits {@code perChunk} before it is forwarded. */
  public FaultProxy latency(Duration perChunk) {
    latencyNanos = perChunk.toNanos();
    return this;
  }

  /** Each direction of each connection carries at most {@code bytesPerSecond}. */
  public FaultProxy throttle(long bytesPerSecond) {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("bytesPerSecond must be positive");
    }
    this.bytesPerSecond = bytesPerSecond;
    return this;
  }

  /**
   * Resets a connection (RST to both sides) once {@code afterBytes} more bytes have passed in
   * {@code direction}; for the next {@code times} connections that get that far.
   */
  public FaultProxy resetAfter(Direction direction, long afterBytes, int times) {
    return setTrigger(direction, afterBytes, Action.RESET, times);
  }

  /**
   * Stops forwarding (both ways, connection left open) once {@code afterBytes} more bytes have
   * passed in {@code direction}; for the next {@code times} connections that get that far.
   */
  public FaultProxy stallAfter(Direction direction, long afterBytes, int times) {
    return setTrigger(direction, afterBytes, Action.STALL, times);
  }

  private synchronized FaultProxy setTrigger(
      Direction direction, long afterBytes, Action action, int times) {
    if (afterBytes < 0 || times < 1) {
      throw new IllegalArgumentException("afterBytes >= 0 and times >= 1");
    }
    triggerTimesLeft.set(times);
    trigger = new Trigger(direction, afterBytes, action, generations.incrementAndGet());
    return this;
  }

  /** Resets every open connection (a dependency that crashed). */
  public void resetAll() {
    for (Connection c : open) {
      c.reset();
    }
  }

  @Override
  public void close() {
    synchronized (listenerLock) {
      closed = true;
      if (server != null) {
        stopListening();
      }
      closeQuietly(placeholder);
      placeholder = null;
    }
    resetAll();
  }

  // ---- plumbing

  private void startAccepting(ServerSocket listener) {
    acceptor =
        Thread.ofVirtual().name("fault-proxy-accept-" + port).start(() -> acceptLoop(listener));
  }

  private void acceptLoop(ServerSocket listener) {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      accepted.incrementAndGet();
      Connection c = new Connection(client);
      open.add(c);
      Thread.ofVirtual().start(c::run);
    }
  }

  /** One proxied connection: the client's socket, the target's, and a pump each way. */
  private final class Connection {
    private final Socket client;
    private final Socket upstream = new Socket();
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicLong endedDirections = new AtomicLong();
    private volatile boolean stalled;
    private final long[] counted = new long[2];
    private final long[] countedGeneration = new long[2];

    Connection(Socket client) {
      this.client = client;
    }

    void run() {
      try {
        client.setTcpNoDelay(true);
        if (hanging) {
          stalled = true;
          trickleUntilClientCloses();
          return;
        }
        upstream.setTcpNoDelay(true);
        upstream.connect(target, 5_000);
        Thread.ofVirtual().start(() -> pump(Direction.DOWNSTREAM, upstream, client));
        pump(Direction.UPSTREAM, client, upstream);
      } catch (IOException e) {
        reset();
      }
    }

    private void pump(Direction direction, Socket from, Socket to) {
      byte[] buf = new byte[16 * 1024];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        while (true) {
          int max = buf.length;
          long rate = bytesPerSecond;
          if (rate > 0) {
            // Small pieces so that the rate holds within a fraction of a second.
            max = (int) Math.max(1, Math.min(buf.length, rate / 20));
          }
          int n = in.read(buf, 0, max);
          if (n < 0) {
            break;
          }
          long delay = latencyNanos;
          if (delay > 0) {
            TimeUnit.NANOSECONDS.sleep(delay);
          }
          if (stalled) {
            stallHere(direction);
            return;
          }
          int allowed = allowedBeforeTrigger(direction, n);
          out.write(buf, 0, allowed);
          out.flush();
          if (allowed < n || firesNow(direction)) {
            fire(direction);
            return;
          }
          if (rate > 0) {
            TimeUnit.NANOSECONDS.sleep(n * 1_000_000_000L / rate);
          }
        }
        // A clean end one way: pass the half-close on, as TCP would; close when both ways ended.
        if (!stalled) {
          try {
            to.shutdownOutput();
          } catch (IOException alreadyClosed) {
            // The other side is gone too.
          }
        }
        if (endedDirections.incrementAndGet() == 2 || stalled) {
          closeBoth();
        }
      } catch (IOException e) {
        reset();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        reset();
      }
    }

    /** How many of the next {@code n} bytes may pass before the current trigger fires. */
    private int allowedBeforeTrigger(Direction direction, int n) {
      Trigger t = trigger;
      if (t == null || t.direction() != direction) {
        return n;
      }
      int i = direction.ordinal();
      synchronized (counted) {
        if (countedGeneration[i] != t.generation()) {
          countedGeneration[i] = t.generation();
          counted[i] = 0;
        }
        long left = t.afterBytes() - counted[i];
        int allowed = (int) Math.max(0, Math.min(n, left));
        counted[i] += allowed;
        return allowed;
      }
    }

    /** True once exactly {@code afterBytes} have passed (the fault fires at the boundary). */
    private boolean firesNow(Direction direction) {
      Trigger t = trigger;
      if (t == null || t.direction() != direction) {
        return false;
      }
      synchronized (counted) {
        return countedGeneration[direction.ordinal()] == t.generation()
            && counted[direction.ordinal()] >= t.afterBytes();
      }
    }

    private void fire(Direction direction) {
      Trigger t;
      synchronized (FaultProxy.this) {
        t = trigger;
        if (t == null) {
          return;
        }
        if (triggerTimesLeft.decrementAndGet() <= 0) {
          trigger = null;
        }
      }
      if (t.action() == Action.RESET) {
        reset();
      } else {
        stall();
        stallHere(direction);
      }
    }

    void stall() {
      stalled = true;
    }

    /**
     * A stalled connection forwards nothing more. The pump reading the client keeps only a trickle
     * going (a byte now and then, discarded) so that it notices when the client gives up and can
     * close the connection; the other pump waits for that.
     */
    private void stallHere(Direction direction) {
      if (direction == Direction.UPSTREAM) {
        trickleUntilClientCloses();
      } else {
        try {
          done.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private void trickleUntilClientCloses() {
      try {
        InputStream in = client.getInputStream();
        while (in.read() >= 0) {
          TimeUnit.MILLISECONDS.sleep(200);
        }
      } catch (IOException ignored) {
        // Closed or reset by the client, or by reset().
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      reset();
    }

    /** RST to both sides: SO_LINGER 0 makes close() abort the connection. */
    void reset() {
      for (Socket s : new Socket[] {client, upstream}) {
        try {
          if (!s.isClosed()) {
            s.setSoLinger(true, 0);
          }
        } catch (SocketException ignored) {
          // Not connected yet, or already closed.
        }
      }
      closeBoth();
    }

    private void closeBoth() {
      closeQuietly(client);
      closeQuietly(upstream);
      open.remove(this);
      done.countDown();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception ignored) {
      // Already closed.
    }
  }
}

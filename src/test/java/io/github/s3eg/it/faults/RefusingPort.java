package io.github.s3eg.it.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port where nothing listens, for tests of "connection refused". Picking a free port and
 * closing it is not enough: until the test connects, another process may be given the port and
 * answer, or Linux may pair the test's socket with itself (TCP self-connect). A socket that is
 * bound but never listens holds the port instead: connections to it are refused, and it is no one
 * else's while this is open.
 */
public final class RefusingPort implements AutoCloseable {

  private final Socket holder;

  private RefusingPort(Socket holder) {
    this.holder = holder;
  }

  public static RefusingPort open() throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return new RefusingPort(s);
  }

  public int port() {
    return holder.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    holder.close();
  }
}

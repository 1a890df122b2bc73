package io.github.s3eg.backend;

import org.apache.http.config.ConnectionConfig;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache.internal.impl.ConnectionManagerAwareHttpClient;

/**
 * Gives the backend connections 64 KiB I/O buffers instead of Apache's 8 KiB, so that an upload
 * goes to the backend socket in 64 KiB writes.
 *
 * <p>The SDK copies a request body into the connection in 4 KiB pieces; Apache buffers them and
 * writes the buffer to the socket each time it fills. With 8 KiB that is 131,072 system calls per
 * GiB uploaded, each a packet through the kernel's TCP stack (on a loopback backend, its receive
 * side too): measured 0.4 CPU-s per GiB of the worker's kernel time (docs/performance.md, "PUT,
 * round two"). The SDK's builder has no setting for it; the connection pool it builds has ({@link
 * ConnectionConfig#getBufferSize()}), so it is set there. The cost: two 64 KiB arrays per open
 * backend connection instead of two 8 KiB ones.
 */
final class ConnectionBuffers {

  static final int SIZE = 64 * 1024;

  private ConnectionBuffers() {}

  /**
   * Sets the buffers of {@code client}'s future connections (call it before the first request).
   * Fails if the SDK no longer keeps its pool where this looks: the SDK version is pinned, and a
   * test notices an upgrade that moves it.
   */
  static ApacheHttpClient enlarge(ApacheHttpClient client) {
    PoolingHttpClientConnectionManager pool = pool(client);
    ConnectionConfig current = pool.getDefaultConnectionConfig();
    pool.setDefaultConnectionConfig(
        ConnectionConfig.copy(current == null ? ConnectionConfig.DEFAULT : current)
            .setBufferSize(SIZE)
            .build());
    return client;
  }

  /** The SDK client's connection pool. */
  static PoolingHttpClientConnectionManager pool(ApacheHttpClient client) {
    try {
      var field = ApacheHttpClient.class.getDeclaredField("httpClient");
      field.setAccessible(true);
      var http = (ConnectionManagerAwareHttpClient) field.get(client);
      return (PoolingHttpClientConnectionManager) http.getHttpClientConnectionManager();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException("the AWS SDK's Apache client no longer exposes its pool", e);
    }
  }
}

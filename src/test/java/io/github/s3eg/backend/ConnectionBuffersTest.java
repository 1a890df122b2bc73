package io.github.s3eg.backend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.apache.ApacheHttpClient;

/**
 * The backend connections' buffers, and that the SDK still keeps its pool where {@link
 * ConnectionBuffers} sets them (an SDK upgrade that moves it fails here, not at a user's start).
 */
class ConnectionBuffersTest {

  @Test
  void theSdksClientGetsSixtyFourKibConnectionBuffers() throws Exception {
    try (ApacheHttpClient client = (ApacheHttpClient) ApacheHttpClient.builder().build()) {
      assertThat(ConnectionBuffers.pool(client).getDefaultConnectionConfig())
          .as("the SDK sets none: Apache's 8 KiB buffers, a socket write per 8 KiB of upload")
          .isNull();

      ConnectionBuffers.enlarge(client);

      assertThat(ConnectionBuffers.pool(client).getDefaultConnectionConfig().getBufferSize())
          .isEqualTo(64 * 1024);
    }
  }
}

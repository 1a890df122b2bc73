package io.github.s3eg.it;

import io.github.s3eg.s3.testing.CapturedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sends an HTTP/1.1 request exactly as given (request line, headers, body bytes) over a plain
 * socket and reads one response. For requests no well-behaved client library would send: SDK-signed
 * requests with a tampered body, for example.
 */
final class RawHttp {

  record Response(int status, Map<String, String> headers, String body) {}

  private RawHttp() {}

  static Response send(URI endpoint, CapturedRequest request) throws IOException {
    try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      StringBuilder head = new StringBuilder();
      String target =
          request.rawPath()
              + (request.rawQuery() == null || request.rawQuery().isEmpty()
                  ? ""
                  : "?" + request.rawQuery());
      head.append(request.method()).append(' ').append(target).append(" HTTP/1.1\r\n");
      boolean hasLength = false;
      for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
        if (h.getKey().equalsIgnoreCase("Expect")) {
          continue; // the whole body is sent at once
        }
        hasLength |= h.getKey().equalsIgnoreCase("Content-Length");
        for (String v : h.getValue()) {
          head.append(h.getKey()).append(": ").append(v).append("\r\n");
        }
      }
      if (!hasLength) {
        head.append("Content-Length: ").append(request.body().length).append("\r\n");
      }
      head.append("Connection: close\r\n\r\n");
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(request.body());
      out.flush();
      return read(socket.getInputStream());
    }
  }

  /**
   * Sends {@code request} (request line, headers and body, byte for byte) and reads one response;
   * bytes the server did not read are simply not sent when it has answered and closed already.
   */
  static Response sendBytes(URI endpoint, byte[] request) throws IOException {
    try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
      socket.setSoTimeout(30_000);
      Thread writer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      socket.getOutputStream().write(request);
                      socket.getOutputStream().flush();
                    } catch (IOException answeredEarly) {
                      // The server answered (and closed) before reading everything.
                    }
                  });
      try {
        // Buffered: the answer is taken in one read, before a reset for unread bytes can drop it.
        boolean head =
            new String(request, 0, Math.min(5, request.length), StandardCharsets.US_ASCII)
                .equals("HEAD ");
        return read(new java.io.BufferedInputStream(socket.getInputStream(), 65536), head);
      } finally {
        writer.interrupt();
      }
    }
  }

  /** Reads one response (skipping {@code 100 Continue}); the body by its Content-Length. */
  static Response read(InputStream in) throws IOException {
    return read(in, false);
  }

  /** As {@link #read(InputStream)}; the answer to a HEAD request ({@code head}) has no body. */
  static Response read(InputStream in, boolean head) throws IOException {
    while (true) {
      String status = line(in);
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (String l; !(l = line(in)).isEmpty(); ) {
        int c = l.indexOf(':');
        headers.put(l.substring(0, c).trim(), l.substring(c + 1).trim());
      }
      int code = Integer.parseInt(status.split(" ")[1]);
      if (code == 100) {
        continue;
      }
      byte[] body;
      String length = headers.get("Content-Length");
      if (head) {
        body = new byte[0];
      } else {
        body = length != null ? in.readNBytes(Integer.parseInt(length)) : in.readAllBytes();
      }
      return new Response(code, headers, new String(body, StandardCharsets.UTF_8));
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }
}

package io.github.s3eg.it.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Fetches a (presigned) URL over a plain socket and reports exactly how the transfer ended, which a
 * client library would hide: the declared length, the bytes that arrived, and whether the
 * connection was closed (FIN), reset (RST), or still open when the read timed out.
 */
final class RawDownload {

  enum End {
    /** Every declared byte arrived. */
    COMPLETE,
    /** The connection ended (closed or reset) before the declared length. */
    ABORTED,
    /** Nothing more arrived within the read timeout and the connection stayed open. */
    STUCK
  }

  record Result(int status, long declaredLength, long received, End end) {}

  private RawDownload() {}

  static Result get(URL url, int readTimeoutMillis) throws IOException {
    try (Socket socket = new Socket(url.getHost(), url.getPort())) {
      socket.setSoTimeout(readTimeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + url.getFile()
                  + " HTTP/1.1\r\nHost: "
                  + url.getHost()
                  + ":"
                  + url.getPort()
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      int status;
      long length = -1;
      try {
        String statusLine = line(in);
        status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String l; !(l = line(in)).isEmpty(); ) {
          int colon = l.indexOf(':');
          if (l.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
            length = Long.parseLong(l.substring(colon + 1).trim());
          }
        }
      } catch (SocketTimeoutException e) {
        return new Result(-1, -1, 0, End.STUCK);
      } catch (IOException e) {
        return new Result(-1, -1, 0, End.ABORTED);
      }
      long received = 0;
      byte[] buf = new byte[65536];
      try {
        for (int n; (length < 0 || received < length) && (n = in.read(buf)) > 0; ) {
          received += n;
        }
      } catch (SocketTimeoutException e) {
        return new Result(status, length, received, End.STUCK);
      } catch (IOException reset) {
        return new Result(status, length, received, End.ABORTED);
      }
      return new Result(status, length, received, received == length ? End.COMPLETE : End.ABORTED);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new IOException("connection closed in the response head");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }
}

package io.meshgate.gateway.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Virtual users over plain blocking sockets with a minimal HTTP/1.1 codec: the request is encoded
 * once, each answer is read into a buffer the connection reuses and never decoded to text, so the
 * load generator costs little CPU next to the gateway it measures. Understands {@code
 * Content-Length}, chunked and close-delimited bodies and {@code Connection: close}; nothing more
 * is needed to talk to a GraphQL endpoint.
 */
final class RawSocketLoadClient implements LoadClient {

  private final InetSocketAddress address;
  private final byte[] request;
  private final int timeoutMillis;

  RawSocketLoadClient(
      URI url,
      byte[] body,
      Duration timeout,
      @org.jspecify.annotations.Nullable String authorization) {
    int port = url.getPort() == -1 ? 80 : url.getPort();
    this.address = new InetSocketAddress(url.getHost(), port);
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    String head =
        "POST "
            + path
            + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery())
            + " HTTP/1.1\r\n"
            + "Host: "
            + url.getHost()
            + ":"
            + port
            + "\r\n"
            + "Content-Type: application/json\r\n"
            + "Accept: application/json\r\n"
            + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
            + "Content-Length: "
            + body.length
            + "\r\n"
            + "\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    this.request = Arrays.copyOf(headBytes, headBytes.length + body.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
    this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
  }

  @Override
  public Connection open() {
    return new RawConnection();
  }

  @Override
  public void close() {
    // connections are closed by their users
  }

  private final class RawConnection implements Connection {

    private @Nullable Socket socket;
    private @Nullable InputStream in;
    private @Nullable OutputStream out;

    /** Bytes received and not yet consumed are {@code buffer[start, end)}. */
    private byte[] buffer = new byte[128 * 1024];

    private int start;
    private int end;
    private byte[] chunks = new byte[0];

    @Override
    public Answer exchange() throws IOException {
      try {
        if (socket == null) {
          connect();
        }
        out.write(request);
        return readAnswer();
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
    }

    private void connect() throws IOException {
      Socket connected = new Socket();
      connected.setTcpNoDelay(true);
      connected.connect(address, timeoutMillis);
      connected.setSoTimeout(timeoutMillis);
      socket = connected;
      in = connected.getInputStream();
      out = connected.getOutputStream();
      start = 0;
      end = 0;
    }

    private Answer readAnswer() throws IOException {
      compact();
      int headEnd;
      int searched = 0;
      while ((headEnd = indexOfBlankLine(searched)) < 0) {
        searched = Math.max(0, end - 3);
        fill();
      }
      int status = status();
      long contentLength = -1;
      boolean chunked = false;
      boolean closeAfter = false;
      int line = lineEnd(0) + 2;
      while (line < headEnd) {
        int lineEnd = lineEnd(line);
        int colon = indexOf((byte) ':', line, lineEnd);
        if (colon > 0) {
          String name = ascii(line, colon).trim();
          String value = ascii(colon + 1, lineEnd).trim();
          if (name.equalsIgnoreCase("Content-Length")) {
            contentLength = Long.parseLong(value);
          } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
            chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          } else if (name.equalsIgnoreCase("Connection")) {
            closeAfter = value.equalsIgnoreCase("close");
          }
        }
        line = lineEnd + 2;
      }
      int bodyStart = headEnd + 4;
      Answer answer;
      if (chunked) {
        answer = readChunked(status, bodyStart);
      } else if (contentLength >= 0) {
        if (contentLength > Integer.MAX_VALUE - bodyStart - 16) {
          throw new ProtocolException("answer too large: " + contentLength + " bytes");
        }
        int length = (int) contentLength;
        while (end - bodyStart < length) {
          fill();
        }
        start = bodyStart + length;
        answer = new Answer(status, buffer, bodyStart, length);
      } else if (status / 100 == 1 || status == 204 || status == 304) {
        start = bodyStart;
        answer = new Answer(status, buffer, bodyStart, 0);
      } else {
        while (fillOrEof()) {
          // a body without a length ends with the connection
        }
        start = end;
        closeAfter = true;
        answer = new Answer(status, buffer, bodyStart, end - bodyStart);
      }
      if (closeAfter) {
        // the answer stays valid: it lives in this connection's buffers, which the next connect()
        // reuses
        closeSocket();
      }
      return answer;
    }

    private Answer readChunked(int status, int bodyStart) throws IOException {
      int position = bodyStart;
      int length = 0;
      while (true) {
        int sizeEnd;
        while ((sizeEnd = indexOfCrlf(position)) < 0) {
          fill();
        }
        String sizeLine = ascii(position, sizeEnd);
        int semicolon = sizeLine.indexOf(';');
        int size =
            Integer.parseInt(
                (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
        position = sizeEnd + 2;
        if (size == 0) {
          // trailers, if any, end with an empty line
          while (true) {
            int trailerEnd;
            while ((trailerEnd = indexOfCrlf(position)) < 0) {
              fill();
            }
            boolean empty = trailerEnd == position;
            position = trailerEnd + 2;
            if (empty) {
              start = position;
              return new Answer(status, chunks, 0, length);
            }
          }
        }
        while (end - position < size + 2) {
          fill();
        }
        if (chunks.length < length + size) {
          chunks = Arrays.copyOf(chunks, Math.max(2 * chunks.length, length + size));
        }
        System.arraycopy(buffer, position, chunks, length, size);
        length += size;
        position += size + 2;
      }
    }

    private int status() throws ProtocolException {
      // "HTTP/1.1 200 OK"
      if (end - start < 12 || buffer[start] != 'H' || buffer[start + 8] != ' ') {
        throw new ProtocolException(
            "not an HTTP/1.x answer: " + ascii(start, Math.min(end, start + 40)));
      }
      int status = 0;
      for (int i = start + 9; i < start + 12; i++) {
        int digit = buffer[i] - '0';
        if (digit < 0 || digit > 9) {
          throw new ProtocolException("bad status line: " + ascii(start, lineEnd(start)));
        }
        status = status * 10 + digit;
      }
      return status;
    }

    /**
     * Moves unread bytes to the front, so positions within one answer stay valid while the buffer
     * only grows.
     */
    private void compact() {
      if (start > 0) {
        System.arraycopy(buffer, start, buffer, 0, end - start);
        end -= start;
        start = 0;
      }
    }

    private void fill() throws IOException {
      if (!fillOrEof()) {
        throw new EOFException("the gateway closed the connection mid-answer");
      }
    }

    private boolean fillOrEof() throws IOException {
      if (end == buffer.length) {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
      int read = in.read(buffer, end, buffer.length - end);
      if (read < 0) {
        return false;
      }
      end += read;
      return true;
    }

    private int indexOfBlankLine(int from) {
      for (int i = Math.max(from, start); i + 3 < end; i++) {
        if (buffer[i] == '\r'
            && buffer[i + 1] == '\n'
            && buffer[i + 2] == '\r'
            && buffer[i + 3] == '\n') {
          return i;
        }
      }
      return -1;
    }

    private int indexOfCrlf(int from) {
      for (int i = from; i + 1 < end; i++) {
        if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
          return i;
        }
      }
      return -1;
    }

    private int lineEnd(int from) {
      int crlf = indexOfCrlf(from);
      return crlf < 0 ? end : crlf;
    }

    private int indexOf(byte b, int from, int to) {
      for (int i = from; i < to; i++) {
        if (buffer[i] == b) {
          return i;
        }
      }
      return -1;
    }

    private String ascii(int from, int to) {
      return new String(buffer, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private void closeSocket() {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException e) {
          // nothing left to do with it
        }
      }
      socket = null;
      in = null;
      out = null;
    }

    @Override
    public void close() {
      closeSocket();
      start = 0;
      end = 0;
    }
  }
}

package io.meshgate.runtime.subgraph;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

/**
 * A request whose body was already read into memory, optionally with another {@code Content-Type}.
 */
final class BufferedBody extends HttpServletRequestWrapper {

  private final byte[] body;
  private final @Nullable String contentType;

  /**
   * @param contentType the {@code Content-Type} the request is passed on with; null keeps the
   *     client's
   */
  BufferedBody(HttpServletRequest request, byte[] body, @Nullable String contentType) {
    super(request);
    this.body = body;
    this.contentType = contentType;
  }

  @Override
  public ServletInputStream getInputStream() {
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    return new ServletInputStream() {
      @Override
      public int read() {
        return in.read();
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        return in.read(buffer, offset, length);
      }

      @Override
      public boolean isFinished() {
        return in.available() == 0;
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setReadListener(ReadListener listener) {
        throw new UnsupportedOperationException("the body is already read");
      }
    };
  }

  @Override
  public BufferedReader getReader() {
    String encoding = getCharacterEncoding();
    Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
    return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
  }

  @Override
  public int getContentLength() {
    return body.length;
  }

  @Override
  public long getContentLengthLong() {
    return body.length;
  }

  @Override
  public @Nullable String getContentType() {
    return contentType != null ? contentType : super.getContentType();
  }

  @Override
  public @Nullable String getCharacterEncoding() {
    return contentType != null ? StandardCharsets.UTF_8.name() : super.getCharacterEncoding();
  }

  @Override
  public @Nullable String getHeader(String name) {
    if (contentType != null && HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
      return contentType;
    }
    if (HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)) {
      return Integer.toString(body.length);
    }
    return super.getHeader(name);
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    String replaced =
        HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)
                || HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)
            ? getHeader(name)
            : null;
    return replaced != null ? Collections.enumeration(List.of(replaced)) : super.getHeaders(name);
  }
}

package io.meshgate.runtime.subgraph;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request body larger than {@link SubgraphLimits#maxBodySize()} with {@code 413} and a
 * GraphQL error coded {@code PAYLOAD_TOO_LARGE}, before any of it is parsed. A declared {@code
 * Content-Length} is checked without reading; a body of unknown length (chunked) is read up to the
 * limit and refused as soon as it goes beyond.
 */
public final class RequestBodyLimit extends OncePerRequestFilter {

  private final long maxBytes;

  public RequestBodyLimit(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long declared = request.getContentLengthLong();
    if (declared > maxBytes) {
      refuse(
          request,
          response,
          "the request body is " + declared + " bytes; the limit is " + maxBytes + " bytes");
      return;
    }
    if (declared >= 0 || !hasBody(request)) {
      // The server reads no more than the declared length.
      chain.doFilter(request, response);
      return;
    }
    byte[] body =
        request
            .getInputStream()
            .readNBytes(Math.toIntExact(Math.min(maxBytes + 1, Integer.MAX_VALUE - 8)));
    if (body.length > maxBytes) {
      refuse(
          request, response, "the request body is larger than the limit of " + maxBytes + " bytes");
      return;
    }
    chain.doFilter(new BufferedBody(request, body, null), response);
  }

  private static boolean hasBody(HttpServletRequest request) {
    return request.getHeader("Transfer-Encoding") != null;
  }

  private static void refuse(
      HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
    GraphQlErrorResponse.write(
        request,
        response,
        HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
        message);
  }
}

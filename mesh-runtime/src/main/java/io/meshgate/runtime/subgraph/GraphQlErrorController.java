package io.meshgate.runtime.subgraph;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Answers every error the web server or framework reports (the error page, {@code /error}) as a
 * GraphQL error document with a code rather than as an HTML page or the framework's own JSON: a
 * request that got past {@link GraphQlRequestFilter} and was still refused, a path that serves
 * nothing, a failure of the service. The status stays; the message says what kind of refusal it is
 * and never shows an exception.
 */
@Controller
public final class GraphQlErrorController implements ErrorController {

  private static final Logger log = LoggerFactory.getLogger(GraphQlErrorController.class);

  private final String graphqlPath;

  /**
   * @param graphqlPath where the GraphQL endpoint is, named in the message of a path that serves
   *     nothing
   */
  public GraphQlErrorController(String graphqlPath) {
    this.graphqlPath = graphqlPath;
  }

  @RequestMapping("${server.error.path:${error.path:/error}}")
  void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
    int status =
        request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code
            ? code
            : 404;
    if (status < 400) {
      status = 500;
    }
    if (status >= 500 && status != 503) {
      log.error(
          "Request {} {} failed with {}",
          request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
          request.getMethod(),
          status,
          request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t
              ? t
              : null);
    }
    GraphQlErrorResponse.write(request, response, status, code(status), message(status));
  }

  /** The error code of a refusal with HTTP {@code status}. */
  static String code(int status) {
    return switch (status) {
      case 400 -> "BAD_REQUEST";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "FORBIDDEN";
      case 404 -> "NOT_FOUND";
      case 405 -> "METHOD_NOT_ALLOWED";
      case 406 -> "NOT_ACCEPTABLE";
      case 408 -> "TIMEOUT";
      case 413 -> "PAYLOAD_TOO_LARGE";
      case 414 -> "URI_TOO_LONG";
      case 415 -> "UNSUPPORTED_MEDIA_TYPE";
      case 431 -> "REQUEST_HEADER_FIELDS_TOO_LARGE";
      case 503 -> "SERVICE_UNAVAILABLE";
      default -> status >= 500 ? ErrorCodes.INTERNAL : "BAD_REQUEST";
    };
  }

  private String message(int status) {
    String how =
        "; the GraphQL endpoint is a POST to "
            + graphqlPath
            + " with Content-Type application/json and a"
            + " body such as {\"query\": \"{ __typename }\"}";
    return switch (status) {
      case 400 -> "the request could not be read as a GraphQL request" + how;
      case 404 -> "nothing is served at this path" + how;
      case 503 -> "the subgraph cannot answer now; try again shortly";
      default -> {
        HttpStatus known = HttpStatus.resolve(status);
        String reason =
            known == null
                ? "the request was refused"
                : known.getReasonPhrase().toLowerCase(Locale.ROOT);
        yield status >= 500
            ? "internal error of the subgraph (" + reason + "); its log has the details"
            : reason + how;
      }
    };
  }
}

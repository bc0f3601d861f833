package io.meshgate.runtime.subgraph;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's last word on a request it refused before any servlet saw it (a request line or headers
 * too large or malformed, an invalid URI), written as a GraphQL error document with a code instead
 * of Tomcat's HTML page. Errors a servlet saw are answered by {@link GraphQlErrorController}.
 */
public final class GraphQlErrorReportValve extends ErrorReportValve {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  protected void report(Request request, Response response, @Nullable Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(false);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    HttpStatus known = HttpStatus.resolve(status);
    String reason = known == null ? "refused" : known.getReasonPhrase().toLowerCase(Locale.ROOT);
    String message =
        status >= 500
            ? "internal error of the subgraph (" + reason + "); its log has the details"
            : "the request was refused before it was read ("
                + reason
                + "): its request line or headers are malformed or"
                + " too large; send the operation as a POST with Content-Type application/json";
    try {
      response.setContentType("application/json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(
            JSON.writeValueAsString(
                Map.of(
                    "errors",
                    List.of(
                        Map.of(
                            "message",
                            message,
                            "extensions",
                            Map.of("code", GraphQlErrorController.code(status)))))));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the client is gone or the response cannot be written: nothing more to tell
    }
  }
}

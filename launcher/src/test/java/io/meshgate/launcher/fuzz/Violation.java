package io.meshgate.launcher.fuzz;

/**
 * One broken promise, with what it takes to replay it.
 *
 * @param kind which invariant was broken
 * @param target the endpoint that broke it
 * @param detail what distinguishes this class of violation within its kind (a status, an error
 *     code), so reports can group them
 * @param index the operation's index in its seeded run; -1 for the probe
 * @param request what was sent, abridged
 * @param answer what came back, abridged
 */
public record Violation(
    Kind kind, String target, String detail, int index, String request, String answer) {

  /** The invariants the harness checks. */
  public enum Kind {
    /** A 5xx other than 503 (load shedding). */
    SERVER_ERROR,
    /** A 2xx or 4xx whose body is not a JSON object with {@code data} or {@code errors}. */
    NOT_GRAPHQL_RESPONSE,
    /** An error without {@code extensions.code}. */
    ERROR_WITHOUT_CODE,
    /** An error coded {@code INTERNAL_ERROR} or {@code INTERNAL_SERVER_ERROR}. */
    INTERNAL_ERROR,
    /** A Java exception class or stack frame in the answer. */
    LEAKED_EXCEPTION,
    /** {@code data} is null or absent and no error says why. */
    NULL_WITHOUT_ERRORS,
    /** No answer within the client's timeout. */
    HANG,
    /**
     * The connection closed without an HTTP answer, also when the request was sent again on a new
     * one.
     */
    NO_ANSWER,
    /**
     * A kept-alive connection closed under a request that a new connection then answered: the
     * server closed a connection it had kept open without saying so (for instance after refusing an
     * oversize body).
     */
    CONNECTION_DROPPED,
    /** The {@code __typename} probe took longer than a second or did not answer {@code Query}. */
    SLOW_PROBE,
    /** The mesh still used CPU after the run had settled. */
    CPU_NOT_IDLE
  }

  /** The class this violation belongs to: one report line per class. */
  public String classKey() {
    return kind + " " + target + " " + detail;
  }
}

package io.meshgate.gateway.server;

import io.meshgate.gateway.auth.Principal;
import java.time.Duration;
import java.util.Map;

/** What the server decided from a request's head, before reading its body. */
sealed interface Admission {

  /** Answered from the head alone (a refusal, a page, a redirect); any body is read and dropped. */
  record Answer(Reply reply) implements Admission {}

  /**
   * A GraphQL request admitted: its body is read (up to the server's limit), then it runs on the
   * leased gateway within {@code budget}.
   *
   * @param lease the gateway and the concurrency permit the request holds until it is answered
   * @param budget the request's deadline, counted from when its body has arrived
   * @param graphQlResponse answer as {@code application/graphql-response+json}
   * @param corsHeaders headers that let an allowed foreign origin read the answer
   * @param principal the caller, authenticated from the request's head
   */
  record Execute(
      GatewayServer.Lease lease,
      Duration budget,
      boolean graphQlResponse,
      Map<String, String> corsHeaders,
      Principal principal)
      implements Admission {}
}

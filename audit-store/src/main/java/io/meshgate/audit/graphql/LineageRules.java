package io.meshgate.audit.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.audit.chain.ChainedEntry;
import io.meshgate.audit.chain.ChangeEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Which upstream records a product record was derived from, read from the record's own logged row
 * images: finance invoices name their distribution order in {@code order_id}, and finance ledger
 * transactions booked for an order say {@code order <id>} or {@code reversal of order <id>} in
 * {@code reference} (the rules finance's order reactions write by, see its catalog's lineage).
 */
final class LineageRules {

  /** An upstream record: its product, entity and key. */
  record Upstream(String product, String entity, ObjectNode key) {}

  private record Rule(
      String product,
      String entity,
      String upstreamProduct,
      String upstreamEntity,
      Function<JsonNode, Optional<String>> upstreamId) {}

  private static final Pattern ORDER_REFERENCE = Pattern.compile("(?:reversal of )?order (\\S+)");

  private static final List<Rule> RULES =
      List.of(
          new Rule("finance", "invoice", "distribution", "order", row -> text(row, "order_id")),
          new Rule(
              "finance",
              "ledger_transaction",
              "distribution",
              "order",
              row ->
                  text(row, "reference")
                      .flatMap(
                          reference -> {
                            Matcher matcher = ORDER_REFERENCE.matcher(reference);
                            return matcher.matches()
                                ? Optional.of(matcher.group(1))
                                : Optional.empty();
                          })));

  private LineageRules() {}

  /** The upstream records of a record with these entries, in the order first named. */
  static List<Upstream> upstreamOf(String product, String entity, List<ChainedEntry> entries) {
    Set<Upstream> upstream = new LinkedHashSet<>();
    for (Rule rule : RULES) {
      if (!rule.product().equals(product) || !rule.entity().equals(entity)) {
        continue;
      }
      for (ChainedEntry entry : entries) {
        ChangeEvent change = entry.entry().change();
        for (@Nullable ObjectNode row : new ObjectNode[] {change.after(), change.before()}) {
          if (row != null) {
            rule.upstreamId()
                .apply(row)
                .ifPresent(
                    id ->
                        upstream.add(
                            new Upstream(
                                rule.upstreamProduct(),
                                rule.upstreamEntity(),
                                JsonNodeFactory.instance.objectNode().put("id", id))));
          }
        }
      }
    }
    return new ArrayList<>(upstream);
  }

  private static Optional<String> text(JsonNode row, String column) {
    JsonNode value = row.get(column);
    return value != null && value.isTextual() && !value.textValue().isBlank()
        ? Optional.of(value.textValue())
        : Optional.empty();
  }
}

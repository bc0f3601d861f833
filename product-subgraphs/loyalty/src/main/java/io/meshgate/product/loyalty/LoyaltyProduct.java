package io.meshgate.product.loyalty;

import io.meshgate.product.api.EntityDefinition;
import io.meshgate.product.api.ProductDefinition;
import java.util.List;

/** The loyalty data product's declaration: it owns memberships. */
public final class LoyaltyProduct {

  /** Product name, also its topic and slot prefix. */
  public static final String NAME = "loyalty";

  /** Captured entities and contract locations. */
  public static final ProductDefinition DEFINITION =
      new ProductDefinition(
          NAME,
          List.of(
              new EntityDefinition(
                  "member",
                  "loyalty.members",
                  List.of("id"),
                  1,
                  "meshgate/loyalty/events/member.v1.schema.json")),
          "meshgate/loyalty/sql",
          "meshgate/loyalty/graphql");

  private LoyaltyProduct() {}
}

package io.meshgate.catalog.bench;

import io.meshgate.catalog.model.CatalogEntry;
import io.meshgate.catalog.model.DatasetKind;
import io.meshgate.catalog.model.Field;
import io.meshgate.catalog.model.LineageEdge;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A reproducible synthetic enterprise catalog: products with domains and owners, datasets of every
 * kind with realistic names and descriptions, fields with types and classifications, and lineage
 * edges from each dataset's fields to fields of earlier datasets (also across products).
 */
public final class SyntheticCatalog {

  static final String[] PRODUCTS = {
    "sales",
    "distribution",
    "finance",
    "marketing",
    "support",
    "hr",
    "inventory",
    "procurement",
    "analytics",
    "risk",
    "payments",
    "shipping",
    "loyalty",
    "pricing",
    "catalog",
    "identity"
  };
  private static final String[] DOMAINS = {
    "Sales",
    "Logistics",
    "Finance",
    "Marketing",
    "Service",
    "People",
    "Operations",
    "Sourcing",
    "Insights",
    "Risk"
  };
  private static final String[] NOUNS = {
    "customer",
    "order",
    "invoice",
    "payment",
    "shipment",
    "product",
    "account",
    "ledger",
    "employee",
    "supplier",
    "warehouse",
    "campaign",
    "ticket",
    "contract",
    "price",
    "discount",
    "refund",
    "address",
    "session",
    "device",
    "region",
    "store",
    "basket",
    "coupon",
    "review",
    "claim",
    "policy",
    "asset",
    "budget",
    "forecast",
    "segment",
    "channel",
    "vendor",
    "carrier",
    "parcel",
    "route",
    "tariff",
    "tax",
    "currency",
    "subscription",
    "plan",
    "usage",
    "event",
    "click",
    "visit",
    "lead",
    "opportunity",
    "quote",
    "return",
    "stock"
  };
  private static final String[] QUALIFIERS = {
    "daily",
    "history",
    "snapshot",
    "summary",
    "line",
    "item",
    "status",
    "detail",
    "archive",
    "staging",
    "current",
    "monthly",
    "audit",
    "raw",
    "clean",
    "enriched"
  };
  private static final String[] ATTRIBUTES = {
    "id",
    "name",
    "email",
    "phone",
    "created_at",
    "updated_at",
    "amount",
    "currency",
    "status",
    "country",
    "city",
    "postal_code",
    "quantity",
    "price",
    "total",
    "tax_rate",
    "discount",
    "description",
    "type",
    "category",
    "code",
    "balance",
    "score",
    "rank",
    "weight",
    "volume",
    "due_date",
    "paid_at",
    "shipped_at",
    "delivered_at",
    "owner_id",
    "region_code",
    "iban",
    "birth_date",
    "gender",
    "segment",
    "channel",
    "source",
    "version",
    "deleted"
  };
  private static final String[] TYPES = {
    "uuid",
    "text",
    "varchar(200)",
    "numeric(18,2)",
    "integer",
    "bigint",
    "timestamptz",
    "date",
    "boolean",
    "char(2)",
    "jsonb"
  };
  private static final String[] WORDS = {
    "the",
    "of",
    "each",
    "per",
    "as",
    "recorded",
    "when",
    "by",
    "current",
    "latest",
    "value",
    "computed",
    "from",
    "source",
    "system",
    "business",
    "unique",
    "identifier",
    "reported",
    "daily",
    "total",
    "customer",
    "order",
    "amount",
    "date",
    "status",
    "country",
    "code",
    "name",
    "used",
    "for",
    "billing",
    "shipping",
    "reporting",
    "analytics",
    "contact",
    "address",
    "payment",
    "balance",
    "risk"
  };
  private static final DatasetKind[] KINDS = {
    DatasetKind.TABLE,
    DatasetKind.TABLE,
    DatasetKind.TOPIC,
    DatasetKind.GRAPHQL_TYPE,
    DatasetKind.TABLE,
    DatasetKind.VIEW,
    DatasetKind.METRIC
  };

  /** Lineage joins the first fields of each dataset, as keys and a few measures would. */
  private static final int LINEAGE_FIELDS = 5;

  private SyntheticCatalog() {}

  /**
   * {@code datasets} entries of {@code fieldsPerDataset} fields each; every dataset after the first
   * declares {@code edgesPerDataset} lineage edges into its own fields from fields of earlier
   * datasets.
   */
  public static List<CatalogEntry> generate(
      int datasets, int fieldsPerDataset, int edgesPerDataset, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<CatalogEntry> entries = new ArrayList<>(datasets);
    for (int d = 0; d < datasets; d++) {
      int productIndex = d % PRODUCTS.length;
      String product = PRODUCTS[productIndex];
      String noun = NOUNS[random.nextInt(NOUNS.length)];
      String name = noun + "_" + QUALIFIERS[random.nextInt(QUALIFIERS.length)] + "_" + d;
      DatasetKind kind = KINDS[random.nextInt(KINDS.length)];
      List<Field> fields = new ArrayList<>(fieldsPerDataset);
      for (int f = 0; f < fieldsPerDataset; f++) {
        String attribute = ATTRIBUTES[f % ATTRIBUTES.length];
        String fieldName = f < ATTRIBUTES.length ? attribute : attribute + "_" + f;
        List<String> classifications =
            attribute.equals("email") || attribute.equals("phone") || attribute.equals("birth_date")
                ? List.of("PII")
                : attribute.equals("iban") || attribute.equals("balance")
                    ? List.of("FINANCIAL")
                    : List.of();
        fields.add(
            new Field(
                fieldName,
                TYPES[random.nextInt(TYPES.length)],
                sentence(random, noun, attribute, 8),
                null,
                classifications,
                f % 10 == 0 ? List.of("key") : List.of()));
      }
      List<LineageEdge> lineage = new ArrayList<>();
      String datasetId = product + "/" + kind.segment() + "/" + name;
      for (int e = 0; e < edgesPerDataset && d > 0; e++) {
        CatalogEntry upstream = entries.get(random.nextInt(Math.max(0, d - 50), d));
        // mostly continue a chain (a field that is itself made from others), so paths get long
        String from =
            !upstream.lineage().isEmpty() && random.nextInt(10) < 8
                ? upstream.lineage().get(random.nextInt(upstream.lineage().size())).to()
                : upstream.fieldId(
                    upstream
                        .fields()
                        .get(random.nextInt(Math.min(LINEAGE_FIELDS, upstream.fields().size())))
                        .name());
        String to =
            datasetId
                + "#"
                + fields.get(random.nextInt(Math.min(LINEAGE_FIELDS, fields.size()))).name();
        lineage.add(
            LineageEdge.of(
                from,
                to,
                LineageEdge.Kind.values()[random.nextInt(LineageEdge.Kind.values().length)]));
      }
      entries.add(
          new CatalogEntry(
              product,
              DOMAINS[productIndex % DOMAINS.length],
              kind,
              name,
              sentence(random, noun, "dataset", 20),
              "team-" + product + "-" + (d % 7),
              List.of(noun, QUALIFIERS[d % QUALIFIERS.length]),
              d % 3 == 0 ? List.of("PII") : List.of(),
              1 + d % 4,
              List.of(),
              List.of(),
              null,
              fields,
              lineage,
              null));
    }
    return entries;
  }

  private static String sentence(
      SplittableRandom random, String noun, String attribute, int words) {
    StringBuilder text =
        new StringBuilder("The ")
            .append(attribute.replace('_', ' '))
            .append(" of the ")
            .append(noun);
    for (int i = 0; i < words; i++) {
      text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
    }
    return text.append('.').toString();
  }
}

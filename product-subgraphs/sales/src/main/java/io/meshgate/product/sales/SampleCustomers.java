package io.meshgate.product.sales;

import io.meshgate.schema.jooq.sales.sales.tables.records.CustomersRecord;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Loads a realistic, reproducible sample of customers on the product's first start, so a newcomer
 * sees data at once. Runs as a versioned migration: exactly once per database, and never again
 * after customers are deleted.
 */
class SampleCustomers implements JavaMigration {

  static final int COUNT = 1_000;

  private static final String[] FIRST = {
    "Anna", "Lukas", "Sofia", "Mateo", "Olivia", "Noah", "Emma", "Liam", "Mia", "Hiroshi", "Yuki",
    "Aisha", "Omar", "Chloe", "Lucas", "Elena", "Marco", "Ingrid", "Sven", "Priya", "Arjun",
    "Fatima", "Diego", "Camille", "Jonas", "Zofia", "Pieter", "Amara", "Kofi", "Leila", "Tomás",
    "Grace", "Wei", "Mei", "Ravi", "Isabel", "Nora", "Felix", "Hana", "Jakub"
  };
  private static final String[] LAST = {
    "Müller",
    "Schmidt",
    "García",
    "Rossi",
    "Smith",
    "Johnson",
    "Tanaka",
    "Suzuki",
    "Khan",
    "Haddad",
    "Dubois",
    "Martin",
    "Silva",
    "Novak",
    "Jansen",
    "Nowak",
    "Andersson",
    "Nielsen",
    "Patel",
    "Sharma",
    "Okafor",
    "Mensah",
    "López",
    "Fernández",
    "Bernard",
    "Kowalski",
    "de Vries",
    "Chen",
    "Wang",
    "Kim",
    "Park",
    "O'Brien",
    "Murphy",
    "Costa",
    "Lindqvist"
  };
  private static final String[] COMPANY_STEM = {
    "Northwind",
    "Bluefin",
    "Keystone",
    "Alpine",
    "Harbor",
    "Summit",
    "Evergreen",
    "Ironwood",
    "Silverline",
    "Brightpath",
    "Nordlicht",
    "Solstice",
    "Vantage",
    "Redwood",
    "Cobalt",
    "Meridian",
    "Atlas",
    "Orion",
    "Pioneer",
    "Granite"
  };
  private static final String[] COMPANY_KIND = {
    "Logistics",
    "Foods",
    "Systems",
    "Health",
    "Retail",
    "Energy",
    "Textiles",
    "Analytics",
    "Motors",
    "Pharma",
    "Media",
    "Builders"
  };
  private static final String[] AGENCY = {
    "City of",
    "Ministry of Transport,",
    "Department of Health,",
    "Regional Council",
    "Public Library of",
    "University of"
  };
  private static final String[] COUNTRIES = {
    "DE", "DE", "DE", "US", "US", "US", "GB", "GB", "FR", "FR", "NL", "ES", "IT", "SE", "PL", "JP",
    "IN", "BR", "CA", "AU", "CH", "AT", "DK", "NG", "KR"
  };
  private static final String[] CITIES = {
    "Berlin",
    "Austin",
    "Leeds",
    "Lyon",
    "Utrecht",
    "Valencia",
    "Turin",
    "Malmö",
    "Gdańsk",
    "Osaka",
    "Pune",
    "Curitiba",
    "Ottawa",
    "Perth",
    "Basel"
  };

  @Override
  public void migrate(Context context) {
    DSLContext dsl = DSL.using(context.getConnection(), SQLDialect.POSTGRES);
    dsl.batchInsert(generate(COUNT, new Random(20261126L), OffsetDateTime.now(ZoneOffset.UTC)))
        .execute();
  }

  /** The sample rows, reproducible for a given random source. */
  static List<CustomersRecord> generate(int count, Random random, OffsetDateTime now) {
    List<CustomersRecord> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String segment = pickSegment(random);
      String country = COUNTRIES[random.nextInt(COUNTRIES.length)];
      String name = nameFor(segment, random);
      OffsetDateTime created = now.minusMinutes(random.nextInt(3 * 365 * 24 * 60));
      OffsetDateTime updated =
          created.plusMinutes(
              random.nextInt((int) Math.max(1, Duration.between(created, now).toMinutes())));
      CustomersRecord row = new CustomersRecord();
      row.setId(
          UUID.nameUUIDFromBytes(
              ("meshgate-sample-customer-" + i).getBytes(StandardCharsets.UTF_8)));
      row.setName(name);
      row.setEmail(emailFor(name, segment, i, country));
      row.setCountry(country);
      row.setSegment(segment);
      row.setCreatedAt(created);
      row.setUpdatedAt(updated);
      rows.add(row);
    }
    return rows;
  }

  private static String pickSegment(Random random) {
    int roll = random.nextInt(100);
    if (roll < 55) {
      return "CONSUMER";
    }
    if (roll < 80) {
      return "SMALL_BUSINESS";
    }
    return roll < 95 ? "ENTERPRISE" : "PUBLIC_SECTOR";
  }

  private static String nameFor(String segment, Random random) {
    return switch (segment) {
      case "CONSUMER" ->
          FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)];
      case "PUBLIC_SECTOR" ->
          AGENCY[random.nextInt(AGENCY.length)] + " " + CITIES[random.nextInt(CITIES.length)];
      default ->
          COMPANY_STEM[random.nextInt(COMPANY_STEM.length)]
              + " "
              + COMPANY_KIND[random.nextInt(COMPANY_KIND.length)]
              + (segment.equals("ENTERPRISE") ? " Group" : "");
    };
  }

  private static String emailFor(String name, String segment, int i, String country) {
    String slug =
        Normalizer.normalize(name, Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", ".")
            .replaceAll("^\\.|\\.$", "");
    String domain =
        segment.equals("CONSUMER") ? "example.com" : "example." + country.toLowerCase(Locale.ROOT);
    return segment.equals("CONSUMER")
        ? slug + "." + i + "@" + domain
        : "purchasing+" + i + "@" + slug.replace('.', '-') + "." + domain;
  }

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("3");
  }

  @Override
  public Integer getChecksum() {
    return COUNT;
  }

  @Override
  public String getDescription() {
    return "sales sample customers";
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }
}

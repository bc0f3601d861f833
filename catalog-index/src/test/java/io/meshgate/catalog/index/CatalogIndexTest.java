package io.meshgate.catalog.index;

import static io.meshgate.catalog.testing.Entries.dataset;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.catalog.model.CatalogEntry;
import io.meshgate.catalog.testing.CatalogTopic;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogIndexTest {

  @TempDir Path dir;

  @Test
  void upsertedDatasetIsFoundWithItsFieldsAfterRefresh() throws IOException {
    try (CatalogIndex index = CatalogIndex.open(dir)) {
      CatalogEntry customers = customers(1, "id", "email");
      index.apply(CatalogRecord.upsert(customers, 0, 0));

      assertThat(index.dataset(customers.id())).as("before refresh").isEmpty();
      index.refresh();

      assertThat(index.dataset(customers.id())).contains(customers);
      assertThat(index.countsByProduct()).containsExactly(new ProductCount("sales", 1, 2));
    }
  }

  @Test
  void newVersionOfADatasetReplacesAllItsDocuments() throws IOException {
    try (CatalogIndex index = CatalogIndex.open(dir)) {
      index.apply(CatalogRecord.upsert(customers(1, "id", "email", "phone"), 0, 0));
      index.apply(CatalogRecord.upsert(customers(2, "id", "email_address"), 0, 1));
      index.refresh();

      assertThat(index.countsByProduct()).containsExactly(new ProductCount("sales", 1, 2));
      assertThat(fieldIds(index))
          .containsExactlyInAnyOrder(
              "sales/table/customers#id", "sales/table/customers#email_address");
      assertThat(index.dataset("sales/table/customers"))
          .get()
          .extracting(CatalogEntry::schemaVersion)
          .isEqualTo(2);
    }
  }

  @Test
  void tombstoneRemovesDatasetAndEveryFieldOfIt() throws IOException {
    try (CatalogIndex index = CatalogIndex.open(dir)) {
      index.apply(CatalogRecord.upsert(customers(1, "id", "email"), 0, 0));
      index.apply(
          CatalogRecord.upsert(
              dataset("orders").product("distribution").field("id", "uuid", "").build(), 1, 0));
      index.apply(CatalogRecord.tombstone("sales/table/customers", 0, 1));
      index.refresh();

      assertThat(index.dataset("sales/table/customers")).isEmpty();
      assertThat(fieldIds(index)).containsExactly("distribution/table/orders#id");
      assertThat(index.countsByProduct()).containsExactly(new ProductCount("distribution", 1, 1));
      assertThat(index.appliedOffsets()).containsExactly(Map.entry(0, 2L), Map.entry(1, 1L));
    }
  }

  @Test
  void restartAfterCrashResumesFromCommittedOffsetsAndEqualsTheTopic() throws IOException {
    CatalogTopic topic = busyTopic();
    List<CatalogRecord> all = topic.readAll();
    int committedUpTo = all.size() / 2;

    CatalogIndex first = CatalogIndex.open(dir);
    first.applyAll(all.subList(0, committedUpTo));
    first.commit();
    Map<Integer, Long> committed = first.committedOffsets();
    first.applyAll(all.subList(committedUpTo, all.size() - 3));
    first.rollback();

    try (CatalogIndex second = CatalogIndex.open(dir)) {
      assertThat(second.committedOffsets()).isEqualTo(committed).isNotEmpty();
      second.applyAll(topic.readFrom(second.committedOffsets()));
      second.refresh();

      assertThat(entries(second)).isEqualTo(topic.state());
      assertThat(fieldCount(second)).isEqualTo(fieldCount(topic.state()));
    }
  }

  @Test
  void closeCommitsSoReopenedIndexHoldsEverythingApplied() throws IOException {
    CatalogTopic topic = busyTopic();
    try (CatalogIndex index = CatalogIndex.open(dir)) {
      index.applyAll(topic.readAll());
    }

    try (CatalogIndex reopened = CatalogIndex.open(dir)) {
      assertThat(reopened.committedOffsets()).isEqualTo(reopened.appliedOffsets());
      assertThat(topic.readFrom(reopened.committedOffsets())).isEmpty();
      assertThat(entries(reopened)).isEqualTo(topic.state());
    }
  }

  @Test
  void skippedRecordIsCommittedAsConsumedSoARestartDoesNotReadItAgain() throws IOException {
    try (CatalogIndex index = CatalogIndex.open(dir)) {
      index.apply(CatalogRecord.upsert(dataset("orders").build(), 0, 0));
      index.skip(0, 1);
      index.skip(2, 7);
    }

    try (CatalogIndex reopened = CatalogIndex.open(dir)) {
      assertThat(reopened.committedOffsets()).isEqualTo(Map.of(0, 2L, 2, 8L));
      assertThat(reopened.dataset("sales/table/orders")).isPresent();
    }
  }

  @Test
  void rewindingToTheCommitClaimsOnlyWhatIsAppliedAgain() throws IOException {
    try (CatalogIndex index = CatalogIndex.open(dir)) {
      index.apply(CatalogRecord.upsert(dataset("orders").build(), 0, 0));
      index.commit();
      index.apply(CatalogRecord.upsert(dataset("invoices").build(), 0, 1));
      index.apply(CatalogRecord.upsert(dataset("payments").build(), 0, 2));

      index.rewindToCommitted();
      assertThat(index.appliedOffsets()).isEqualTo(Map.of(0, 1L));
      index.apply(CatalogRecord.upsert(dataset("invoices").build(), 0, 1));
      index.commit();
      assertThat(index.committedOffsets()).isEqualTo(Map.of(0, 2L));
    }
  }

  @Test
  void rebuildFromTheStartConvergesToTheTopicAndReportsProgress() throws IOException {
    CatalogTopic topic = busyTopic();
    try (CatalogIndex index = CatalogIndex.open(dir)) {
      index.apply(CatalogRecord.upsert(dataset("stale_leftover").build(), 0, 99));
      index.refresh();
      List<RebuildProgress> reports = new ArrayList<>();

      RebuildProgress done = index.rebuild(topic.readAll(), topic.size(), reports::add);

      assertThat(done.done()).isTrue();
      assertThat(done.records()).isEqualTo(topic.size());
      assertThat(done.fraction()).isEqualTo(1.0);
      assertThat(reports).last().isEqualTo(done);
      assertThat(entries(index)).isEqualTo(topic.state());
      assertThat(index.committedOffsets()).isEqualTo(index.appliedOffsets());
    }
  }

  @Test
  void searchesSeeThePreviousStateWhileARebuildRuns() throws IOException {
    CatalogTopic topic = busyTopic();
    try (CatalogIndex index = CatalogIndex.open(dir)) {
      index.apply(CatalogRecord.upsert(dataset("stale_leftover").build(), 0, 0));
      index.refresh();
      AtomicLong seenDuringRebuild = new AtomicLong(-1);
      index.addListener(
          new CatalogListener() {
            @Override
            public void upserted(CatalogEntry entry) {
              try {
                index.refresh();
                seenDuringRebuild.set(
                    index.dataset("sales/table/stale_leftover").isPresent() ? 1 : 0);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            }
          });

      index.rebuild(topic.readAll(), -1, p -> {});

      assertThat(seenDuringRebuild).hasValue(1);
      assertThat(index.dataset("sales/table/stale_leftover")).isEmpty();
    }
  }

  @Test
  void batchSpreadOverManyThreadsGivesTheSameIndexAsApplyingInOrder() throws IOException {
    CatalogTopic topic = busyTopic();
    try (CatalogIndex index =
        CatalogIndex.open(FSDirectory.open(dir), IndexOptions.defaults().withIndexThreads(4))) {
      index.applyAll(topic.readAll());

      assertThat(entries(index)).isEqualTo(topic.state());
      assertThat(fieldCount(index)).isEqualTo(fieldCount(topic.state()));
      assertThat(index.appliedOffsets()).isEqualTo(lastOffsets(topic));
    }
  }

  @Test
  void indexOfAnotherFormatVersionIsClearedSoTheTopicIsReplayed() throws IOException {
    try (IndexWriter old = new IndexWriter(FSDirectory.open(dir), new IndexWriterConfig())) {
      old.addDocument(new Document());
      old.setLiveCommitData(
          Map.of("format", CatalogIndex.FORMAT, "formatVersion", "0", "offset.0", "42").entrySet());
      old.commit();
    }

    try (CatalogIndex index = CatalogIndex.open(dir)) {
      index.refresh();
      assertThat(index.committedOffsets()).isEmpty();
      int docs = index.withSearcher(s -> s.getIndexReader().numDocs());
      assertThat(docs).isZero();
    }
  }

  @Test
  void listenersHearUpsertsDeletesAndClears() throws IOException {
    List<String> heard = new ArrayList<>();
    try (CatalogIndex index = CatalogIndex.open(dir)) {
      index.addListener(
          new CatalogListener() {
            @Override
            public void upserted(CatalogEntry entry) {
              heard.add("upserted " + entry.id());
            }

            @Override
            public void deleted(String datasetId) {
              heard.add("deleted " + datasetId);
            }

            @Override
            public void cleared() {
              heard.add("cleared");
            }
          });
      index.apply(CatalogRecord.upsert(customers(1), 0, 0));
      index.apply(CatalogRecord.tombstone("sales/table/customers", 0, 1));
      index.rebuild(List.of(), 0, p -> {});
    }

    assertThat(heard)
        .containsExactly(
            "upserted sales/table/customers", "deleted sales/table/customers", "cleared");
  }

  private static CatalogEntry customers(int version, String... fields) {
    var builder =
        dataset("customers").schemaVersion(version).description("Customers of the enterprise.");
    for (String field : fields) {
      builder.field(field, "text", "The " + field + " of a customer.");
    }
    return builder.build();
  }

  /** A topic where datasets are published, republished with other fields and removed. */
  private static CatalogTopic busyTopic() {
    CatalogTopic topic = new CatalogTopic(3);
    for (int round = 0; round < 4; round++) {
      for (int i = 0; i < 25; i++) {
        var entry =
            dataset("table_" + i)
                .product(i % 2 == 0 ? "sales" : "finance")
                .schemaVersion(round + 1);
        for (int f = 0; f <= (i + round) % 5; f++) {
          entry.field("col_" + f + "_v" + round, "text", "");
        }
        topic.publish(entry.build());
        if ((i + round) % 7 == 0) {
          topic.remove(entry.build().id());
        }
      }
    }
    return topic;
  }

  private static Map<Integer, Long> lastOffsets(CatalogTopic topic) {
    Map<Integer, Long> next = new TreeMap<>();
    topic.readAll().forEach(r -> next.merge(r.partition(), r.offset() + 1, Math::max));
    return next;
  }

  private static Map<String, CatalogEntry> entries(CatalogIndex index) throws IOException {
    Map<String, CatalogEntry> entries = new TreeMap<>();
    index.refresh();
    index.forEachEntry(e -> entries.put(e.id(), e));
    return entries;
  }

  private static long fieldCount(CatalogIndex index) throws IOException {
    return index.countsByProduct().stream().mapToLong(ProductCount::fields).sum();
  }

  private static long fieldCount(Map<String, CatalogEntry> state) {
    return state.values().stream().mapToLong(e -> e.fields().size()).sum();
  }

  private static List<String> fieldIds(CatalogIndex index) throws IOException {
    return index.withSearcher(
        searcher -> {
          var top =
              searcher.search(
                  new TermQuery(new Term(CatalogFields.DOC_TYPE, CatalogFields.DOC_FIELD)), 100);
          List<String> ids = new ArrayList<>();
          for (var hit : top.scoreDocs) {
            ids.add(searcher.storedFields().document(hit.doc).get(CatalogFields.ID));
          }
          return ids;
        });
  }
}

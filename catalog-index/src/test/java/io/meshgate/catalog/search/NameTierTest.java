package io.meshgate.catalog.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field.Store;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NameTierTest {

  private static ByteBuffersDirectory directory;
  private static DirectoryReader reader;
  private static IndexSearcher searcher;

  @BeforeAll
  static void index() throws IOException {
    directory = new ByteBuffersDirectory();
    try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
      for (String name : new String[] {"customers", "orders", "customer"}) {
        Document doc = new Document();
        doc.add(new StringField("exact", name, Store.NO));
        writer.addDocument(doc);
      }
    }
    reader = DirectoryReader.open(directory);
    searcher = new IndexSearcher(reader);
  }

  @AfterAll
  static void close() throws IOException {
    reader.close();
    directory.close();
  }

  @Test
  void aNameTheIndexDoesNotHoldLeavesNoClauseToScore() throws IOException {
    assertThat(searcher.rewrite(NameTier.exact(new Term("exact", "orderandstatus"), 400f)))
        .isInstanceOf(MatchNoDocsQuery.class);
    assertThat(searcher.rewrite(NameTier.within(within("orderandstatus", 2), 50f)))
        .isInstanceOf(MatchNoDocsQuery.class);
  }

  @Test
  void documentsWithTheNameScoreTheTiersConstant() throws IOException {
    TopDocs exact = searcher.search(NameTier.exact(new Term("exact", "orders"), 400f), 10);
    assertThat(exact.totalHits.value()).isEqualTo(1);
    assertThat(exact.scoreDocs[0].score).isEqualTo(400f);

    TopDocs near = searcher.search(NameTier.within(within("custmer", 1), 50f), 10);
    assertThat(near.totalHits.value()).isEqualTo(1); // customer; customers is two edits away
    assertThat(near.scoreDocs[0].score).isEqualTo(50f);
  }

  private static SharedAutomatonQuery within(String key, int edits) {
    return new SharedAutomatonQuery(
        "exact",
        key + "~" + edits,
        FuzzyQuery.getFuzzyAutomaton(key, edits, 0, true),
        MultiTermQuery.CONSTANT_SCORE_BLENDED_REWRITE);
  }
}

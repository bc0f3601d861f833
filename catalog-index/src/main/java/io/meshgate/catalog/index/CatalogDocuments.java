package io.meshgate.catalog.index;

import io.meshgate.catalog.model.CatalogCodec;
import io.meshgate.catalog.model.CatalogEntry;
import io.meshgate.catalog.model.Field;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field.Store;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.util.BytesRef;

/**
 * Turns one catalog entry into its Lucene documents: the dataset's own document first, then one per
 * field, all carrying the dataset id so that an upsert or delete replaces them together.
 */
public final class CatalogDocuments {

  private static final FacetsConfig FACETS = CatalogFields.facetsConfig();

  /**
   * Stored text whose postings also keep each word's character offsets: the fields search results
   * highlight. The highlighter then reads where the words are from the index instead of analysing
   * every hit's text again for each search (most of a search's cost at a million documents).
   */
  private static final FieldType HIGHLIGHTED_TEXT = highlightedText();

  private final CatalogCodec codec;

  /** A document builder encoding stored entries with {@code codec}. */
  public CatalogDocuments(CatalogCodec codec) {
    this.codec = codec;
  }

  /** Tag of a dataset that extends an entity another product owns. */
  public static final String EXTENSION_TAG = "extension";

  /** The documents of {@code entry}, dataset first. */
  public List<Document> of(CatalogEntry entry) {
    String datasetId = entry.id();
    List<Document> docs = new ArrayList<>(entry.fields().size() + 1);
    docs.add(datasetDocument(entry, datasetId));
    for (Field field : entry.fields()) {
      docs.add(fieldDocument(entry, datasetId, field));
    }
    return docs;
  }

  private Document datasetDocument(CatalogEntry entry, String datasetId) {
    String kind = entry.kind().name();
    Document doc = new Document();
    common(
        doc,
        entry,
        datasetId,
        datasetId,
        CatalogFields.DOC_DATASET,
        kind,
        entry.name(),
        entry.description());
    // A product's extension of an entity another product owns (tag "extension", e.g. the fields
    // distribution contributes to sales' Customer) shares the owner's name but is not the dataset
    // of that name: it does not compete for the exact-name tiers.
    if (!entry.tags().contains(EXTENSION_TAG)) {
      for (String key : CatalogFields.exactKeys(entry.name())) {
        doc.add(new StringField(CatalogFields.EXACT_DATASET, key, Store.NO));
        doc.add(new StringField(CatalogFields.STEM_DATASET, CatalogFields.singular(key), Store.NO));
      }
    }
    suggestions(doc, CatalogFields.SUGGEST_DATASET, entry.name());
    StringBuilder fieldNames = new StringBuilder();
    for (Field field : entry.fields()) {
      if (!fieldNames.isEmpty()) {
        fieldNames.append(' ');
      }
      fieldNames.append(field.name());
    }
    doc.add(highlighted(CatalogFields.FIELD_NAMES, fieldNames.toString()));
    doc.add(new TextField(CatalogFields.OWNER, entry.owner(), Store.NO));
    doc.add(new TextField(CatalogFields.DOMAIN, entry.domain(), Store.NO));
    labels(doc, entry.tags(), entry.classifications());
    doc.add(new StoredField(CatalogFields.SOURCE, new BytesRef(codec.encode(entry))));
    return facets(doc, entry, kind, entry.tags(), entry.classifications());
  }

  private Document fieldDocument(CatalogEntry entry, String datasetId, Field field) {
    Document doc = new Document();
    // the same text as entry.fieldId(name), without validating the dataset id once per field
    String fieldId = datasetId + '#' + field.name();
    common(
        doc,
        entry,
        datasetId,
        fieldId,
        CatalogFields.DOC_FIELD,
        CatalogFields.KIND_FIELD,
        field.name(),
        field.description());
    for (String key : CatalogFields.exactKeys(field.name())) {
      doc.add(new StringField(CatalogFields.EXACT_FIELD, key, Store.NO));
      doc.add(new StringField(CatalogFields.STEM_FIELD, CatalogFields.singular(key), Store.NO));
    }
    suggestions(doc, CatalogFields.SUGGEST_FIELD, field.name());
    doc.add(new TextField(CatalogFields.DATASET_NAME, entry.name(), Store.NO));
    doc.add(new TextField(CatalogFields.DATA_TYPE, field.type(), Store.NO));
    labels(doc, field.tags(), field.classifications());
    return facets(doc, entry, CatalogFields.KIND_FIELD, field.tags(), field.classifications());
  }

  private static void common(
      Document doc,
      CatalogEntry entry,
      String datasetId,
      String id,
      String docType,
      String kind,
      String name,
      String description) {
    doc.add(new StringField(CatalogFields.ID, id, Store.YES));
    doc.add(new SortedDocValuesField(CatalogFields.ID, new BytesRef(id)));
    doc.add(new StringField(CatalogFields.DATASET, datasetId, Store.YES));
    doc.add(new StringField(CatalogFields.DOC_TYPE, docType, Store.NO));
    doc.add(new StoredField(CatalogFields.KIND, kind));
    doc.add(new StringField(CatalogFields.PRODUCT, entry.product(), Store.YES));
    doc.add(highlighted(CatalogFields.NAME, name));
    if (!description.isEmpty()) {
      doc.add(highlighted(CatalogFields.DESCRIPTION, description));
    }
  }

  private static void labels(Document doc, List<String> tags, List<String> classifications) {
    for (String tag : tags) {
      doc.add(highlighted(CatalogFields.TAGS, tag));
    }
    for (String classification : classifications) {
      doc.add(new TextField(CatalogFields.CLASSIFICATIONS, classification, Store.NO));
    }
  }

  private static Document facets(
      Document doc,
      CatalogEntry entry,
      String type,
      List<String> tags,
      List<String> classifications) {
    doc.add(new SortedSetDocValuesFacetField(CatalogFields.FACET_PRODUCT, entry.product()));
    doc.add(new SortedSetDocValuesFacetField(CatalogFields.FACET_DOMAIN, entry.domain()));
    doc.add(new SortedSetDocValuesFacetField(CatalogFields.FACET_TYPE, type));
    doc.add(new SortedSetDocValuesFacetField(CatalogFields.FACET_OWNER, entry.owner()));
    for (String tag : tags) {
      doc.add(new SortedSetDocValuesFacetField(CatalogFields.FACET_TAG, tag));
    }
    for (String classification : classifications) {
      doc.add(new SortedSetDocValuesFacetField(CatalogFields.FACET_CLASSIFICATION, classification));
    }
    try {
      return FACETS.build(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static org.apache.lucene.document.Field highlighted(String field, String text) {
    return new org.apache.lucene.document.Field(field, text, HIGHLIGHTED_TEXT);
  }

  private static FieldType highlightedText() {
    FieldType type = new FieldType(TextField.TYPE_STORED);
    type.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS);
    type.freeze();
    return type;
  }

  /**
   * One suggestion term per word start of the name, so {@code cust} and {@code acc} both suggest
   * {@code CustomerAccount}.
   */
  private static void suggestions(Document doc, String field, String name) {
    Set<String> keys = new LinkedHashSet<>();
    for (int start : wordStarts(name)) {
      String key = CatalogFields.normalize(name.substring(start));
      if (!key.isEmpty()) {
        keys.add(key);
      }
    }
    for (String key : keys) {
      doc.add(new StringField(field, key + CatalogFields.SUGGEST_SEPARATOR + name, Store.NO));
    }
  }

  private static List<Integer> wordStarts(String name) {
    List<Integer> starts = new ArrayList<>();
    boolean previousAlnum = false;
    boolean previousLower = false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean alnum = Character.isLetterOrDigit(c);
      boolean upper = Character.isUpperCase(c);
      if (alnum && (!previousAlnum || (upper && previousLower))) {
        starts.add(i);
      }
      previousAlnum = alnum;
      previousLower = Character.isLowerCase(c) || Character.isDigit(c);
    }
    return starts;
  }
}

package io.meshgate.catalog.index;

import java.util.List;
import org.apache.lucene.facet.FacetsConfig;

/**
 * The shape of the catalog's Lucene documents: field names, facet dimensions and how names are
 * normalised for exact matching. Shared by the writer ({@link CatalogIndex}) and the readers in
 * {@code io.meshgate.catalog.search}.
 */
public final class CatalogFields {

  /** Unique key of the document: the dataset id or the field node id; stored, sortable. */
  public static final String ID = "id";

  /** Dataset id, on the dataset's own document and on each of its fields'; stored. */
  public static final String DATASET = "dataset";

  /** {@link #DOC_DATASET} or {@link #DOC_FIELD}. */
  public static final String DOC_TYPE = "doc_type";

  /** Hit kind: the dataset kind ({@code TABLE}...) or {@code FIELD}; stored. */
  public static final String KIND = "kind";

  /** Owning product; stored. */
  public static final String PRODUCT = "product";

  /** The dataset's or field's name, analysed by the name analyser; stored. */
  public static final String NAME = "name";

  /** Normalised whole names of datasets (see {@link #exactKeys}). */
  public static final String EXACT_DATASET = "exact_dataset";

  /** Normalised whole names of fields. */
  public static final String EXACT_FIELD = "exact_field";

  /** Singular forms of {@link #EXACT_DATASET}. */
  public static final String STEM_DATASET = "stem_dataset";

  /** Singular forms of {@link #EXACT_FIELD}. */
  public static final String STEM_FIELD = "stem_field";

  /** Description, analysed as English text; stored. */
  public static final String DESCRIPTION = "description";

  /** On dataset documents: the names of all its fields, space separated; stored. */
  public static final String FIELD_NAMES = "field_names";

  /** On field documents: the name of the dataset the field belongs to. */
  public static final String DATASET_NAME = "dataset_name";

  /** On field documents: the field's data type. */
  public static final String DATA_TYPE = "data_type";

  /** Tags, as text; stored. */
  public static final String TAGS = "tags";

  /** Classifications, as text. */
  public static final String CLASSIFICATIONS = "classifications";

  /** On dataset documents: owner, as text (field documents carry it as a facet only). */
  public static final String OWNER = "owner";

  /** On dataset documents: domain, as text (field documents carry it as a facet only). */
  public static final String DOMAIN = "domain";

  /** On dataset documents: the whole entry as JSON, for lookups and lineage reloads. */
  public static final String SOURCE = "source";

  /** Suggestion keys of dataset names ({@code key \u0000 display name}). */
  public static final String SUGGEST_DATASET = "suggest_dataset";

  /** Suggestion keys of field names. */
  public static final String SUGGEST_FIELD = "suggest_field";

  /** {@link #DOC_TYPE} of dataset documents. */
  public static final String DOC_DATASET = "dataset";

  /** {@link #DOC_TYPE} of field documents. */
  public static final String DOC_FIELD = "field";

  /** {@link #KIND} of field documents. */
  public static final String KIND_FIELD = "FIELD";

  /** Facet dimension: owning product. */
  public static final String FACET_PRODUCT = "product";

  /** Facet dimension: business domain. */
  public static final String FACET_DOMAIN = "domain";

  /** Facet dimension: hit kind (dataset kind or FIELD). */
  public static final String FACET_TYPE = "type";

  /** Facet dimension: owner. */
  public static final String FACET_OWNER = "owner";

  /** Facet dimension: tag (several per document). */
  public static final String FACET_TAG = "tag";

  /** Facet dimension: classification (several per document). */
  public static final String FACET_CLASSIFICATION = "classification";

  /** All facet dimensions, in the order results show them. */
  public static final List<String> FACETS =
      List.of(
          FACET_PRODUCT, FACET_DOMAIN, FACET_TYPE, FACET_OWNER, FACET_TAG, FACET_CLASSIFICATION);

  /** Separates the lower-case key from the display name in suggestion terms. */
  public static final char SUGGEST_SEPARATOR = '\u0000';

  private CatalogFields() {}

  /** The facets configuration both writing and reading must share. */
  public static FacetsConfig facetsConfig() {
    FacetsConfig config = new FacetsConfig();
    config.setMultiValued(FACET_TAG, true);
    config.setMultiValued(FACET_CLASSIFICATION, true);
    for (String dim : FACETS) {
      // dimensions are flat: a filter always names a value, never just the dimension
      config.setDrillDownTermsIndexing(dim, FacetsConfig.DrillDownTermsIndexing.FULL_PATH_ONLY);
    }
    return config;
  }

  /**
   * A name reduced for exact matching: lower case, letters and digits only, so {@code
   * customer_orders}, {@code CustomerOrders} and {@code customer orders} are the same name.
   */
  public static String normalize(String name) {
    StringBuilder key = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        key.append(Character.toLowerCase(c));
      }
    }
    return key.toString();
  }

  /**
   * The keys under which a name matches exactly: the whole name and, for dotted names ({@code
   * sales.customers}, {@code after.email}), its last segment.
   */
  public static List<String> exactKeys(String name) {
    String whole = normalize(name);
    int dot = name.lastIndexOf('.');
    if (dot < 0 || dot == name.length() - 1) {
      return whole.isEmpty() ? List.of() : List.of(whole);
    }
    String last = normalize(name.substring(dot + 1));
    return last.isEmpty() || last.equals(whole) ? List.of(whole) : List.of(whole, last);
  }

  /**
   * The singular form of a normalised key ({@code customers} to {@code customer}, {@code
   * categories} to {@code category}), by the same rules as Lucene's English minimal ("S") stemmer
   * that the name analyser applies to words.
   */
  public static String singular(String key) {
    int n = key.length();
    if (n < 3 || key.charAt(n - 1) != 's') {
      return key;
    }
    char beforeS = key.charAt(n - 2);
    if (beforeS == 'u' || beforeS == 's') {
      return key;
    }
    if (beforeS == 'e') {
      char third = key.charAt(n - 3);
      if (n > 3 && third == 'i' && key.charAt(n - 4) != 'a' && key.charAt(n - 4) != 'e') {
        return key.substring(0, n - 3) + 'y';
      }
      if (third == 'i' || third == 'a' || third == 'o' || third == 'e') {
        return key;
      }
    }
    return key.substring(0, n - 1);
  }
}

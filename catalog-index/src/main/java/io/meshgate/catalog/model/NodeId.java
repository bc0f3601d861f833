package io.meshgate.catalog.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The stable id of a dataset or of one of its fields, as used in lineage edges, record keys and
 * search hits.
 *
 * <p>A dataset is {@code <product>/<kind segment>/<name>} (e.g. {@code sales/table/customers}); a
 * field is {@code <dataset id>#<field path>} (e.g. {@code sales/table/customers#email}, {@code
 * sales/topic/mesh.sales.customer.changes#after.email}, {@code sales/graphql/Customer#email}).
 * {@code #} separates dataset and field because both topic names and nested field paths contain
 * dots, so a dot could not be split unambiguously; names contain neither {@code /}, {@code #} nor
 * white space. The dataset id is also the record key on {@code mesh.catalog}.
 *
 * @param product owning product
 * @param kind dataset kind
 * @param dataset dataset name
 * @param field field path, null for the dataset itself
 */
public record NodeId(String product, DatasetKind kind, String dataset, @Nullable String field) {

  private static final Pattern PRODUCT = Pattern.compile("[a-z][a-z0-9-]*");
  private static final Pattern NAME = Pattern.compile("[^/#\\s]+");
  private static final Pattern ID =
      Pattern.compile("([a-z][a-z0-9-]*)/([a-z]+)/([^/#\\s]+)(?:#([^/#\\s]+))?");

  public NodeId {
    require(PRODUCT, product, "product");
    require(NAME, dataset, "dataset name");
    if (field != null) {
      require(NAME, field, "field name");
    }
  }

  /** The id of a dataset. */
  public static NodeId dataset(String product, DatasetKind kind, String name) {
    return new NodeId(product, kind, name, null);
  }

  /**
   * Parses a dataset or field id.
   *
   * @throws IllegalArgumentException saying what is wrong when {@code id} is not one
   */
  public static NodeId parse(String id) {
    Matcher m = ID.matcher(id);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a catalog node id: '"
              + id
              + "', expected <product>/<kind>/<dataset> or <product>/<kind>/<dataset>#<field>");
    }
    return new NodeId(m.group(1), DatasetKind.ofSegment(m.group(2)), m.group(3), m.group(4));
  }

  /** The id of one field of this dataset. */
  public NodeId field(String path) {
    return new NodeId(product, kind, dataset, path);
  }

  /** The id of the dataset this node is or belongs to. */
  public NodeId datasetNode() {
    return field == null ? this : new NodeId(product, kind, dataset, null);
  }

  /** True when this is a field rather than a dataset. */
  public boolean isField() {
    return field != null;
  }

  /** The canonical text form. */
  @Override
  public String toString() {
    String datasetId = product + '/' + kind.segment() + '/' + dataset;
    return field == null ? datasetId : datasetId + '#' + field;
  }

  private static void require(Pattern pattern, String value, String what) {
    if (!pattern.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " '" + value + "' must match " + pattern);
    }
  }
}

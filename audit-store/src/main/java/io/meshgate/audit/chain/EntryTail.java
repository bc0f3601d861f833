package io.meshgate.audit.chain;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the position a canonical entry names from its last bytes. RFC 8785 orders members, so every
 * entry ends with {@code "product":"<p>","seq":<n>,"txId":null|"<digits>"}}: the product and seq can
 * be checked without parsing the entry.
 */
final class EntryTail {

  private static final byte[] TX_ID = ",\"txId\":".getBytes(StandardCharsets.US_ASCII);

  private EntryTail() {}

  /** True iff {@code entry} ends naming {@code product} and {@code seq}. */
  static boolean names(byte[] entry, String product, long seq) {
    int txIdValue = txIdValueStart(entry);
    if (txIdValue < 0) {
      return false;
    }
    // Product names are [a-z][a-z0-9-]*: their canonical string needs no escapes.
    byte[] expected = (",\"product\":\"" + product + "\",\"seq\":" + seq).getBytes(StandardCharsets.US_ASCII);
    int from = txIdValue - TX_ID.length - expected.length;
    if (from < 0) {
      return false;
    }
    return Arrays.equals(entry, from, from + expected.length, expected, 0, expected.length)
        && Arrays.equals(entry, txIdValue - TX_ID.length, txIdValue, TX_ID, 0, TX_ID.length);
  }

  /** Where the txId value starts ({@code null} or a quoted decimal), or -1 if the tail is malformed. */
  private static int txIdValueStart(byte[] entry) {
    int end = entry.length - 1;
    if (end < 0 || entry[end] != '}') {
      return -1;
    }
    if (end >= 4 && entry[end - 4] == 'n' && entry[end - 3] == 'u' && entry[end - 2] == 'l' && entry[end - 1] == 'l') {
      return end - 4;
    }
    int at = end - 1;
    if (at < 0 || entry[at] != '"') {
      return -1;
    }
    at--;
    while (at >= 0 && entry[at] >= '0' && entry[at] <= '9') {
      at--;
    }
    return at >= 0 && entry[at] == '"' && at < end - 2 ? at : -1;
  }
}

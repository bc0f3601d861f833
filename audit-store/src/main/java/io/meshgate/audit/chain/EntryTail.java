package io.meshgate.audit.chain;

import java.nio.charset.StandardCharsets;

/**
 * Checks the position a canonical entry names from its last bytes, without parsing it. RFC 8785
 * orders members, so every entry ends with {@code ,"product":"<p>","seq":<n>,"txId":null} or {@code
 * ...,"txId":"<digits>"}}. One instance per product; not thread-safe.
 */
final class EntryTail {

  private static final byte[] TX_ID = ",\"txId\":".getBytes(StandardCharsets.US_ASCII);

  /** {@code ,"product":"<p>","seq":}; product names are [a-z][a-z0-9-]* and need no escapes. */
  private final byte[] productAndSeq;

  private final byte[] digits = new byte[20];

  EntryTail(String product) {
    this.productAndSeq =
        (",\"product\":\"" + product + "\",\"seq\":").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * True iff the entry in {@code bytes} from {@code start} to the end ends naming this product and
   * {@code seq}.
   */
  boolean names(byte[] bytes, int start, long seq) {
    int txIdValue = txIdValueStart(bytes, start);
    if (txIdValue < 0 || seq < 0) {
      return false;
    }
    int seqDigits = writeDigits(seq);
    int seqStart = txIdValue - TX_ID.length - seqDigits;
    int from = seqStart - productAndSeq.length;
    if (from < start) {
      return false;
    }
    return regionEquals(bytes, txIdValue - TX_ID.length, TX_ID, 0, TX_ID.length)
        && regionEquals(bytes, seqStart, digits, digits.length - seqDigits, seqDigits)
        && regionEquals(bytes, from, productAndSeq, 0, productAndSeq.length);
  }

  /** Writes the decimal digits of {@code value} at the end of {@link #digits}; returns how many. */
  private int writeDigits(long value) {
    int at = digits.length;
    long rest = value;
    do {
      digits[--at] = (byte) ('0' + rest % 10);
      rest /= 10;
    } while (rest != 0);
    return digits.length - at;
  }

  private static boolean regionEquals(byte[] a, int aFrom, byte[] b, int bFrom, int length) {
    for (int i = 0; i < length; i++) {
      if (a[aFrom + i] != b[bFrom + i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Where the txId value starts ({@code null} or a quoted decimal) in the entry occupying {@code
   * bytes} from {@code start}, or -1 if the tail is malformed.
   */
  private static int txIdValueStart(byte[] bytes, int start) {
    int end = bytes.length - 1;
    if (end < start || bytes[end] != '}') {
      return -1;
    }
    if (end - 4 >= start
        && bytes[end - 4] == 'n'
        && bytes[end - 3] == 'u'
        && bytes[end - 2] == 'l'
        && bytes[end - 1] == 'l') {
      return end - 4;
    }
    int at = end - 1;
    if (at < start || bytes[at] != '"') {
      return -1;
    }
    at--;
    while (at >= start && bytes[at] >= '0' && bytes[at] <= '9') {
      at--;
    }
    return at >= start && bytes[at] == '"' && at < end - 2 ? at : -1;
  }
}

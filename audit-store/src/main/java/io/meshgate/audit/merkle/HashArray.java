package io.meshgate.audit.merkle;

import io.meshgate.audit.hash.Hash;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only array of 32-byte hashes in fixed-size chunks: no copying as it grows, no object
 * per hash (10 million hashes take 320 MB, not three times that).
 */
final class HashArray {

  private static final int CHUNK_SHIFT = 15;
  private static final int CHUNK_HASHES = 1 << CHUNK_SHIFT;
  private static final int CHUNK_MASK = CHUNK_HASHES - 1;

  private final List<byte[]> chunks = new ArrayList<>();
  private long size;

  long size() {
    return size;
  }

  void add(Hash hash) {
    int offset = (int) (size & CHUNK_MASK);
    if (offset == 0) {
      chunks.add(new byte[CHUNK_HASHES * Hash.LENGTH]);
    }
    hash.copyTo(chunks.getLast(), offset * Hash.LENGTH);
    size++;
  }

  Hash get(long index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("hash " + index + " of " + size);
    }
    byte[] chunk = chunks.get((int) (index >>> CHUNK_SHIFT));
    int from = (int) (index & CHUNK_MASK) * Hash.LENGTH;
    return Hash.of(chunk, from);
  }
}

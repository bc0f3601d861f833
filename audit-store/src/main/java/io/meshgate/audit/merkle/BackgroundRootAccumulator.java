package io.meshgate.audit.merkle;

import io.meshgate.audit.hash.Hash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link RootAccumulator} on a thread of its own: the thread that verifies the chain hands each
 * entry's chain hash over (a 32-byte copy into a batch) and goes on with the next entry, while this
 * thread computes the leaf hashes, the tree nodes and the roots at the requested tree sizes (the
 * signed heads to check). Verifying a log is then as fast as the slower of the two: the chain hash
 * over the entry's bytes, not the chain hash plus the tree.
 *
 * <p>The roots are exactly those a {@link RootAccumulator} fed the same leaves computes. One thread
 * adds leaves and calls {@link #finish}; {@link #close} stops the worker if {@code finish} was
 * never reached.
 */
public final class BackgroundRootAccumulator implements AutoCloseable {

  /** Leaves per hand-off: 8 KB, so that a batch is still in cache when the worker reads it. */
  static final int BATCH_LEAVES = 256;

  private static final int BATCHES = 16;

  private static final class Batch {
    final byte[] leaves = new byte[BATCH_LEAVES * Hash.LENGTH];
    int count;
  }

  private static final Batch END = new Batch();

  private final long[] rootSizes;
  private final List<Hash> roots = new ArrayList<>();
  private final RootAccumulator tree = new RootAccumulator();
  private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES + 1);
  private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
  private final Thread worker;
  private volatile Throwable failure;

  /** Leaves the worker has hashed. */
  private volatile long hashed;

  private final byte[] single = new byte[Hash.LENGTH];
  private Batch filling;
  private long size;
  private boolean finished;

  /**
   * Starts the worker.
   *
   * @param rootSizes the tree sizes (ascending, each at least 1) whose roots {@link #finish}
   *     returns
   */
  public BackgroundRootAccumulator(long[] rootSizes) {
    this.rootSizes = rootSizes.clone();
    for (int i = 0; i < this.rootSizes.length; i++) {
      if (this.rootSizes[i] < 1 || (i > 0 && this.rootSizes[i] <= this.rootSizes[i - 1])) {
        throw new IllegalArgumentException(
            "root sizes must be ascending and positive: " + Arrays.toString(rootSizes));
      }
    }
    for (int i = 0; i < BATCHES; i++) {
      free.add(new Batch());
    }
    filling = free.remove();
    worker = Thread.ofPlatform().daemon().name("audit-merkle-root").start(this::work);
  }

  /** Adds the next leaf, given its 32-byte leaf data (an entry's chain hash) at {@code offset}. */
  public void addLeaf(byte[] leafData, int offset) {
    Objects.checkFromIndexSize(offset, Hash.LENGTH, leafData.length);
    if (finished) {
      throw new IllegalStateException("finished");
    }
    System.arraycopy(leafData, offset, filling.leaves, filling.count * Hash.LENGTH, Hash.LENGTH);
    size++;
    if (++filling.count == BATCH_LEAVES) {
      handOver(filling);
      filling = takeFree();
    }
  }

  /** Adds the next leaf, given its 32-byte leaf data. */
  public void addLeaf(Hash leafData) {
    leafData.copyTo(single, 0);
    addLeaf(single, 0);
  }

  /** Number of leaves added. */
  public long size() {
    return size;
  }

  /**
   * Hands the leaves added so far over and waits until the worker has hashed them all (for a
   * benchmark that times the two threads together, chunk by chunk).
   */
  public void awaitHashed() {
    if (finished) {
      throw new IllegalStateException("finished");
    }
    if (filling.count > 0) {
      handOver(filling);
      filling = takeFree();
    }
    // Spin briefly, then sleep in short naps: on a busy machine a spinning waiter would take the
    // core the worker needs.
    for (int spins = 0; hashed != size; spins++) {
      if (failure != null || !worker.isAlive()) {
        throw new IllegalStateException("the tree worker stopped", failure);
      }
      if (spins < 200) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(10_000);
      }
    }
  }

  /**
   * Waits for the worker to hash every leaf added.
   *
   * @return the roots at those of the requested sizes that were reached, in order
   */
  public List<Hash> finish() {
    if (!finished) {
      finished = true;
      if (filling.count > 0) {
        handOver(filling);
      }
      handOver(END);
      try {
        worker.join();
      } catch (InterruptedException e) {
        worker.interrupt();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the tree was hashed", e);
      }
    }
    if (failure != null) {
      throw new IllegalStateException("computing the Merkle roots failed", failure);
    }
    return List.copyOf(roots);
  }

  /**
   * Stops the worker (without waiting for the leaves not yet hashed) unless {@link #finish} ran.
   */
  @Override
  public void close() {
    if (!finished) {
      finished = true;
      worker.interrupt();
    }
  }

  private void work() {
    int next = 0;
    try {
      while (true) {
        Batch batch = full.take();
        if (batch == END) {
          return;
        }
        for (int i = 0; i < batch.count; i++) {
          tree.addLeaf(batch.leaves, i * Hash.LENGTH);
          if (next < rootSizes.length && tree.size() == rootSizes[next]) {
            roots.add(tree.root());
            next++;
          }
        }
        hashed += batch.count;
        batch.count = 0;
        free.add(batch);
      }
    } catch (InterruptedException e) {
      // close(): the verification ended early
    } catch (Throwable e) {
      failure = e;
    }
  }

  private void handOver(Batch batch) {
    try {
      full.put(batch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while handing leaves to the tree", e);
    }
  }

  private Batch takeFree() {
    try {
      while (true) {
        Batch batch = free.poll(100, TimeUnit.MILLISECONDS);
        if (batch != null) {
          return batch;
        }
        if (failure != null || !worker.isAlive()) {
          throw new IllegalStateException("the tree worker stopped", failure);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the tree", e);
    }
  }
}

package io.meshgate.audit.store;

import io.meshgate.audit.sign.SignedTreeHead;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How an {@link AuditLog} issues tree heads and writes and verifies in batches.
 *
 * @param headEveryEntries sign a new head once a product's log has grown by this many entries since
 *     its last head
 * @param headInterval sign a new head for every product whose log grew, this often; {@link
 *     Duration#ZERO} for no schedule
 * @param insertChunkSize rows per INSERT statement within one append
 * @param progressEvery call a verification's progress callback every this many entries
 * @param verifyPageEntries entries a verification reads per transaction: a long verification holds
 *     no transaction (and no snapshot keeping the database from cleaning up) for the whole log
 * @param clock the time signed into heads
 * @param headListener told of every head this log signs (for example to publish it on {@code
 *     mesh.audit.heads}); called on the thread that signed it, must not block for long
 */
public record AuditLogOptions(
    int headEveryEntries,
    Duration headInterval,
    int insertChunkSize,
    int progressEvery,
    int verifyPageEntries,
    Clock clock,
    Consumer<SignedTreeHead> headListener) {

  public AuditLogOptions {
    if (headEveryEntries < 1 || insertChunkSize < 1 || progressEvery < 1 || verifyPageEntries < 1) {
      throw new IllegalArgumentException(
          "headEveryEntries, insertChunkSize, progressEvery and verifyPageEntries must be >= 1");
    }
    if (headInterval.isNegative()) {
      throw new IllegalArgumentException("headInterval must not be negative: " + headInterval);
    }
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(headListener, "headListener");
  }

  /** Options starting from the defaults: a head every 10,000 entries and every minute. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults. */
  public static AuditLogOptions defaults() {
    return builder().build();
  }

  /** Builds {@link AuditLogOptions}; every property has a default. */
  public static final class Builder {
    private int headEveryEntries = 10_000;
    private Duration headInterval = Duration.ofMinutes(1);
    private int insertChunkSize = 1_000;
    private int progressEvery = 100_000;
    private int verifyPageEntries = 50_000;
    private Clock clock = Clock.systemUTC();
    private Consumer<SignedTreeHead> headListener = head -> {};

    private Builder() {}

    /** See {@link AuditLogOptions#headEveryEntries()}; default 10,000. */
    public Builder headEveryEntries(int entries) {
      this.headEveryEntries = entries;
      return this;
    }

    /** See {@link AuditLogOptions#headInterval()}; default one minute. */
    public Builder headInterval(Duration interval) {
      this.headInterval = interval;
      return this;
    }

    /** See {@link AuditLogOptions#insertChunkSize()}; default 1,000. */
    public Builder insertChunkSize(int rows) {
      this.insertChunkSize = rows;
      return this;
    }

    /** See {@link AuditLogOptions#progressEvery()}; default 100,000. */
    public Builder progressEvery(int entries) {
      this.progressEvery = entries;
      return this;
    }

    /** See {@link AuditLogOptions#verifyPageEntries()}; default 50,000. */
    public Builder verifyPageEntries(int entries) {
      this.verifyPageEntries = entries;
      return this;
    }

    /** See {@link AuditLogOptions#clock()}; default the system clock in UTC. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** See {@link AuditLogOptions#headListener()}; default none. */
    public Builder headListener(Consumer<SignedTreeHead> listener) {
      this.headListener = listener;
      return this;
    }

    public AuditLogOptions build() {
      return new AuditLogOptions(
          headEveryEntries,
          headInterval,
          insertChunkSize,
          progressEvery,
          verifyPageEntries,
          clock,
          headListener);
    }
  }
}

package io.meshgate.audit.store;

import io.meshgate.audit.hash.Hash;

/**
 * What one append did.
 *
 * @param product the product whose log was appended to
 * @param appended entries added
 * @param alreadyLogged events skipped because their source position was already in the log
 *     (redeliveries), or repeated within the batch
 * @param firstSeq seq of the first entry added (equal to {@code size} when none was)
 * @param size the log's size after the append
 * @param lastHash chain hash of the log's last entry after the append
 */
public record AppendResult(
    String product, int appended, int alreadyLogged, long firstSeq, long size, Hash lastHash) {}

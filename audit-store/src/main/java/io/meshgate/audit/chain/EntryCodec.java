package io.meshgate.audit.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.audit.json.CanonicalJson;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The canonical JSON form of an audit entry (format {@code meshgate.audit-entry}, version 1): the
 * bytes its chain hash covers and that proofs carry.
 *
 * <pre>{@code
 * {"after":{...}|null,"before":{...}|null,"commitTime":"2026-11-27T01:02:03.456789Z",
 *  "entity":"customer","format":"meshgate.audit-entry","formatVersion":1,"key":{...},
 *  "lsn":"23861624","op":"u","product":"sales","seq":42,"txId":"771"|null}
 * }</pre>
 *
 * <p>Members appear in RFC 8785 order; {@code lsn} and {@code txId} are decimal strings because
 * 64-bit integers are not exact as I-JSON numbers.
 */
public final class EntryCodec {

  /** Name of the entry format. */
  public static final String FORMAT = "meshgate.audit-entry";

  /** Version of the entry format. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private EntryCodec() {}

  /** Appends the canonical JSON of {@code entry} to {@code out}. */
  public static void write(AuditEntry entry, CanonicalJson out) {
    ChangeEvent change = entry.change();
    SourcePosition source = change.source();
    out.punct('{');
    out.name("after");
    valueOrNull(change.after(), out);
    out.punct(',').name("before");
    valueOrNull(change.before(), out);
    out.punct(',').name("commitTime").string(source.commitTime().toString());
    out.punct(',').name("entity").string(change.entity());
    out.punct(',').name("format").string(FORMAT);
    out.punct(',').name("formatVersion").number(FORMAT_VERSION);
    out.punct(',').name("key").value(change.key());
    out.punct(',').name("lsn").string(Long.toString(source.lsn()));
    out.punct(',').name("op").string(change.op().code());
    out.punct(',').name("product").string(change.product());
    out.punct(',').name("seq").number(entry.seq());
    out.punct(',').name("txId");
    if (source.txId() == null) {
      out.nullValue();
    } else {
      out.string(Long.toString(source.txId()));
    }
    out.punct('}');
  }

  private static void valueOrNull(@Nullable JsonNode value, CanonicalJson out) {
    if (value == null) {
      out.nullValue();
    } else {
      out.value(value);
    }
  }

  /** The canonical JSON of {@code entry}. */
  public static byte[] encode(AuditEntry entry) {
    CanonicalJson out = new CanonicalJson();
    write(entry, out);
    return out.toByteArray();
  }

  /**
   * Reads an entry back from its canonical JSON.
   *
   * @throws IllegalArgumentException if {@code canonical} is not an entry of this format, or not in
   *     canonical form (a different byte form of the same entry would hash differently)
   */
  public static AuditEntry decode(byte[] canonical) {
    JsonNode node;
    try {
      node = JSON.readTree(canonical);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("entry is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("entry is unreadable: " + e.getMessage(), e);
    }
    if (!(node instanceof ObjectNode object)) {
      throw new IllegalArgumentException("entry is not a JSON object");
    }
    if (!FORMAT.equals(object.path("format").asText())
        || object.path("formatVersion").asInt(-1) != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "entry is not "
              + FORMAT
              + " version "
              + FORMAT_VERSION
              + ": format "
              + object.get("format")
              + ", formatVersion "
              + object.get("formatVersion"));
    }
    AuditEntry entry;
    try {
      entry = toEntry(object);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("entry is malformed: " + e.getMessage(), e);
    }
    if (!Arrays.equals(encode(entry), canonical)) {
      throw new IllegalArgumentException(
          "entry is not in canonical form (RFC 8785) or has unknown members");
    }
    return entry;
  }

  private static AuditEntry toEntry(ObjectNode object) {
    JsonNode txId = object.path("txId");
    SourcePosition source =
        new SourcePosition(
            Long.parseLong(object.path("lsn").asText()),
            txId.isNull() ? null : Long.valueOf(Long.parseLong(txId.asText())),
            Instant.parse(object.path("commitTime").asText()));
    if (!(object.get("key") instanceof ObjectNode key)) {
      throw new IllegalArgumentException("key is not an object");
    }
    ChangeEvent change =
        new ChangeEvent(
            object.path("product").asText(),
            object.path("entity").asText(),
            key,
            ChangeOp.ofCode(object.path("op").asText()),
            object.get("before") instanceof ObjectNode before ? before : null,
            object.get("after") instanceof ObjectNode after ? after : null,
            source);
    JsonNode seq = object.path("seq");
    if (!seq.canConvertToLong()) {
      throw new IllegalArgumentException("seq is not an integer");
    }
    return new AuditEntry(seq.longValue(), change);
  }
}

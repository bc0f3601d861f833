package io.meshgate.product.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of a change record: its {@code source.commitTime}, read from the payload with a
 * streaming parser (the rows before and after are skipped, not parsed). The payload, not the
 * record's timestamp, is the authority: a record copied or replayed onto the topic later keeps the
 * time its change was committed. A record without one (not a change event) falls back to its Kafka
 * timestamp; decoding rejects it afterwards.
 */
final class CommitTimeExtractor implements TimestampExtractor {

  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    if (record.value() instanceof byte[] payload) {
      long commitTime = commitTime(payload);
      if (commitTime >= 0) {
        return commitTime;
      }
    }
    return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
  }

  /** The commit time in epoch milliseconds, or -1 when the payload has none. */
  static long commitTime(byte[] payload) {
    try (JsonParser parser = JSON.createParser(payload)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return -1;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("source".equals(field) && value == JsonToken.START_OBJECT) {
          return commitTimeIn(parser);
        }
        parser.skipChildren();
      }
      return -1;
    } catch (IOException | DateTimeParseException e) {
      return -1;
    }
  }

  private static long commitTimeIn(JsonParser source) throws IOException {
    while (source.nextToken() == JsonToken.FIELD_NAME) {
      String field = source.currentName();
      JsonToken value = source.nextToken();
      if ("commitTime".equals(field) && value == JsonToken.VALUE_STRING) {
        return Instant.parse(source.getText()).toEpochMilli();
      }
      source.skipChildren();
    }
    return -1;
  }
}

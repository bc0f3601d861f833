package io.meshgate.product.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommitTimeExtractorTest {

  private static final long RECORD_TIME = Instant.parse("2026-11-27T12:00:00Z").toEpochMilli();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // commit time inside source, after nested rows that must be skipped
        "{\"before\":{\"source\":{\"commitTime\":\"1999-01-01T00:00:00Z\"}},\"after\":{\"a\":[1,{\"b\":2}]},\"source\":{\"lsn\":5,\"commitTime\":\"2026-11-27T10:00:00.123Z\"}}"
            + " | 2026-11-27T10:00:00.123Z",
        "{\"source\":{\"commitTime\":\"2026-01-02T03:04:05Z\",\"lsn\":1}} | 2026-01-02T03:04:05Z",
        // no usable commit time: the record's own timestamp
        "{\"source\":{\"lsn\":1}} | 2026-11-27T12:00:00Z",
        "{\"source\":{\"commitTime\":\"yesterday\"}} | 2026-11-27T12:00:00Z",
        "not json at all | 2026-11-27T12:00:00Z",
        "[1,2,3] | 2026-11-27T12:00:00Z"
      })
  void readsTheCommitTimeFromThePayloadAndFallsBackToTheRecordTimestamp(
      String payload, String expected) {
    ConsumerRecord<Object, Object> record =
        new ConsumerRecord<>(
            "t",
            0,
            0,
            RECORD_TIME,
            TimestampType.CREATE_TIME,
            0,
            0,
            "k",
            payload.getBytes(StandardCharsets.UTF_8),
            new RecordHeaders(),
            Optional.empty());
    assertThat(new CommitTimeExtractor().extract(record, 0))
        .isEqualTo(Instant.parse(expected).toEpochMilli());
  }
}

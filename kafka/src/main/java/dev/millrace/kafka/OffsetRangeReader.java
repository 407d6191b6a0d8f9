package dev.millrace.kafka;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the records of one {@link OffsetRange} in any process, with a pooled consumer, {@code
 * assign} and {@code seek}: no consumer group, no rebalancing, no automatic offset reset. It stops
 * when the consumer's position reaches the range's until, not when it has seen the record at {@code
 * until - 1}: on a transactional topic commit and abort markers take offsets, so a range may end in
 * a marker or hold no visible record at all. Records at or past until (fetched in the same batch)
 * are dropped, so a replay reads exactly the planned range. Thread-safe; each {@link #read} is for
 * the calling thread alone.
 */
public final class OffsetRangeReader {
  private static final Logger LOG = LoggerFactory.getLogger(OffsetRangeReader.class);
  private static final java.time.Duration POLL = java.time.Duration.ofMillis(200);
  private static final long DEFAULT_READ_TIMEOUT_MS = 60_000;

  private final KafkaOptions options;
  private final KafkaConsumerPool pool;
  private final Map<String, Object> config;
  private final long readTimeoutMillis;

  /** A reader of {@code options}' ranges, with consumers from {@code pool}. */
  public OffsetRangeReader(KafkaOptions options, KafkaConsumerPool pool) {
    this.options = options;
    this.pool = pool;
    this.config = options.consumerProperties();
    Object timeout = config.get(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
    this.readTimeoutMillis =
        timeout == null ? DEFAULT_READ_TIMEOUT_MS : Long.parseLong(timeout.toString());
  }

  /**
   * The records of {@code range}, deserialized with the options' {@code key.deserializer} and
   * {@code value.deserializer} (whose types {@code K} and {@code V} must be). Close the iterator if
   * it is not read to its end, so its consumer goes back to the pool.
   */
  public <K, V> RangeIterator<K, V> read(OffsetRange range) {
    return new RangeIterator<>(range);
  }

  /**
   * The records of one range, in offset order; its consumer returns to the pool when the range is
   * read to its end, fails, or is closed. For the thread that called {@link #read}.
   */
  public final class RangeIterator<K, V> implements Iterator<KafkaRecord<K, V>>, AutoCloseable {
    private final OffsetRange range;
    private final TopicPartition partition;
    private Consumer<Object, Object> consumer;
    private Iterator<ConsumerRecord<Object, Object>> fetched = Collections.emptyIterator();
    private ConsumerRecord<Object, Object> next;
    private long skippedOffsets;

    private RangeIterator(OffsetRange range) {
      this.range = range;
      this.partition = range.topicPartition();
      if (range.size() == 0) {
        return;
      }
      consumer = pool.checkOut(config);
      try {
        consumer.assign(List.of(partition));
        consumer.seek(partition, range.from());
      } catch (RuntimeException e) {
        release(false);
        throw e;
      }
    }

    /** Offsets of this range that retention had deleted and were skipped (failOnDataLoss=false). */
    public long skippedOffsets() {
      return skippedOffsets;
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (consumer == null) {
        return false;
      }
      try {
        next = advance();
        return next != null;
      } catch (RuntimeException e) {
        release(false);
        throw e;
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public KafkaRecord<K, V> next() {
      if (!hasNext()) {
        throw new NoSuchElementException("offset range " + range + " has no more records");
      }
      ConsumerRecord<Object, Object> record = next;
      next = null;
      return new KafkaRecord<>(
          record.topic(),
          record.partition(),
          record.offset(),
          record.timestamp(),
          record.timestampType(),
          (K) record.key(),
          (V) record.value(),
          headers(record.headers().toArray()));
    }

    /** The shared empty list for the usual record without headers: nothing allocated for it. */
    private static List<KafkaRecord.Header> headers(Header[] headers) {
      if (headers.length == 0) {
        return List.of();
      }
      KafkaRecord.Header[] converted = new KafkaRecord.Header[headers.length];
      for (int i = 0; i < headers.length; i++) {
        converted[i] = new KafkaRecord.Header(headers[i].key(), headers[i].value());
      }
      return List.of(converted);
    }

    private ConsumerRecord<Object, Object> advance() {
      // Set at the first poll (a position is never -1): a record already fetched costs no clock.
      long lastProgress = 0;
      long lastPosition = -1;
      while (true) {
        if (fetched.hasNext()) {
          ConsumerRecord<Object, Object> record = fetched.next();
          if (record.offset() < range.until()) {
            return record;
          }
          release(true);
          return null;
        }
        long position = consumer.position(partition);
        if (position >= range.until()) {
          release(true);
          return null;
        }
        if (position != lastPosition) {
          lastPosition = position;
          lastProgress = System.nanoTime();
        } else if (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastProgress)
            > readTimeoutMillis) {
          throw stalled(position);
        }
        try {
          fetched = consumer.poll(POLL).records(partition).iterator();
        } catch (OffsetOutOfRangeException e) {
          if (!skipDeleted(position)) {
            return null;
          }
        } catch (RecordDeserializationException e) {
          throw unreadable(e);
        }
      }
    }

    /** Handles offsets deleted since planning; false when nothing of the range is left. */
    private boolean skipDeleted(long position) {
      long earliest =
          consumer
              .beginningOffsets(List.of(partition), java.time.Duration.ofMillis(readTimeoutMillis))
              .get(partition);
      if (options.failOnDataLoss()) {
        throw KafkaDataLossException.deleted(
            partition, position, Math.min(earliest, range.until()));
      }
      long resume = Math.min(earliest, range.until());
      LOG.warn(
          "Skipping offsets {} to {} of {} ({} offsets), deleted before they were read, because"
              + " failOnDataLoss=false",
          position,
          resume - 1,
          partition,
          resume - position);
      skippedOffsets += resume - position;
      if (resume >= range.until()) {
        release(true);
        return false;
      }
      consumer.seek(partition, resume);
      return true;
    }

    private KafkaRecordUnreadableException unreadable(RecordDeserializationException e) {
      boolean key = e.origin() == RecordDeserializationException.DeserializationExceptionOrigin.KEY;
      String setting = key ? "key.deserializer" : "value.deserializer";
      Object deserializer = config.get(setting);
      String name = deserializer instanceof Class<?> c ? c.getName() : String.valueOf(deserializer);
      return new KafkaRecordUnreadableException(
          "the "
              + (key ? "key" : "value")
              + " of the record at offset "
              + e.offset()
              + " of "
              + e.topicPartition()
              + " cannot be read by "
              + setting
              + "="
              + name
              + ": "
              + (e.getCause() != null ? e.getCause() : e)
              + ". Every run of this batch reads this record again, so restarts fail the same way"
              + " unless the deserializer's failure passes. Fix the deserializer (or what wrote"
              + " the record), or read bytes (ByteArrayDeserializer, the default) and decode"
              + " them in a map step that decides what to do with a record it cannot decode",
          e);
    }

    private KafkaUnavailableException stalled(long position) {
      return new KafkaUnavailableException(
          "reading "
              + range
              + " from "
              + String.join(",", options.bootstrapServers())
              + " made no progress for "
              + readTimeoutMillis
              + " ms at offset "
              + position
              + ": the partition's leader is unreachable from this process or the records were"
              + " deleted and recreated. Check the broker and the partition's leader, or raise"
              + " default.api.timeout.ms.",
          null);
    }

    private void release(boolean healthy) {
      if (consumer != null) {
        Consumer<Object, Object> returned = consumer;
        consumer = null;
        fetched = Collections.emptyIterator();
        pool.checkIn(config, returned, healthy);
      }
    }

    /** Returns the consumer to the pool if the range was not read to its end. */
    @Override
    public void close() {
      release(true);
    }
  }
}

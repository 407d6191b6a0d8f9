package dev.millrace.kafka;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The consumers of one process, reused across tasks because opening one costs a connection and
 * metadata round trips. A consumer is checked out by one thread, used by it alone and checked back
 * in (a {@link KafkaConsumer} is not thread-safe; Spark's shared cache was not either). Consumers
 * are kept per distinct client configuration, at most {@code maxIdlePerConfig} idle ones each; one
 * returned after a failure is closed rather than kept, since its state is unknown. Thread-safe.
 */
public final class KafkaConsumerPool implements AutoCloseable {
  private final int maxIdlePerConfig;
  private final Map<Map<String, Object>, Deque<Consumer<Object, Object>>> idle = new HashMap<>();
  private boolean closed;

  /** A pool keeping at most {@code maxIdlePerConfig} idle consumers per configuration. */
  public KafkaConsumerPool(int maxIdlePerConfig) {
    if (maxIdlePerConfig < 0) {
      throw new IllegalArgumentException("maxIdlePerConfig " + maxIdlePerConfig + " is negative");
    }
    this.maxIdlePerConfig = maxIdlePerConfig;
  }

  /**
   * An idle consumer for {@code config}, or a new one; the caller's alone until {@link #checkIn}.
   */
  Consumer<Object, Object> checkOut(Map<String, Object> config) {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the Kafka consumer pool is closed");
      }
      Deque<Consumer<Object, Object>> consumers = idle.get(config);
      if (consumers != null && !consumers.isEmpty()) {
        return consumers.pop();
      }
    }
    return new KafkaConsumer<>(Map.copyOf(config));
  }

  /**
   * Gives {@code consumer} back: kept for the next task unless {@code healthy} is false, the pool
   * is closed or full.
   */
  void checkIn(Map<String, Object> config, Consumer<Object, Object> consumer, boolean healthy) {
    if (healthy) {
      consumer.assign(List.of());
      synchronized (this) {
        Deque<Consumer<Object, Object>> consumers =
            idle.computeIfAbsent(Map.copyOf(config), key -> new ArrayDeque<>());
        if (!closed && consumers.size() < maxIdlePerConfig) {
          consumers.push(consumer);
          return;
        }
      }
    }
    consumer.close();
  }

  /** How many idle consumers the pool holds. */
  synchronized int idleCount() {
    return idle.values().stream().mapToInt(Deque::size).sum();
  }

  /** Closes the idle consumers; consumers checked out are closed when checked in. */
  @Override
  public void close() {
    List<Consumer<Object, Object>> toClose = new ArrayList<>();
    synchronized (this) {
      closed = true;
      idle.values().forEach(toClose::addAll);
      idle.clear();
    }
    toClose.forEach(Consumer::close);
  }
}

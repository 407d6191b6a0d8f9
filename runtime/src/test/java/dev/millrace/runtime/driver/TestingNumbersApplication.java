package dev.millrace.runtime.driver;

import dev.millrace.streaming.Pair;
import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import dev.millrace.streaming.TestingNumbers;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the numbers a {@link TestingNumbers} source plans by their last digit, into {@link
 * #COUNTS} of the process that runs the outputs (the driver). Every process defines it; only the
 * driver's source plans, and only up to {@link #AVAILABLE}, so executors read the parts they are
 * sent.
 */
public final class TestingNumbersApplication implements StreamingApplication {
  static final AtomicLong AVAILABLE = new AtomicLong();
  static final Map<Long, Long> COUNTS = new ConcurrentHashMap<>();

  @Override
  public void define(StreamingContext ssc, String[] args) {
    ssc.stream(new TestingNumbers(AVAILABLE, 1000))
        .mapToPair(n -> Pair.of(n % 10, 1L))
        .reduceByKey(Long::sum)
        .foreachBatch(b -> b.collect().forEach(p -> COUNTS.merge(p.key(), p.value(), Long::sum)));
  }
}

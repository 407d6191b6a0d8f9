package dev.millrace.runtime.driver;

import dev.millrace.streaming.Pair;
import dev.millrace.streaming.Source;
import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

/**
 * Counts the numbers a {@link Numbers} source plans by their last digit, into {@link #COUNTS} of
 * the process that runs the outputs (the driver). Every process defines it; only the driver's
 * source plans, and only up to {@link #AVAILABLE}, so executors read the parts they are sent.
 */
public final class TestingNumbersApplication implements StreamingApplication {
  static final AtomicLong AVAILABLE = new AtomicLong();
  static final Map<Long, Long> COUNTS = new ConcurrentHashMap<>();

  @Override
  public void define(StreamingContext ssc, String[] args) {
    ssc.stream(new Numbers())
        .mapToPair(n -> Pair.of(n % 10, 1L))
        .reduceByKey(Long::sum)
        .foreachBatch(b -> b.collect().forEach(p -> COUNTS.merge(p.key(), p.value(), Long::sum)));
  }

  /** The numbers from 0 up to {@link #AVAILABLE}, in parts of at most 1000. */
  public static final class Numbers implements Source<Long, long[]> {
    private long next;

    @Override
    public String name() {
      return "numbers";
    }

    @Override
    public void start() {
      next = 0;
    }

    @Override
    public void recover(byte[] position, List<List<long[]>> plansSince) {
      next = ByteBuffer.wrap(position).getLong();
      for (List<long[]> plan : plansSince) {
        for (long[] part : plan) {
          next = Math.max(next, part[1]);
        }
      }
    }

    @Override
    public List<long[]> plan(long batchTime, long maxRecords) {
      long until = Math.min(AVAILABLE.get(), next + maxRecords);
      List<long[]> parts = new ArrayList<>();
      for (long from = next; from < until; from += 1000) {
        parts.add(new long[] {from, Math.min(until, from + 1000)});
      }
      next = until;
      return parts;
    }

    @Override
    public Iterator<Long> read(long[] part) {
      return LongStream.range(part[0], part[1]).iterator();
    }

    @Override
    public byte[] position() {
      return ByteBuffer.allocate(Long.BYTES).putLong(next).array();
    }

    @Override
    public byte[] encode(long[] part) {
      return ByteBuffer.allocate(2 * Long.BYTES).putLong(part[0]).putLong(part[1]).array();
    }

    @Override
    public long[] decode(byte[] part) {
      ByteBuffer in = ByteBuffer.wrap(part);
      return new long[] {in.getLong(), in.getLong()};
    }
  }
}

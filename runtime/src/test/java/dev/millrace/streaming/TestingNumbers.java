package dev.millrace.streaming;

import dev.millrace.runtime.source.InputMissingException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

/**
 * A source written through the public API only: the numbers from 0 up to however many {@link
 * #available} says exist, each batch planning the next ones (within its budget) in parts of at most
 * {@code partSize}. Like a message log, what exists can be read again at any time by anyone, except
 * the numbers below {@link #retainedFrom}, which retention deleted.
 */
public final class TestingNumbers implements Source<Long, long[]> {
  final AtomicLong available;
  final List<List<long[]>> planned = new CopyOnWriteArrayList<>();
  final List<Long> budgets = new CopyOnWriteArrayList<>();
  final AtomicLong partsRead = new AtomicLong();
  final AtomicLong retainedFrom = new AtomicLong();

  /** By batch time, where the next plan started after that batch's plan. */
  final Map<Long, Long> positionAfter = new ConcurrentSkipListMap<>();

  /** By batch time, the positions {@link #checkpointCommitted} was told of. */
  final Map<Long, Long> committed = new ConcurrentSkipListMap<>();

  private final int partSize;
  private long next;

  /** Numbers up to {@code available}, planned in parts of at most {@code partSize}. */
  public TestingNumbers(AtomicLong available, int partSize) {
    this.available = available;
    this.partSize = partSize;
  }

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
    budgets.add(maxRecords);
    long until = Math.min(available.get(), next + maxRecords);
    List<long[]> parts = new ArrayList<>();
    for (long from = next; from < until; from += partSize) {
      parts.add(new long[] {from, Math.min(until, from + partSize)});
    }
    next = until;
    positionAfter.put(batchTime, next);
    planned.add(parts);
    return parts;
  }

  @Override
  public Iterator<Long> read(long[] part) {
    partsRead.incrementAndGet();
    return LongStream.range(part[0], part[1]).iterator();
  }

  @Override
  public void checkReplayable(long batchTime, List<long[]> plan) {
    long from = retainedFrom.get();
    for (long[] part : plan) {
      if (part[0] < from) {
        throw new InputMissingException(
            "numbers "
                + part[0]
                + " to "
                + (from - 1)
                + " are deleted, but batch "
                + batchTime
                + " read them",
            new NoSuchFileException("numbers " + part[0] + "-" + (from - 1)));
      }
    }
  }

  @Override
  public void checkpointCommitted(long batchTime, byte[] position) {
    committed.put(batchTime, ByteBuffer.wrap(position).getLong());
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

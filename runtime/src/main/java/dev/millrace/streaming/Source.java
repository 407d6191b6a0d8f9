package dev.millrace.streaming;

import java.util.Iterator;
import java.util.List;

/**
 * An input that can be read again: the driver plans each batch as a value (which records the batch
 * reads, e.g. offset ranges or file names), the plan goes into the checkpoint's batch log before
 * the batch runs, and any process, the driver or an executor, reads a part of a plan. After a
 * driver failure the recovery re-reads exactly the logged plans, so a source written this way gives
 * exactly-once results. {@link StreamingContext#stream(Source)} turns one into a stream.
 *
 * <pre>{@code
 * // The numbers from 0 upwards, at most 1000 a batch, each batch in parts of up to 100.
 * final class Numbers implements Source<Long, long[]> {
 *   private long next;
 *   public String name() { return "numbers"; }
 *   public void start() { next = 0; }
 *   public void recover(byte[] position, List<List<long[]>> plansSince) {
 *     next = ByteBuffer.wrap(position).getLong();
 *     for (List<long[]> plan : plansSince) for (long[] r : plan) next = Math.max(next, r[1]);
 *   }
 *   public List<long[]> plan(long batchTime, long maxRecords) {
 *     long until = next + Math.min(1000, maxRecords);
 *     List<long[]> parts = new ArrayList<>();
 *     for (long from = next; from < until; from += 100) parts.add(new long[] {from, Math.min(until, from + 100)});
 *     next = until;
 *     return parts;
 *   }
 *   public Iterator<Long> read(long[] r) { return LongStream.range(r[0], r[1]).iterator(); }
 *   public byte[] position() { return ByteBuffer.allocate(8).putLong(next).array(); }
 *   public byte[] encode(long[] r) { return ByteBuffer.allocate(16).putLong(r[0]).putLong(r[1]).array(); }
 *   public long[] decode(byte[] b) { ByteBuffer in = ByteBuffer.wrap(b); return new long[] {in.getLong(), in.getLong()}; }
 * }
 * }</pre>
 *
 * <p>Where each method runs: {@link #start}, {@link #recover}, {@link #plan} and {@link #position}
 * in the driver, on the one thread that generates batches, in batch-time order; {@link #read} and
 * {@link #decode} in any process, on task threads, many at once, including processes where {@code
 * start} was never called (an executor builds the application's graph only to read plan parts).
 * {@link #health} in the driver, on the status endpoint's thread, at any time, also while {@link
 * #plan} runs. Every process defines the graph from the application's code, so each has its own
 * instance.
 *
 * <p>What the engine relies on: reading a part gives the same records every time and in every
 * process (a batch may be computed again); a plan and a position are small (they are written to the
 * batch log and to every checkpoint) and decode in a later build of the application, which recovers
 * from them.
 *
 * @param <T> record type
 * @param <P> one part of a batch's plan: what one task reads
 */
public interface Source<T, P> {

  /** A short name for logs, messages and the status endpoint, e.g. {@code numbers}. */
  String name();

  /** Starts fresh, from the source's own starting point: the application has no checkpoint. */
  void start();

  /**
   * Starts where a failed driver left off, instead of {@link #start()}: from {@code position}, a
   * {@link #position()} of this source stored in the checkpoint the recovery restores, moved past
   * {@code plansSince}, the plans logged after that checkpoint (in batch-time order), which the
   * recovery runs again as they are. The next {@link #plan} continues after the last of them.
   */
  void recover(byte[] position, List<List<P>> plansSince);

  /**
   * What batch {@code batchTime} reads, as parts that tasks read in parallel (none for an empty
   * batch), and moves the position past it. At most {@code maxRecords} records: the budget the rate
   * limit and backpressure allow ({@link Long#MAX_VALUE} when there is none); records held back are
   * planned by later batches, never dropped.
   */
  List<P> plan(long batchTime, long maxRecords);

  /** The records of one part of a plan, always the same ones, in the same order. */
  Iterator<T> read(P part);

  /** Where the next plan starts, as bytes a later build of the source can {@link #recover} from. */
  byte[] position();

  /** One part of a plan as bytes, for the batch log and for executors. */
  byte[] encode(P part);

  /** A part {@link #encode} wrote, perhaps in another process or an earlier build. */
  P decode(byte[] part);

  /**
   * How the driver's batch page shows one part of a plan, e.g. {@code numbers [100, 200)}: short,
   * one line, called for the first few parts of each batch on the batch-processing thread. By
   * default null: the page numbers the parts only.
   */
  default String describe(P part) {
    return null;
  }

  /**
   * Whether the source holds records that no plan has taken yet and that nothing will give it again
   * once the application stops: records handed over in memory, or the rest of a list a rate limit
   * cut. After a graceful stop the engine then runs one last batch for them, planned by {@link
   * #planLast}. Called in the driver, after {@link #stop()}. By default false: a source that reads
   * where its records stay (a log, files) leaves them for the next run.
   */
  default boolean holdsUnplanned() {
    return false;
  }

  /**
   * The plan of the last batch of a graceful stop, {@code batchTime}: the records the source holds
   * (see {@link #holdsUnplanned()}), with no limit, and nothing new. Logged and read like any other
   * plan. By default none.
   */
  default List<P> planLast(long batchTime) {
    return List.of();
  }

  /**
   * Checks, before a recovery reads logged {@code plan} of batch {@code batchTime} again, that what
   * it names is still there: reading it would fail, and so would every restart. Called in the
   * driver after {@link #recover}, only for plans the recovery reads. By default nothing is
   * checked.
   *
   * @throws dev.millrace.runtime.source.InputMissingException naming what is gone, the batch and
   *     how to bring it back: the application then stops with exit code 66 instead of restarting
   *     into the same failure (extend it for a kind of input of your own)
   */
  default void checkReplayable(long batchTime, List<P> plan) {}

  /**
   * The checkpoint of batch {@code batchTime}, which stored {@code position} (a {@link #position()}
   * of this source, perhaps by an earlier driver), is committed and is the oldest one kept: no
   * recovery reads what the source planned before that position again, so the source may delete or
   * archive that input, or tell the system it reads from that it is done with it. Called in the
   * driver, on another thread than {@link #plan}, again with the same checkpoint while it is the
   * oldest; a failure is the source's to log and retry later. By default nothing.
   */
  default void checkpointCommitted(long batchTime, byte[] position) {}

  /**
   * How the source is doing now, for the status endpoint: where it reads, whether it is in an
   * outage and why, and its own figures (see {@link SourceHealth}). By default only its {@link
   * #name()}.
   *
   * <p>Called from another thread than {@link #plan}, at any time, often: return what the source
   * already knows (kept in fields {@code plan} writes safely for other threads, e.g. a {@code
   * volatile} reference to an immutable value), never ask a remote system or block here.
   */
  default SourceHealth health() {
    return SourceHealth.described(name());
  }

  /**
   * Stops the source in the driver when the context stops: release connections, threads. A graceful
   * stop may still call {@link #planLast} afterwards.
   */
  default void stop() {}
}

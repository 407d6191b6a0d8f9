package dev.millrace.runtime.source;

import dev.millrace.runtime.backpressure.RateLimit;
import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.dataset.Dataset;
import java.util.List;
import java.util.NavigableMap;

/**
 * Lines of UTF-8 text read from a TCP server: {@code socketTextStream}.
 *
 * <p>{@link #start} starts one daemon receiver thread, {@code millrace-receiver-<streamName>}, that
 * connects to {@code host:port} and appends every line it reads to an in-memory buffer; each {@link
 * #take} hands over everything received since the previous one (up to the rate limit below), in
 * arrival order. A line ends at {@code '\n'}, and a {@code '\r'} before it is dropped.
 *
 * <p>The receiver never gives up on the server: when the server refuses the connection, closes it
 * or the connection fails, it logs one warning for the outage and reconnects, waiting 100 ms before
 * the first attempt and doubling the wait up to 2 s, until {@link #stop}. Lines the server sent but
 * the receiver had not read when a connection broke are lost; the receiver holds no acknowledgement
 * protocol with the server.
 *
 * <p>A line longer than {@link ReceiverSettings#maxLineBytes()} is skipped as it streams past,
 * never held in memory: dropping it costs one line, while failing the receiver would only reconnect
 * to a server that sends on after the line (or, resending it, would loop for ever); each drop is
 * counted in {@link #status()} and logged with a WARN naming the stream (the first at once, then at
 * most one summary a minute).
 *
 * <p>The receiver survives its own failures too: an unexpected error on its thread (anything but a
 * lost connection, e.g. an {@link OutOfMemoryError}) is logged with its stack trace and the thread
 * starts again after a backoff ({@link ReceiverRestarts}). When it fails more than {@link
 * ReceiverSettings#maxRestarts()} times within {@link ReceiverSettings#restartWindowMillis()}, the
 * next {@link #take} throws a {@link ReceiverFailedException} with the cause, which fails the batch
 * and stops the driver, so that its supervisor restarts it rather than a dead input passing for a
 * quiet one.
 *
 * <p>Rate: the receiver reads at most {@code maxRate} lines per second, and, under backpressure, no
 * faster than the latest {@link RateLimit}; when it is ahead it stops reading, so the socket's
 * buffers fill and TCP flow control slows the server down instead of the buffer growing. Under a
 * rate limit each batch takes at most {@link RateLimit#recordsPerBatch()} lines (whatever the
 * timing of the wall clock) and the rest wait, in order, for the next; a graceful stop's last batch
 * takes them all.
 *
 * <p>With a checkpoint store (given to the constructor), the receiver keeps a write-ahead log under
 * the checkpoint directory ({@code sources/<sourceId>/}, see {@link WalSegmentFormat}) and a line
 * reaches the buffer only once it is <em>acknowledged</em>: written to the log and flushed ({@code
 * hflush}), so that it survives the death of the driver process. Lines are logged in groups: a
 * group ends when the receiver would wait for the network, or at 4096 lines, 1 Mi characters or 10
 * ms, whichever comes first. A batch's plan is the range of sequence numbers it took, and its
 * replay re-reads that range from the log; after a crash, {@link #recover} hands the acknowledged
 * lines no batch had taken to the next batch, so each acknowledged line is processed exactly once.
 * When the log cannot be written, the receiver stops reading the socket and retries with the
 * reconnect backoff. Segments roll at 64 MiB and are deleted once a committed checkpoint is past
 * them ({@link #checkpointCommitted}). The log needs a file system that can flush an open file
 * (local, HDFS); on one that cannot ({@code s3a://}), {@link #start} and {@link #recover} throw
 * {@link WriteAheadLogUnsupportedException}, a configuration error.
 *
 * <p>The stream is a receiver ({@link SocketReceiver}) run by the same {@link ReceiverInput} as an
 * application's own receivers: the ledger, the log, the pacing, the restarts and the health are
 * that input's; this class names the server, checks the address and adds the connection's counts to
 * the status.
 */
public final class SocketTextSource implements InputSource<String> {
  static final long DEFAULT_SEGMENT_BYTES = WriteAheadLog.DEFAULT_SEGMENT_BYTES;

  private final ReceiverHealth health;
  private final SocketReceiver receiver;
  private final ReceiverInput<String> input;

  /**
   * A source reading from {@code host:port}, handing each batch over in {@code partitions} slices,
   * and naming its thread and log lines after {@code streamName}.
   */
  public SocketTextSource(String host, int port, int partitions, String streamName) {
    this(host, port, partitions, streamName, ReceiverSettings.defaults());
  }

  /**
   * A source as above whose receiver reads at most {@code maxRate} lines per second; {@link
   * Double#POSITIVE_INFINITY} for no fixed limit.
   */
  public SocketTextSource(
      String host, int port, int partitions, String streamName, double maxRate) {
    this(host, port, partitions, streamName, ReceiverSettings.defaults().withMaxRate(maxRate));
  }

  /** A source as above whose receiver follows {@code settings}. */
  public SocketTextSource(
      String host, int port, int partitions, String streamName, ReceiverSettings settings) {
    this(host, port, partitions, streamName, settings, null, null);
  }

  /**
   * A source as above that keeps a write-ahead log of received lines in {@code store}'s directory
   * for {@code sourceId} (stable across restarts of the same graph: {@code input-0}, ...); without
   * a store ({@code null}), it keeps none.
   */
  public SocketTextSource(
      String host,
      int port,
      int partitions,
      String streamName,
      ReceiverSettings settings,
      CheckpointStore store,
      String sourceId) {
    this(host, port, partitions, streamName, settings, store, sourceId, DEFAULT_SEGMENT_BYTES);
  }

  /** As the public constructor, rolling write-ahead log segments at {@code walSegmentBytes}. */
  SocketTextSource(
      String host,
      int port,
      int partitions,
      String streamName,
      ReceiverSettings settings,
      CheckpointStore store,
      String sourceId,
      long walSegmentBytes) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(
          "socket text stream '"
              + streamName
              + "' needs a host name to connect to, got '"
              + host
              + "'");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException(
          "socket text stream '"
              + streamName
              + "' was given port "
              + port
              + " for host "
              + host
              + "; use the server's TCP port, 1 to 65535");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "socket text stream '"
              + streamName
              + "' needs at least 1 partition per batch, got "
              + partitions);
    }
    String stream = "socket text stream '" + streamName + "'";
    this.health = new ReceiverHealth(host + ":" + port, System::currentTimeMillis);
    this.receiver = new SocketReceiver(host, port, streamName, settings, health);
    this.input =
        new ReceiverInput<>(
            receiver,
            stream,
            "line",
            health,
            partitions,
            settings,
            store == null
                ? null
                : new WriteAheadLog(
                    store.sourceFiles(),
                    store.sourceLogDirectory(sourceId),
                    stream,
                    walSegmentBytes,
                    WalSegmentFormat.Payload.LINES));
    receiver.bind(input);
  }

  /**
   * Starts the receiver thread, which connects in the background: a server that is not up yet is
   * retried, not an error.
   *
   * @throws IllegalStateException if the source was already started or stopped
   */
  @Override
  public void start(long firstBatchTime) {
    input.start(firstBatchTime);
  }

  /**
   * Everything received since the previous call, in arrival order, cut into the configured number
   * of partitions. Never blocks on the network; after {@link #stop} it hands over what was received
   * before.
   */
  @Override
  public Dataset<String> take(long batchTime, boolean lastBatch) {
    return input.take(batchTime, lastBatch);
  }

  /**
   * Closes the connection, which ends a blocked read, and waits up to 5 s for the receiver thread
   * to end. Calling it again does nothing.
   */
  @Override
  public void stop() {
    input.stop();
  }

  @Override
  public boolean hasBufferedInput() {
    return input.hasBufferedInput();
  }

  /**
   * How many lines the receiver has read since {@link #start} or {@link #recover}, over all
   * connections; with a write-ahead log, how many it has acknowledged.
   */
  public long receivedLines() {
    return input.receivedRecords();
  }

  /** The connection, errors and counts of this stream now; safe from any thread. */
  @Override
  public SourceStatus status() {
    return health.status(
        input.receivedRecords(), receiver.receivedBytes(), receiver.droppedLines());
  }

  /** Paces the receiver to the limit (or the fixed maximum rate, if lower) from now on. */
  @Override
  public void updateRateLimit(RateLimit limit) {
    input.updateRateLimit(limit);
  }

  /**
   * The range of log sequence numbers {@code taken} holds.
   *
   * @throws IllegalStateException without a write-ahead log, or for a dataset other than the latest
   *     take
   */
  @Override
  public byte[] encodePlan(Dataset<String> taken) {
    return input.encodePlan(taken);
  }

  /**
   * The lines of the plan's range, read back from the write-ahead log.
   *
   * @throws CorruptWriteAheadLogException if the log no longer holds every line of the range
   * @throws IllegalArgumentException if the plan is not one this source wrote
   */
  @Override
  public Dataset<String> replay(long batchTime, byte[] plan) {
    return input.replay(batchTime, plan);
  }

  /** The log position of the next take. */
  @Override
  public byte[] snapshot() {
    return input.snapshot();
  }

  /**
   * Positions the next take after the snapshot and the plans, buffers the acknowledged lines the
   * log holds beyond that (received before the crash, taken by no batch) for it, and starts the
   * receiver on a new log segment. A torn last block, which the crash cut short and so was never
   * acknowledged, is skipped with a warning.
   *
   * @throws CorruptWriteAheadLogException if the log lacks acknowledged lines or is damaged
   * @throws IllegalArgumentException if the snapshot or a plan is not one this source wrote
   */
  @Override
  public void recover(long nextBatchTime, byte[] snapshot, List<byte[]> plansSince) {
    input.recover(nextBatchTime, snapshot, plansSince);
  }

  /**
   * The records of the write-ahead log between the range the batch before them took (or the
   * snapshot's position) and the range of the batch after them: exactly what they had taken, since
   * batches take consecutive ranges.
   */
  @Override
  public SkippedInput unplanned(
      long firstTime, long lastTime, byte[] snapshot, NavigableMap<Long, byte[]> plansSince) {
    return input.unplanned(firstTime, lastTime, snapshot, plansSince);
  }

  /** Deletes the log segments that hold only lines before {@code snapshot}'s position. */
  @Override
  public void checkpointCommitted(long batchTime, byte[] snapshot) {
    input.checkpointCommitted(batchTime, snapshot);
  }
}

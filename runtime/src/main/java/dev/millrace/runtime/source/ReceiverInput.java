package dev.millrace.runtime.source;

import dev.millrace.runtime.backpressure.RateLimit;
import dev.millrace.runtime.backpressure.TokenBucket;
import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.dataset.Dataset;
import java.io.IOException;
import java.util.List;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's input over a receiver ({@link ReceiverLifecycle}: an application's {@code
 * dev.millrace.streaming.Receiver}, or the socket stream's): it starts and stops the receiver,
 * takes what it {@linkplain #store stores} into the {@link ReceivedRecordLedger ledger} batches
 * take from, paces it to the rate, restarts it within the budget of {@link ReceiverRestarts}, and
 * keeps its health for the status.
 *
 * <p>With a checkpoint store, every stored group is first appended to a write-ahead log under the
 * checkpoint directory ({@link ReceivedRecordLog}, one {@link WalSegmentFormat} block per group)
 * and flushed, which is what acknowledges it; a batch's plan is the range of sequence numbers it
 * took, its replay re-reads that range, and after a crash {@link #recover} hands the acknowledged
 * records no batch had taken to the next batch, so each is processed exactly once. Segments are
 * deleted once a committed checkpoint is past them. When the log cannot be written, {@code store}
 * retries with the reconnect backoff and the input is in an outage until it works again.
 *
 * <p>A failure the receiver reports through {@code restart} stops it ({@code onStop}) and starts it
 * again after the backoff, on a thread of its own; past the budget the next {@link #take} throws a
 * {@link ReceiverFailedException}, which fails the batch and stops the driver, so that its
 * supervisor restarts it rather than a dead input passing for a quiet one.
 *
 * @param <T> record type
 */
public final class ReceiverInput<T> implements InputSource<T> {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiverInput.class);

  private final ReceiverLifecycle receiver;
  private final String stream;
  private final String recordNoun;
  private final ReceiverSettings settings;
  private final ReceiverHealth health;
  private final ReceivedRecordLedger<T> ledger;
  private final ReceivedRecordLog<T> log; // null without a checkpoint store
  private final TokenBucket intake;
  private volatile RateLimit rateLimit;
  private volatile ReceiverFailedException fatal;

  // Store path: one group at a time reaches the log and the ledger, so their orders agree.
  private final Object storeLock = new Object();

  // onStart and onStop are called under this lock, so that they never overlap; the receiver's own
  // threads never wait for it (restart takes only the lifecycle lock).
  private final Object callbacks = new Object();
  private final Object lifecycle = new Object();
  private final ReceiverRestarts restarts; // guarded by lifecycle
  private boolean started; // guarded by lifecycle: start or recover was called
  private boolean stopped; // guarded by lifecycle: stop was called
  private boolean running; // guarded by lifecycle: onStart called, onStop not called since
  private volatile boolean receiving; // onStart called, no stop or restart since
  private volatile boolean closed; // stop finished: stores are refused
  private final CountDownLatch stopSignal = new CountDownLatch(1);

  /**
   * The input running {@code receiver}: its records are cut into {@code partitions} per batch,
   * logged (with {@code store}, else kept in memory only) under {@code sourceId} as {@link
   * WalSegmentFormat.Payload#RECORDS}.
   */
  public static <T> ReceiverInput<T> of(
      ReceiverLifecycle receiver,
      int partitions,
      ReceiverSettings settings,
      CheckpointStore store,
      String sourceId) {
    String stream = "receiver '" + receiver.name() + "'";
    return new ReceiverInput<>(
        receiver,
        stream,
        "record",
        new ReceiverHealth(receiver.name(), System::currentTimeMillis, false),
        partitions,
        settings,
        store == null
            ? null
            : new WriteAheadLog(
                store.sourceFiles(),
                store.sourceLogDirectory(sourceId),
                stream,
                WriteAheadLog.DEFAULT_SEGMENT_BYTES,
                WalSegmentFormat.Payload.RECORDS));
  }

  /**
   * The input running {@code receiver}, named {@code stream} in messages, calling a record a {@code
   * recordNoun}, keeping {@code health}, and logging to {@code wal} (null for none).
   */
  ReceiverInput(
      ReceiverLifecycle receiver,
      String stream,
      String recordNoun,
      ReceiverHealth health,
      int partitions,
      ReceiverSettings settings,
      WriteAheadLog wal) {
    if (partitions < 1) {
      throw new IllegalArgumentException(
          stream + " needs at least 1 partition per batch, got " + partitions);
    }
    this.receiver = receiver;
    this.stream = stream;
    this.recordNoun = recordNoun;
    this.settings = settings;
    this.health = health;
    this.ledger = new ReceivedRecordLedger<>(stream, partitions);
    this.log = wal == null ? null : new ReceivedRecordLog<>(wal, stream, recordNoun);
    this.intake = new TokenBucket(settings.maxRate());
    this.restarts = new ReceiverRestarts(settings.maxRestarts(), settings.restartWindowMillis());
  }

  // ---------------------------------------------------------------- the receiver's side

  /**
   * Stores {@code records}, in order, as one group, and returns once they are acknowledged: paces
   * them to the rate (blocking while the receiver is ahead of it), then, with a log, appends and
   * flushes them, and hands them to the next take.
   *
   * @throws IllegalStateException once the input has stopped, or if it stopped before the log could
   *     take the records (they are not acknowledged)
   */
  public void store(List<? extends T> records) {
    checkOpen();
    long waitNanos = intake.acquire(System.nanoTime(), records.size());
    if (waitNanos > 0) {
      awaitStopNanos(waitNanos);
    }
    if (!storePaced(records)) {
      throw new IllegalStateException(
          stream
              + " stopped before "
              + records.size()
              + " stored "
              + recordNoun
              + "s could be written to its write-ahead log; they were not acknowledged");
    }
  }

  /**
   * Stores {@code records} that were paced already (the socket receiver paces each line as it reads
   * it): logs them, when there is a log, and hands them to the next take. False, with a warning, if
   * the input stopped before the log could take them: they were never acknowledged.
   */
  boolean storePaced(List<? extends T> records) {
    synchronized (storeLock) {
      checkOpen();
      if (log == null) {
        ledger.storeAll(records);
        return true;
      }
      if (!appendUntilLogged(records)) {
        LOG.warn(
            "{} stopped before {} received {}s could be written to its write-ahead log; they were"
                + " never acknowledged and are dropped",
            stream,
            records.size(),
            recordNoun);
        return false;
      }
      ledger.storeAll(records);
      log.published();
      return true;
    }
  }

  /**
   * Stores one record that was paced already, with no log: the socket receiver's path without a
   * checkpoint, a record at a time as it always was.
   */
  void storeUnlogged(T record) {
    ledger.store(record);
  }

  /** Whether stored records go through a write-ahead log. */
  boolean logged() {
    return log != null;
  }

  /**
   * Takes one record's token from the rate at {@code nowNanos}; the nanoseconds the caller must
   * wait before the next, as {@link TokenBucket#acquire(long)}.
   */
  long acquire(long nowNanos) {
    return intake.acquire(nowNanos);
  }

  /** Appends {@code records} to the log, retrying until it works; false if stopped first. */
  private boolean appendUntilLogged(List<? extends T> records) {
    ReconnectBackoff backoff = new ReconnectBackoff();
    boolean failedBefore = false;
    while (true) {
      try {
        log.append(records);
        if (failedBefore) {
          health.recovered();
          LOG.info("{} writes its write-ahead log {} again", stream, log.directory());
        }
        return true;
      } catch (IOException e) {
        log.abandonBlock();
        if (!failedBefore) {
          failedBefore = true;
          health.failing("cannot write the write-ahead log: " + e);
          LOG.warn(
              "{} cannot write {} received {}s to its write-ahead log {} ({}); no batch sees them"
                  + " until they are written, retrying every {} to {} ms",
              stream,
              records.size(),
              recordNoun,
              log.directory(),
              e.toString(),
              ReconnectBackoff.INITIAL_DELAY_MILLIS,
              ReconnectBackoff.MAX_DELAY_MILLIS);
        }
        if (awaitStop(backoff.nextDelayMillis())) {
          return false;
        }
      } catch (RuntimeException | Error e) {
        // A record the codec cannot encode, or no memory for the block: nothing of it counts.
        log.abandonBlock();
        throw e;
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(
          stream
              + " has stopped and stores nothing more; end the receiving threads when"
              + " isStopped() turns true");
    }
  }

  /**
   * Stops the receiver and starts it again after the backoff, on a thread of its own; past the
   * restart budget, or when acknowledged records never reached the ledger, stops it for good and
   * fails the next take. Returns at once; a second call while a restart is under way does nothing.
   */
  public void restart(String message, Throwable error) {
    String why = error == null ? message : message + ": " + error;
    // Read before the lifecycle lock, which is never held while waiting for the store lock.
    long unpublished = unpublishedRecords();
    OptionalLong delay;
    synchronized (lifecycle) {
      if (stopped || !receiving) {
        return; // stopping, or a restart is under way already
      }
      receiving = false;
      if (unpublished != 0) {
        giveUp(
            error,
            why,
            "it failed between logging "
                + unpublished
                + " received "
                + recordNoun
                + "s and handing them to batches, which only a restart can repair: the restarted"
                + " driver reads them back from the write-ahead log");
        delay = OptionalLong.empty();
      } else {
        delay = restarts.failed(System.currentTimeMillis());
        if (delay.isEmpty()) {
          giveUp(
              error,
              why,
              "it failed "
                  + restarts.failuresInWindow()
                  + " times within "
                  + restarts.windowMillis()
                  + " ms, more than millrace.receiver.max-restarts="
                  + restarts.maxRestarts()
                  + " allows");
        } else {
          health.receiverRestarting(why);
          LOG.error(
              "{} failed ({}); starting it again in {} ms (failure {} within {} ms, at most {}"
                  + " restarts)",
              stream,
              message,
              delay.getAsLong(),
              restarts.failuresInWindow(),
              restarts.windowMillis(),
              restarts.maxRestarts(),
              error);
        }
      }
    }
    Thread restarter =
        new Thread(() -> stopAndStartAfter(delay), "millrace-receiver-restart-" + receiver.name());
    restarter.setDaemon(true);
    restarter.start();
  }

  private long unpublishedRecords() {
    if (log == null) {
      return 0;
    }
    synchronized (storeLock) {
      return log.unpublishedRecords();
    }
  }

  private void giveUp(Throwable error, String why, String reason) {
    health.failing(why);
    fatal =
        new ReceiverFailedException(
            "the "
                + stream
                + " stopped: "
                + reason
                + "; last error: "
                + why
                + ". The driver stops so that its supervisor restarts it from the checkpoint. If"
                + " this repeats, the error above says what to fix (an OutOfMemoryError: give the"
                + " driver more memory or lower millrace.receiver.max-rate, and for socket streams"
                + " millrace.receiver.max-line-bytes)",
            error);
    LOG.error("{}", fatal.getMessage(), error);
  }

  /** On the restart thread: onStop, then onStart after {@code delay} unless stopped first. */
  private void stopAndStartAfter(OptionalLong delay) {
    synchronized (callbacks) {
      synchronized (lifecycle) {
        if (!running) {
          return;
        }
        running = false;
      }
      callOnStop();
    }
    if (delay.isEmpty() || awaitStop(delay.getAsLong())) {
      return;
    }
    synchronized (callbacks) {
      synchronized (lifecycle) {
        if (stopped) {
          return;
        }
        receiving = true;
        running = true;
      }
      callOnStart();
    }
  }

  /** Records an error the receiver went on after: the status's last error, no outage. */
  public void reportError(String message, Throwable error) {
    String what = error == null ? message : message + ": " + error;
    health.errorReported(what);
    LOG.warn("{} reported an error: {}", stream, message, error);
  }

  /** Whether the receiver is to stop receiving: the input stops, or a restart stops it. */
  public boolean isStopped() {
    return !receiving;
  }

  /** Calls onStart, the callbacks lock held; a throw counts as a failure to restart. */
  private void callOnStart() {
    try {
      receiver.onStart();
    } catch (RuntimeException | Error e) {
      LOG.debug("{}: onStart failed", stream, e);
      restart("onStart failed", e);
      return;
    }
    if (receiving) {
      health.started();
    }
  }

  private void callOnStop() {
    try {
      receiver.onStop();
    } catch (RuntimeException | Error e) {
      LOG.warn("{}: onStop failed; its threads may go on until they see isStopped()", stream, e);
    }
  }

  // ---------------------------------------------------------------- the engine's side

  /**
   * Starts the receiver ({@code onStart}), after opening the write-ahead log past whatever an
   * earlier run left in it.
   *
   * @throws IllegalStateException if the input was already started or stopped
   */
  @Override
  public void start(long firstBatchTime) {
    checkNotStarted();
    if (log != null) {
      ledger.startAt(log.startAfterEarlierLog());
    }
    startReceiver();
  }

  private void startReceiver() {
    synchronized (callbacks) {
      synchronized (lifecycle) {
        started = true;
        receiving = true;
        running = true;
      }
      callOnStart();
    }
  }

  private void checkNotStarted() {
    synchronized (lifecycle) {
      if (started || stopped) {
        throw new IllegalStateException(
            stream
                + " was already "
                + (stopped ? "stopped" : "started")
                + "; an input is started once, create a new one to receive again");
      }
    }
  }

  /**
   * Everything stored since the previous call, up to the rate limit, in store order. Never blocks
   * on the receiver; after {@link #stop} it hands over what was stored before.
   *
   * @throws ReceiverFailedException if the receiver failed more often than its budget allows
   */
  @Override
  public Dataset<T> take(long batchTime, boolean lastBatch) {
    ReceiverFailedException failure = fatal;
    if (failure != null && !lastBatch) {
      throw failure;
    }
    RateLimit limit = rateLimit;
    long most = lastBatch || limit == null ? Long.MAX_VALUE : limit.recordsPerBatch();
    return ledger.take(most);
  }

  /** Stops the receiver ({@code onStop}); stores after it returns are refused. Idempotent. */
  @Override
  public void stop() {
    // First, so that a store retrying a log it cannot write gives up and lets go of its lock.
    stopSignal.countDown();
    boolean wasRunning;
    synchronized (lifecycle) {
      if (stopped) {
        return;
      }
      stopped = true;
      receiving = false;
      wasRunning = running;
      running = false;
    }
    synchronized (callbacks) {
      if (wasRunning) {
        callOnStop();
      }
    }
    synchronized (storeLock) {
      closed = true;
      if (log != null) {
        log.closeWriter();
      }
    }
  }

  @Override
  public boolean hasBufferedInput() {
    return ledger.hasBuffered();
  }

  /** Records stored since start or recover; with a write-ahead log, acknowledged ones. */
  public long receivedRecords() {
    return ledger.receivedRecords();
  }

  @Override
  public SourceStatus status() {
    return health.status(ledger.receivedRecords(), null, 0);
  }

  /** Paces the receiver to the limit (or the fixed maximum rate, if lower) from now on. */
  @Override
  public void updateRateLimit(RateLimit limit) {
    RateLimit effective = limit.atMost(settings.maxRate());
    rateLimit = effective;
    intake.setRate(effective.recordsPerSecond());
  }

  /**
   * The range of log sequence numbers {@code taken} holds.
   *
   * @throws IllegalStateException without a write-ahead log, or for a dataset other than the latest
   *     take
   */
  @Override
  public byte[] encodePlan(Dataset<T> taken) {
    requireLog("encode a batch plan");
    return ledger.encodePlan(taken);
  }

  /**
   * The records of the plan's range, read back from the write-ahead log.
   *
   * @throws CorruptWriteAheadLogException if the log no longer holds every record of the range
   * @throws IllegalArgumentException if the plan is not one this input wrote
   */
  @Override
  public Dataset<T> replay(long batchTime, byte[] plan) {
    requireLog("replay a batch");
    return log.replay(batchTime, plan, ledger.partitions());
  }

  /** The log position of the next take. */
  @Override
  public byte[] snapshot() {
    requireLog("take a snapshot");
    return WalRange.positionBytes(ledger.nextTakeSeq());
  }

  /**
   * Positions the next take after the snapshot and the plans, buffers the acknowledged records the
   * log holds beyond that (stored before the crash, taken by no batch) for it, and starts the
   * receiver on a new log segment. A torn last block, which the crash cut short and so was never
   * acknowledged, is skipped with a warning.
   *
   * @throws CorruptWriteAheadLogException if the log lacks acknowledged records or is damaged
   * @throws IllegalArgumentException if the snapshot or a plan is not one this input wrote
   */
  @Override
  public void recover(long nextBatchTime, byte[] snapshot, List<byte[]> plansSince) {
    requireLog("recover");
    checkNotStarted();
    log.recover(nextBatchTime, snapshot, plansSince, ledger);
    startReceiver();
  }

  /**
   * The records of the write-ahead log between the range the batch before them took (or the
   * snapshot's position) and the range of the batch after them: exactly what they had taken, since
   * batches take consecutive ranges.
   */
  @Override
  public SkippedInput unplanned(
      long firstTime, long lastTime, byte[] snapshot, NavigableMap<Long, byte[]> plansSince) {
    requireLog("skip a batch");
    return log.unplanned(firstTime, lastTime, snapshot, plansSince);
  }

  /** Deletes the log segments that hold only records before {@code snapshot}'s position. */
  @Override
  public void checkpointCommitted(long batchTime, byte[] snapshot) {
    if (log != null) {
      log.checkpointCommitted(batchTime, snapshot);
    }
  }

  private void requireLog(String action) {
    if (log == null) {
      throw new IllegalStateException(
          stream
              + " keeps no write-ahead log, so it cannot "
              + action
              + "; create it with a checkpoint store (set a checkpoint directory on the context) so"
              + " that received "
              + recordNoun
              + "s are logged");
    }
  }

  private boolean awaitStop(long millis) {
    return awaitStopNanos(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  private boolean awaitStopNanos(long nanos) {
    try {
      return stopSignal.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }
}

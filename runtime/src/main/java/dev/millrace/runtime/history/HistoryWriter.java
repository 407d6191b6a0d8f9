package dev.millrace.runtime.history;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves a {@link BatchHistory} to its {@link HistoryStore} on a thread of its own, at most once
 * every {@code every} and only when a batch of its own changed since (never before the first), and
 * once more when closed: the batch loop never waits for the file system, and a save that fails is
 * logged (once until one succeeds again) and never fails a batch. A driver killed between two saves
 * loses at most the batches of the last {@code every} from the history, never from the checkpoint.
 */
public final class HistoryWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);
  private static final long CLOSE_WAIT_SECONDS = 10;

  private final BatchHistory history;
  private final HistoryStore store;
  private final BooleanSupplier leaseHeld;
  private final ScheduledExecutorService thread;
  private long sequence; // only on the writer's thread
  private long savedChanges; // only on the writer's thread
  private boolean failing; // only on the writer's thread
  private boolean fenced; // only on the writer's thread

  private HistoryWriter(
      BatchHistory history, HistoryStore store, String app, BooleanSupplier leaseHeld) {
    this.history = history;
    this.store = store;
    this.leaseHeld = leaseHeld;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "millrace-history-" + app);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts saving {@code history} of application {@code app} to {@code store} every {@code every},
   * each time only if {@code leaseHeld} says that this driver still holds the checkpoint's lease:
   * once another driver took it over, nothing more is saved, as nothing more is checkpointed.
   */
  public static HistoryWriter start(
      BatchHistory history,
      HistoryStore store,
      String app,
      Duration every,
      BooleanSupplier leaseHeld) {
    HistoryWriter writer = new HistoryWriter(history, store, app, leaseHeld);
    writer.thread.scheduleWithFixedDelay(
        writer::saveIfChanged, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return writer;
  }

  private void saveIfChanged() {
    long changes = history.changes();
    if (changes == savedChanges || fenced) {
      return;
    }
    try {
      if (!leaseHeld.getAsBoolean()) {
        LOG.info(
            "another driver holds the checkpoint's lease; this one saves no more of the batch"
                + " history to {}",
            store.location());
        fenced = true;
        return;
      }
      // The clock, so that a later writer of the same run (the driver's next context) goes on
      // after this one's files rather than colliding with them.
      long next = Math.max(sequence + 1, System.currentTimeMillis());
      if (store.save(history.run(), next, history.finished())) {
        sequence = next;
        savedChanges = changes;
        if (failing) {
          LOG.info("the batch history is saved to {} again", store.location());
          failing = false;
        }
      }
    } catch (Exception e) {
      if (!failing) {
        LOG.warn(
            "cannot save the batch history to {}: {}; batches run on, and a restart shows the"
                + " batches of the last save. Check that the checkpoint directory is writable",
            store.location(),
            e.toString());
        failing = true;
      }
    }
  }

  /** Saves the last changes and stops, waiting at most ten seconds for the file system. */
  @Override
  public void close() {
    thread.execute(this::saveIfChanged);
    thread.shutdown();
    try {
      if (!thread.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        LOG.warn(
            "the last save of the batch history to {} took more than {} s; not waiting for it",
            store.location(),
            CLOSE_WAIT_SECONDS);
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}

package dev.millrace.bench;

import dev.millrace.runtime.history.BatchHistory;
import dev.millrace.runtime.history.HistoryStore;
import dev.millrace.runtime.history.HistoryWriter;
import dev.millrace.runtime.metrics.DriverMetrics;
import dev.millrace.runtime.ui.WebUi;
import dev.millrace.streaming.StreamingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;

/**
 * What a driver adds to a context to be watched (issue 18), for {@code bench/run observe}: the
 * Prometheus metrics and the batch history as listeners, the history saved to the checkpoint
 * directory every second as the driver does, and a scraper that reads {@code /metrics} and a page
 * of {@code /api/v1/batches} every second (Prometheus scrapes every 15–60 s; a browser on the
 * streaming page polls every few seconds), all in the measured JVM.
 */
final class Observers {
  private static final int RETAINED_BATCHES = 1000;
  private static final Duration SAVE_EVERY = Duration.ofSeconds(1);
  private static final long SCRAPE_EVERY_MS = 1000;

  private Observers() {}

  /** Whether the measured JVM was told to watch its context ({@code -Dbench.observe=true}). */
  static boolean enabled() {
    return Boolean.getBoolean("bench.observe");
  }

  /** Adds the watchers to {@code ssc}, saving the history under {@code checkpointDir} if given. */
  static void watch(StreamingContext ssc, long intervalMs, Path checkpointDir) {
    DriverMetrics metrics = new DriverMetrics("bench", intervalMs, () -> 0, List::of);
    BatchHistory history;
    if (checkpointDir == null) {
      history = new BatchHistory(RETAINED_BATCHES, 1, List.of());
    } else {
      HistoryStore store = HistoryStore.in(checkpointDir.toUri().toString(), new Configuration());
      history = store.restore(RETAINED_BATCHES, 1);
      HistoryWriter.start(history, store, "bench", SAVE_EVERY, () -> true);
    }
    ssc.addStreamingListener(metrics);
    ssc.addStreamingListener(history);
    WebUi ui = new WebUi(history, () -> null, intervalMs);
    ScheduledExecutorService scraper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-scraper");
              t.setDaemon(true);
              return t;
            });
    scraper.scheduleWithFixedDelay(
        () -> {
          try {
            metrics.write(new ByteArrayOutputStream());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          ui.answer("/api/v1/batches", "limit=100").orElseThrow();
        },
        SCRAPE_EVERY_MS,
        SCRAPE_EVERY_MS,
        TimeUnit.MILLISECONDS);
  }
}

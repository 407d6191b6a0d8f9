package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.crds.launch.DriverStatusClient;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.runtime.launch.ExitCode;
import dev.millrace.runtime.metrics.DriverMetrics;
import dev.millrace.runtime.metrics.TestingMetricsText;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.StreamingContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The status endpoint of a real context running in this JVM on the system clock. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatusServerTest {
  private static final long INTERVAL_MS = 100;

  @TempDir Path dir;

  private final DriverStatusClient client = new DriverStatusClient(Duration.ofSeconds(2));
  private final HttpClient http = HttpClient.newHttpClient();
  private final DriverStatusTracker status =
      new DriverStatusTracker("queue", 1, 0, INTERVAL_MS, List::of);
  private final DriverMetrics metrics = new DriverMetrics("queue", INTERVAL_MS, () -> 0, List::of);
  private StatusServer server;
  private StreamingContext ssc;

  @AfterEach
  void stop() {
    if (ssc != null) {
      ssc.stop(false);
    }
    if (server != null) {
      server.close();
    }
  }

  private String address() {
    return "127.0.0.1:" + server.port();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + address() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private DriverStatusReport awaitReport(Predicate<DriverStatusReport> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    DriverStatusReport last = null;
    while (System.nanoTime() < deadline) {
      last = client.poll(address()).orElse(null);
      if (last != null && condition.test(last)) {
        return last;
      }
      Thread.sleep(INTERVAL_MS / 2);
    }
    return fail("the status never met the condition; last: " + last);
  }

  @Test
  void theStatusFollowsTheBatchesCheckpointsAndStopOfARunningContext() throws Exception {
    server =
        StatusServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), status, metrics);
    sevenRecordsABatch(
        StreamingContext.builder().conf("millrace.checkpoint.interval", 3 * INTERVAL_MS + "ms"));
    ssc.checkpoint(dir.resolve("checkpoint").toString());
    ssc.addStreamingListener(status);

    DriverStatusReport starting = client.poll(address()).orElseThrow();
    assertEquals("STARTING", starting.state());
    ssc.start();
    status.started();

    DriverStatusReport first = awaitReport(r -> r.batchesCompleted() >= 2);
    assertEquals("RUNNING", first.state());
    assertNotNull(first.lastCompletedBatchTimeMs());
    assertTrue(first.totalDelayMs() >= 0 && first.processingDelayMs() >= 0, first.toString());
    assertTrue(first.recordsPerSecond() > 0, first.toString());
    assertEquals(7, first.recordsLastBatch());
    // A fresh start writes a generation at the zero time, before the first batch.
    long zeroTime = first.lastCheckpointTimeMs();

    DriverStatusReport later =
        awaitReport(
            r ->
                r.lastCompletedBatchTimeMs() > first.lastCompletedBatchTimeMs()
                    && r.lastCheckpointTimeMs() > zeroTime);
    assertEquals(
        0, (later.lastCheckpointTimeMs() - zeroTime) % (3 * INTERVAL_MS), later.toString());
    assertEquals(70.0, later.recordsPerSecond(), 1e-9);
    assertEquals(200, get("/healthz").statusCode());

    status.stopRequested();
    ssc.stop(true);
    status.ended(ExitCode.OK);
    assertEquals(503, get("/healthz").statusCode());
    DriverStatusReport stopped = client.poll(address()).orElseThrow();
    assertEquals("STOPPED", stopped.state());
    // The graceful stop checkpointed after its last batch.
    assertEquals(stopped.lastCompletedBatchTimeMs(), stopped.lastCheckpointTimeMs());
  }

  @Test
  void metricsFollowTheBatchesOfARunningContextInTheFormatPrometheusReads() throws Exception {
    server =
        StatusServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), status, metrics);
    sevenRecordsABatch(StreamingContext.builder());
    ssc.addStreamingListener(metrics);
    ssc.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (completed(get("/metrics").body()) < 3 && System.nanoTime() < deadline) {
      Thread.sleep(INTERVAL_MS / 2);
    }
    ssc.stop(true);

    HttpResponse<String> scraped = get("/metrics");
    assertEquals(200, scraped.statusCode());
    assertTrue(
        scraped.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
        scraped.headers().toString());
    String text = scraped.body();
    double batches = completed(text);
    assertTrue(batches >= 3, text);
    assertEquals(
        7 * batches,
        TestingMetricsText.value(
            text, "millrace_input_records_total", "app=\"queue\"", "input=\"queueStream#"),
        "seven records in every batch");
    assertEquals(
        batches, TestingMetricsText.value(text, "millrace_batch_total_delay_seconds_count"));
    TestingMetricsText.assertPromtoolAccepts(text);
  }

  /**
   * {@code ssc}, built by {@code builder} as app "queue" on 2 threads: a queue stream of seven
   * records in every batch, for longer than a test runs, doubled and counted.
   */
  private void sevenRecordsABatch(StreamingContext.Builder builder) {
    Queue<List<Integer>> queue = new ConcurrentLinkedQueue<>();
    IntStream.range(0, 1_000).forEach(i -> queue.add(List.of(1, 2, 3, 4, 5, 6, 7)));
    ssc =
        builder
            .master("local[2]")
            .appName("queue")
            .batchInterval(Durations.milliseconds(INTERVAL_MS))
            .build();
    ssc.queueStream(queue).map(x -> x * 2).foreachBatch(batch -> batch.count());
  }

  private static double completed(String metricsText) {
    return metricsText.contains("millrace_batches_completed_total")
        ? TestingMetricsText.value(metricsText, "millrace_batches_completed_total")
        : 0;
  }

  @Test
  void healthIsOkWhileStartingAndRunningAndUnavailableOnceStoppingOrStopped() throws Exception {
    server =
        StatusServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), status, metrics);
    assertEquals(200, get("/healthz").statusCode());
    assertEquals("ok\n", get("/healthz").body());
    status.started();
    assertEquals(200, get("/healthz").statusCode());
    status.stopRequested();
    assertEquals(503, get("/healthz").statusCode());
    status.ended(ExitCode.OK);
    HttpResponse<String> stopped = get("/healthz");
    assertEquals(503, stopped.statusCode());
    assertEquals("stopped\n", stopped.body());
    assertEquals("STOPPED", client.poll(address()).orElseThrow().state());
  }

  @Test
  void anyOtherPathIsNotFound() throws Exception {
    server =
        StatusServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), status, metrics);
    assertEquals(404, get("/").statusCode());
    assertEquals(404, get("/api/v1/status/extra").statusCode());
    assertEquals(
        200, get(DriverStatusClient.STATUS_PATH).statusCode(), "the status path itself answers");
  }
}

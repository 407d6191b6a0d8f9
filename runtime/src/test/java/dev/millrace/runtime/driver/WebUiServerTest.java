package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.runtime.Contexts;
import dev.millrace.runtime.history.BatchHistory;
import dev.millrace.runtime.metrics.DriverMetrics;
import dev.millrace.runtime.source.TestingReportingSource;
import dev.millrace.runtime.stream.InputNode;
import dev.millrace.runtime.ui.EffectiveSettings;
import dev.millrace.runtime.ui.WebUi;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.SourceHealth;
import dev.millrace.streaming.StreamingContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The web UI and REST API of the status endpoint, over a real socket, showing the batches a real
 * context ran in this JVM: the context runs a few batches and stops, so every test sees the same
 * history.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebUiServerTest {
  private static final long INTERVAL_MS = 50;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every page's path; {@code /} is the streaming page. */
  private static final List<String> PAGES =
      List.of(
          "/", "/streaming", "/batch", "/executors", "/checkpoints", "/state", "/configuration");

  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicReference<List<InputNode<?>>> inputs = new AtomicReference<>(List.of());
  private final DriverStatusTracker status =
      new DriverStatusTracker(
          "queue", 4, 0, INTERVAL_MS, List::of, inputs::get, 60_000, 10, System::currentTimeMillis);
  private final BatchHistory history = new BatchHistory(1000, 4, List.of());
  private StatusServer server;
  private long completed;

  @BeforeAll
  void runSomeBatches() throws Exception {
    server =
        StatusServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            status,
            new DriverMetrics("queue", INTERVAL_MS, () -> 0, List::of),
            new WebUi(
                history,
                status::report,
                INTERVAL_MS,
                EffectiveSettings.of(
                    Map.of(
                        "millrace.checkpoint.retain", "3",
                        "millrace.hadoop.fs.s3a.endpoint", "http://minio:9000",
                        "millrace.hadoop.fs.s3a.secret.key", "s3cr3t"))));
    Queue<List<Integer>> queue = new ConcurrentLinkedQueue<>();
    IntStream.range(0, 1_000).forEach(i -> queue.add(List.of(1, 2, 3, 4, 5, 6, 7)));
    StreamingContext ssc =
        StreamingContext.builder()
            .master("local[2]")
            .appName("queue")
            .batchInterval(Durations.milliseconds(INTERVAL_MS))
            .build();
    ssc.queueStream(queue).foreachBatch(batch -> batch.count());
    Map<String, Long> lag = new LinkedHashMap<>();
    lag.put("orders-1", 200L);
    lag.put("orders-0", 100L);
    ssc.stream(
            new TestingReportingSource(
                () ->
                    new SourceHealth("broker:9092 [orders]", null, null, null, 0L, Map.of(), lag)))
        .foreachBatch(batch -> batch.count());
    ssc.addStreamingListener(status);
    ssc.addStreamingListener(history);
    ssc.start();
    inputs.set(Contexts.engine(ssc).graph().inputs());
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (json("/api/v1/batches?status=completed").get("total").asInt() < 5) {
        assertTrue(System.nanoTime() < deadline, "five batches never completed");
        Thread.sleep(INTERVAL_MS);
      }
    } finally {
      ssc.stop(true);
    }
    completed = json("/api/v1/batches?status=completed").get("total").asLong();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(String path) throws Exception {
    HttpResponse<String> response = get(path);
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    assertEquals(
        "application/json; charset=utf-8",
        response.headers().firstValue("Content-Type").orElse(""));
    return JSON.readTree(response.body());
  }

  private static List<Long> times(JsonNode page) {
    List<Long> times = new ArrayList<>();
    page.get("batches").forEach(b -> times.add(b.get("batchTime").asLong()));
    return times;
  }

  @Test
  void batchesAreListedNewestFirstWithTheirRecordsByInputAndTheirDelays() throws Exception {
    JsonNode page = json("/api/v1/batches?limit=3");
    assertEquals(completed, page.get("total").asLong(), "a graceful stop leaves none running");
    assertEquals(3, page.get("limit").asInt());
    List<Long> times = times(page);
    assertEquals(3, times.size());
    assertEquals(times.get(0) - INTERVAL_MS, times.get(1));
    assertEquals(times.get(1) - INTERVAL_MS, times.get(2));
    JsonNode newest = page.get("batches").get(0);
    assertEquals("completed", newest.get("status").asText());
    assertEquals(4, newest.get("attempt").asInt());
    assertEquals(1, newest.get("run").asInt());
    assertEquals(7, newest.get("records").asLong());
    assertEquals(7, newest.get("inputRecords").get("queueStream#0").asLong());
    long scheduling = newest.get("schedulingDelayMs").asLong();
    long processing = newest.get("processingTimeMs").asLong();
    assertTrue(scheduling >= 0 && processing >= 0, newest.toString());
    assertEquals(scheduling + processing, newest.get("totalDelayMs").asLong());
    assertTrue(newest.path("error").isMissingNode(), "no error on a completed batch");
  }

  @Test
  void offsetAndLimitPageThroughTheBatchesAndTheStatusFilterCountsMatchesOnly() throws Exception {
    List<Long> all = times(json("/api/v1/batches?limit=1000"));
    assertEquals(all.subList(2, 4), times(json("/api/v1/batches?offset=2&limit=2")));
    assertEquals(List.of(), times(json("/api/v1/batches?offset=" + all.size())));
    JsonNode running = json("/api/v1/batches?status=RUNNING");
    assertEquals(0, running.get("total").asInt());
    assertEquals(all, times(json("/api/v1/batches?status=completed&limit=1000")));
    assertEquals(Math.min(WebUi.DEFAULT_LIMIT, all.size()), times(json("/api/v1/batches")).size());
  }

  @Test
  void oneBatchIsFoundByItsTimeAndAnUnknownOneIsA404NamingTheTime() throws Exception {
    long time = times(json("/api/v1/batches?limit=1")).get(0);
    JsonNode batch = json("/api/v1/batches/" + time);
    assertEquals(time, batch.get("batchTime").asLong());
    assertEquals(7, batch.get("records").asLong());
    // Two outputs: the queue's, and the reporting source's (the inputs' test needs it).
    JsonNode output = batch.get("outputs").get(0);
    assertEquals(2, batch.get("outputs").size(), batch.toString());
    assertEquals("stream#1", batch.get("outputs").get(1).get("stream").asText());
    assertEquals("foreachBatch", output.get("name").asText());
    assertEquals("queueStream#0", output.get("stream").asText());
    assertEquals("succeeded", output.get("status").asText());
    assertEquals(
        output.get("endTime").asLong() - output.get("startTime").asLong(),
        output.get("durationMs").asLong());
    JsonNode stage = batch.get("stages").get(0);
    assertEquals(2, batch.get("stages").size(), batch.toString());
    assertEquals("foreachBatch of stream#1", batch.get("stages").get(1).get("name").asText());
    assertEquals("foreachBatch of queueStream#0", stage.get("name").asText());
    assertEquals("output", stage.get("kind").asText());
    assertEquals(
        stage.get("tasks").asInt(), stage.get("executors").get(0).get("tasks").asInt(), stage + "");
    assertEquals("driver", stage.get("executors").get(0).get("id").asText());
    assertEquals(
        stage.get("durationMicros").asLong() / 1000.0, stage.get("durationMs").asDouble(), 1e-9);
    assertEquals(0, batch.get("shuffleBytes").asLong());
    JsonNode input = batch.get("inputParts").get(0);
    assertEquals("queueStream#0", input.get("input").asText());
    assertEquals(input.get("total").asInt(), input.get("parts").size());
    assertEquals(0, input.get("more").asInt());
    assertTrue(input.get("parts").get(0).asText().matches("\\d+ records"), input.toString());
    JsonNode listed = json("/api/v1/batches?limit=1").get("batches").get(0);
    assertTrue(
        listed.path("outputs").isMissingNode()
            && listed.path("stages").isMissingNode()
            && listed.path("inputParts").isMissingNode(),
        "the list leaves the details out: " + listed);

    HttpResponse<String> unknown = get("/api/v1/batches/" + (time + 1));
    assertEquals(404, unknown.statusCode());
    JsonNode error = JSON.readTree(unknown.body());
    assertEquals("time", error.get("parameter").asText());
    assertTrue(
        error.get("error").asText().contains(String.valueOf(time + 1))
            && error.get("error").asText().contains("millrace.ui.retained-batches"),
        unknown.body());
  }

  @Test
  void aBadQueryIsA400WithAJsonErrorNamingTheParameter() throws Exception {
    assertError("/api/v1/batches?limit=0", 400, "limit", "from 1 to 1000");
    assertError("/api/v1/batches?limit=1001", 400, "limit", "from 1 to 1000");
    assertError("/api/v1/batches?limit=ten", 400, "limit", "limit=ten");
    assertError("/api/v1/batches?offset=-1", 400, "offset", "offset=-1");
    assertError("/api/v1/batches?status=done", 400, "status", "completed");
    assertError("/api/v1/batches?sort=time", 400, "sort", "offset, limit, status");
    assertError("/api/v1/batches?limit=1&limit=2", 400, "limit", "twice");
    assertError("/api/v1/batches/yesterday", 400, "time", "epoch milliseconds");
    assertError("/api/v1/executors?all=1", 400, "all", "takes none");
    assertError("/api/v1/checkpoints?generation=1", 400, "generation", "takes none");
    assertError("/api/v1/state?operator=counts", 400, "operator", "takes none");
    HttpResponse<String> unknown = get("/api/v1/jobs");
    assertEquals(404, unknown.statusCode());
    assertTrue(unknown.body().contains("docs/rest-api.md"), unknown.body());
  }

  private void assertError(String path, int code, String parameter, String says) throws Exception {
    HttpResponse<String> response = get(path);
    assertEquals(code, response.statusCode(), path + ": " + response.body());
    JsonNode error = JSON.readTree(response.body());
    assertEquals(parameter, error.get("parameter").asText(), response.body());
    assertTrue(error.get("error").asText().contains(says), response.body());
  }

  @Test
  void theApplicationExecutorsAndInputsAreServedAsTheStatusReportsThem() throws Exception {
    JsonNode app = json("/api/v1/application");
    assertEquals("queue", app.get("app").asText());
    assertEquals(4, app.get("attempt").asInt());
    assertEquals(1, app.get("run").asInt());
    assertEquals(INTERVAL_MS, app.get("batchIntervalMs").asLong());
    assertEquals(1000, app.get("retainedBatches").asInt());
    assertEquals(completed, app.get("batchesCompleted").asLong());
    assertTrue(json("/api/v1/executors").isArray());
    JsonNode inputs = json("/api/v1/inputs");
    assertEquals(2, inputs.size(), inputs.toString());
    assertEquals("queueStream#0", inputs.get(0).get("name").asText());
    assertEquals(0, inputs.get(0).get("lag").size(), "a queue cannot tell its lag");
    List<String> lag = new ArrayList<>();
    inputs
        .get(1)
        .get("lag")
        .fields()
        .forEachRemaining(e -> lag.add(e.getKey() + "=" + e.getValue()));
    assertEquals(
        List.of("orders-1=200", "orders-0=100"), lag, "a source's lag by partition, in its order");
    JsonNode checkpoints = json("/api/v1/checkpoints");
    assertTrue(checkpoints.get("directory").isNull(), "this context does not checkpoint");
    assertEquals(0, checkpoints.get("generations").size());
    assertEquals(0, json("/api/v1/state").size(), "a UI without a graph lists no state");
  }

  @Test
  void theConfigurationListsEveryOptionWithItsValueAndHidesSecrets() throws Exception {
    JsonNode settings = json("/api/v1/configuration");
    Map<String, JsonNode> options = new java.util.HashMap<>();
    settings.get("options").forEach(o -> options.put(o.get("key").asText(), o));
    assertEquals(
        dev.millrace.runtime.config.StreamingOptions.all().size()
            + dev.millrace.runtime.transport.TransportOptions.limits().size(),
        options.size());
    JsonNode retain = options.get("millrace.checkpoint.retain");
    assertEquals("3", retain.get("value").asText());
    assertEquals("10", retain.get("defaultValue").asText());
    assertTrue(retain.get("configured").asBoolean());
    JsonNode retained = options.get("millrace.ui.retained-batches");
    assertEquals("1000", retained.get("value").asText());
    assertTrue(!retained.get("configured").asBoolean());
    List<String> others = new ArrayList<>();
    settings
        .get("others")
        .forEach(o -> others.add(o.get("key").asText() + "=" + o.get("value").asText()));
    assertEquals(
        List.of(
            "millrace.hadoop.fs.s3a.endpoint=http://minio:9000",
            "millrace.hadoop.fs.s3a.secret.key=(hidden)"),
        others);
    assertTrue(!get("/api/v1/configuration").body().contains("s3cr3t"));
  }

  @Test
  void everyPageHasTheSameHeaderLinkingEveryPageAndMarksItselfInIt() throws Exception {
    Pattern nav = Pattern.compile("<nav>(.*)</nav>");
    List<String> pages = List.of("streaming", "executors", "checkpoints", "state", "configuration");
    for (String path : PAGES) {
      String body = get(path).body();
      Matcher m = nav.matcher(body);
      assertTrue(m.find(), path + " has no navigation: " + body);
      String links = m.group(1).replace(" aria-current=\"page\"", "");
      assertEquals(
          "<a href=\"./\">Streaming</a> <a href=\"executors\">Executors</a> <a"
              + " href=\"checkpoints\">Checkpoints</a> <a href=\"state\">State</a> <a"
              + " href=\"configuration\">Configuration</a> <a href=\"api/v1/status\">Status"
              + " (JSON)</a> <a href=\"metrics\">Metrics</a>",
          links,
          path);
      String page = path.equals("/") ? "streaming" : path.substring(1);
      assertTrue(body.contains("<body data-page=\"" + page + "\">"), path);
      assertEquals(pages.contains(page) ? 1 : 0, m.group(1).split("aria-current").length - 1, path);
      assertEquals(1, body.split("<main>").length - 1, path + " has one main element");
    }
  }

  @Test
  void thePagesAndTheirFilesAreServedWithRelativeLinksOnly() throws Exception {
    Pattern link = Pattern.compile("(?:href|src)=\"([^\"]*)\"");
    for (String path : PAGES) {
      HttpResponse<String> page = get(path);
      assertEquals(200, page.statusCode(), path);
      assertEquals(
          "text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
      Matcher m = link.matcher(page.body());
      int links = 0;
      while (m.find()) {
        links++;
        String target = m.group(1);
        assertTrue(
            !target.startsWith("/") && !target.contains("://"),
            path + " links " + target + ", which breaks behind a path prefix");
        if (!target.contains("?")) {
          assertEquals(200, get("/" + target.replaceFirst("^\\./", "")).statusCode(), target);
        }
      }
      assertTrue(links >= 2, page.body());
    }
    String script = get("/static/ui.js").body();
    assertTrue(script.contains("\"api/v1/batches"), "the script asks the API relatively");
    assertTrue(!script.contains("\"/api"), "no absolute API path in the script");
  }
}

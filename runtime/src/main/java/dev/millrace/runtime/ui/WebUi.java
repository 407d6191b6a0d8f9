package dev.millrace.runtime.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.launch.ExecutorReport;
import dev.millrace.runtime.history.BatchHistory;
import dev.millrace.runtime.history.BatchPage;
import dev.millrace.runtime.history.BatchStatus;
import dev.millrace.runtime.history.BatchSummary;
import dev.millrace.runtime.history.OutputSummary;
import dev.millrace.runtime.history.PartsSummary;
import dev.millrace.runtime.history.StageSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The driver's web UI and REST API, answered from what the driver already knows: the {@link
 * BatchHistory} and the status report. Pure request to response, so that the HTTP server that
 * delegates to it decides threads and sockets.
 *
 * <p>Pages: {@code /} (also {@code /streaming}), the streaming page; {@code /batch?time=<ms>}, one
 * batch; {@code /executors}; {@code /checkpoints}; {@code /state}; {@code /configuration}; each is
 * its own {@code <main>} in the frame {@link PageFrame} shares. Their scripts and styles are under
 * {@code /static/}. Every link is relative, so the UI works behind a path prefix. The API, under
 * {@code /api/v1/}: {@code application}, {@code batches} (paged), {@code batches/<time>}, {@code
 * inputs}, {@code executors}, {@code checkpoints}, {@code configuration}; see {@code
 * docs/rest-api.md}. Bad requests are answered 400, unknown batches and paths 404, with a JSON
 * error naming the parameter.
 */
public final class WebUi {
  /** Batches a page of {@code /api/v1/batches} holds unless {@code limit} says otherwise. */
  public static final int DEFAULT_LIMIT = 100;

  /** The most batches one answer of {@code /api/v1/batches} holds. */
  public static final int MAX_LIMIT = 1000;

  /** The page at the UI's root. */
  static final String HOME = "streaming";

  /** The pages, in the navigation's order; each is {@code /<name>}, the first also {@code /}. */
  private static final List<PageFrame.Page> PAGES =
      List.of(
          new PageFrame.Page(HOME, "Streaming", true),
          new PageFrame.Page("batch", "Batch", false),
          new PageFrame.Page("executors", "Executors", true),
          new PageFrame.Page("checkpoints", "Checkpoints", true),
          new PageFrame.Page("state", "State", true),
          new PageFrame.Page("configuration", "Configuration", true));

  private static final String API = "/api/v1/";
  private static final String BATCHES = API + "batches";
  private static final ObjectMapper JSON = new ObjectMapper();
  // What only the one-batch answer holds.
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8");

  private final BatchHistory history;
  private final CheckpointsView checkpoints;
  private final Supplier<List<StateOperator>> state;
  private final Supplier<DriverStatusReport> status;
  private final long batchIntervalMs;
  private final String settings;
  private final Map<String, WebResponse> files = new LinkedHashMap<>();

  /**
   * The UI of a driver that cuts batches every {@code batchIntervalMs}, showing {@code history} and
   * the reports {@code status} makes when asked.
   */
  public WebUi(BatchHistory history, Supplier<DriverStatusReport> status, long batchIntervalMs) {
    this(history, status, batchIntervalMs, EffectiveSettings.of(Map.of()));
  }

  /** As above, showing {@code settings} as the driver's configuration. */
  public WebUi(
      BatchHistory history,
      Supplier<DriverStatusReport> status,
      long batchIntervalMs,
      EffectiveSettings settings) {
    this(
        history,
        status,
        batchIntervalMs,
        settings,
        new CheckpointsView(null, 1, System::currentTimeMillis),
        List::of);
  }

  /**
   * As above, showing the checkpoints {@code checkpoints} has heard of and the stateful operators
   * {@code state} lists when asked.
   */
  public WebUi(
      BatchHistory history,
      Supplier<DriverStatusReport> status,
      long batchIntervalMs,
      EffectiveSettings settings,
      CheckpointsView checkpoints,
      Supplier<List<StateOperator>> state) {
    this.history = history;
    this.checkpoints = checkpoints;
    this.state = state;
    this.status = status;
    this.batchIntervalMs = batchIntervalMs;
    this.settings = write(settings);
    PageFrame frame = new PageFrame(text("frame.html"), PAGES);
    for (PageFrame.Page page : PAGES) {
      WebResponse html =
          new WebResponse(
              200,
              TYPES.get("html"),
              frame.assemble(page, text(page.name() + ".html")).getBytes(StandardCharsets.UTF_8));
      files.put("/" + page.name(), html);
      if (page.name().equals(HOME)) {
        files.put("/", html);
      }
    }
    files.put("/static/ui.js", resource("ui.js"));
    files.put("/static/ui.css", resource("ui.css"));
  }

  private static WebResponse resource(String name) {
    String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
    return new WebResponse(200, type, bytes(name));
  }

  private static String text(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String name) {
    try (InputStream in = WebUi.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the UI's " + name + " is missing from the runtime's jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the UI's " + name + " from the jar", e);
    }
  }

  /**
   * The answer to {@code GET path?rawQuery} ({@code rawQuery} still URL-encoded, or null), or empty
   * when the path is none of the UI's.
   */
  public Optional<WebResponse> answer(String path, String rawQuery) {
    WebResponse file = files.get(path);
    if (file != null) {
      return Optional.of(file);
    }
    if (!path.startsWith(API)) {
      return Optional.empty();
    }
    try {
      Map<String, String> query = query(rawQuery);
      return Optional.of(WebResponse.json(200, api(path, query)));
    } catch (BadRequestException e) {
      ObjectNode error = JSON.createObjectNode();
      error.put("error", e.getMessage());
      if (e.parameter() != null) {
        error.put("parameter", e.parameter());
      }
      return Optional.of(WebResponse.json(e.code(), error.toString()));
    }
  }

  private String api(String path, Map<String, String> query) {
    if (path.equals(API + "application")) {
      allow(query);
      return application();
    } else if (path.equals(BATCHES)) {
      allow(query, "offset", "limit", "status");
      return batches(query);
    } else if (path.startsWith(BATCHES + "/")) {
      allow(query);
      return batch(path.substring(BATCHES.length() + 1));
    } else if (path.equals(API + "inputs")) {
      allow(query);
      return write(status.get().inputs());
    } else if (path.equals(API + "executors")) {
      allow(query);
      return write(status.get().executors());
    } else if (path.equals(API + "checkpoints")) {
      allow(query);
      return write(checkpoints.report());
    } else if (path.equals(API + "state")) {
      allow(query);
      return write(state.get());
    } else if (path.equals(API + "configuration")) {
      allow(query);
      return settings;
    } else if (path.equals(API + "scrape-targets")) {
      allow(query);
      return scrapeTargets();
    }
    throw new BadRequestException(
        404,
        null,
        "no such resource: "
            + path
            + "; the API serves application, batches, batches/<time>, inputs, executors,"
            + " checkpoints, state, configuration, scrape-targets and status under /api/v1/ (see"
            + " docs/rest-api.md)");
  }

  /**
   * The executors' metrics endpoints in the form of Prometheus's HTTP service discovery ({@code
   * http_sd_configs}): a target group per executor that serves metrics, its id in the meta label
   * {@code __meta_millrace_executor} for relabelling. The metrics carry their own labels.
   */
  private String scrapeTargets() {
    ArrayNode groups = JSON.createArrayNode();
    for (ExecutorReport executor : status.get().executors()) {
      if (executor.metricsAddress() != null) {
        ObjectNode group = groups.addObject();
        group.putArray("targets").add(executor.metricsAddress());
        group.putObject("labels").put("__meta_millrace_executor", executor.id());
      }
    }
    return groups.toString();
  }

  private String application() {
    DriverStatusReport report = status.get();
    ObjectNode app = JSON.createObjectNode();
    app.put("app", report.app());
    app.put("attempt", report.attempt());
    app.put("run", history.run());
    app.put("state", report.state());
    app.put("startTimeMs", report.startTimeMs());
    app.put("batchIntervalMs", batchIntervalMs);
    app.put("batchesCompleted", report.batchesCompleted());
    app.put("retainedBatches", history.retained());
    return app.toString();
  }

  private String batches(Map<String, String> query) {
    int offset = number(query, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = number(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    BatchStatus filter = null;
    String wanted = query.get("status");
    if (wanted != null) {
      try {
        filter = BatchStatus.valueOf(wanted.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new BadRequestException(
            400,
            "status",
            "status="
                + wanted
                + " is no batch status; give one of "
                + Arrays.stream(BatchStatus.values())
                    .map(s -> s.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", ")));
      }
    }
    BatchPage page = history.page(filter, offset, limit);
    ObjectNode answer = JSON.createObjectNode();
    answer.put("total", page.total());
    answer.put("offset", page.offset());
    answer.put("limit", page.limit());
    ArrayNode batches = answer.putArray("batches");
    page.batches().forEach(b -> batches.add(listedBatchNode(b)));
    return answer.toString();
  }

  private String batch(String time) {
    long batchTime;
    try {
      batchTime = Long.parseLong(time);
    } catch (NumberFormatException e) {
      throw new BadRequestException(
          400, "time", "batch time " + time + " is no number; give it in epoch milliseconds");
    }
    return history
        .batch(batchTime)
        .map(b -> detailedBatchNode(b).toString())
        .orElseThrow(
            () ->
                new BadRequestException(
                    404,
                    "time",
                    "no batch of time "
                        + batchTime
                        + " in the history, which keeps the newest "
                        + history.retained()
                        + " batches (millrace.ui.retained-batches); list them at"
                        + " /api/v1/batches"));
  }

  private static ObjectNode batchNode(BatchSummary batch) {
    ObjectNode node = JSON.valueToTree(batch);
    node.put("status", batch.status().name().toLowerCase(Locale.ROOT));
    node.put("schedulingDelayMs", batch.schedulingDelay());
    node.put("processingTimeMs", batch.processingTime());
    node.put("totalDelayMs", batch.totalDelay());
    return node;
  }

  /**
   * A batch in a list: its figures without the details, so that a page of 1000 stays small; written
   * field by field, as the streaming page asks for 1000 every few seconds.
   */
  private static ObjectNode listedBatchNode(BatchSummary batch) {
    ObjectNode node = JSON.createObjectNode();
    node.put("run", batch.run());
    node.put("attempt", batch.attempt());
    node.put("batchTime", batch.batchTime());
    node.put("submissionTime", batch.submissionTime());
    node.put("processingStartTime", batch.processingStartTime());
    node.put("processingEndTime", batch.processingEndTime());
    node.put("records", batch.records());
    ObjectNode inputs = node.putObject("inputRecords");
    batch.inputRecords().forEach(inputs::put);
    node.put("status", batch.status().name().toLowerCase(Locale.ROOT));
    if (batch.error() != null) {
      node.put("error", batch.error());
    }
    node.put("schedulingDelayMs", batch.schedulingDelay());
    node.put("processingTimeMs", batch.processingTime());
    node.put("totalDelayMs", batch.totalDelay());
    return node;
  }

  /**
   * One batch with its details: each output with its duration and status, each stage with its
   * duration in milliseconds, the shuffle bytes of all its stages, and each input's parts with how
   * many more there are than it describes.
   */
  private static ObjectNode detailedBatchNode(BatchSummary batch) {
    ObjectNode node = batchNode(batch);
    ArrayNode outputs = node.putArray("outputs");
    for (OutputSummary output : batch.outputs()) {
      ObjectNode o = JSON.valueToTree(output);
      o.put("durationMs", output.duration());
      o.put("status", output.status());
      outputs.add(o);
    }
    ArrayNode stages = node.putArray("stages");
    for (StageSummary stage : batch.stages()) {
      ObjectNode s = JSON.valueToTree(stage);
      s.put("durationMs", stage.durationMicros() / 1000.0);
      stages.add(s);
    }
    node.put("shuffleBytes", batch.shuffleBytes());
    ArrayNode inputs = node.putArray("inputParts");
    for (PartsSummary input : batch.inputParts()) {
      ObjectNode i = JSON.valueToTree(input);
      i.put("more", input.total() - input.parts().size());
      inputs.add(i);
    }
    return node;
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a report of strings and numbers failed to encode", e);
    }
  }

  private static int number(Map<String, String> query, String name, int absent, int min, int max) {
    String value = query.get(name);
    if (value == null) {
      return absent;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Answered below, as a number out of range is.
    }
    throw new BadRequestException(
        400, name, name + "=" + value + " is not a whole number from " + min + " to " + max);
  }

  private static void allow(Map<String, String> query, String... names) {
    Set<String> allowed = Set.of(names);
    for (String name : query.keySet()) {
      if (!allowed.contains(name)) {
        throw new BadRequestException(
            400,
            name,
            "unknown query parameter "
                + name
                + (allowed.isEmpty()
                    ? "; this resource takes none"
                    : "; this resource takes " + String.join(", ", names)));
      }
    }
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name;
      String value;
      try {
        name = decode(eq < 0 ? pair : pair.substring(0, eq));
        value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      } catch (IllegalArgumentException e) {
        throw new BadRequestException(
            400,
            null,
            "the query " + rawQuery + " is not URL-encoded correctly: " + e.getMessage());
      }
      if (query.put(name, value) != null) {
        throw new BadRequestException(400, name, "query parameter " + name + " is given twice");
      }
    }
    return query;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}

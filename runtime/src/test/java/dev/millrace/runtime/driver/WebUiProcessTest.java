package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.runtime.config.StreamingOptions;
import dev.millrace.runtime.history.BatchSummary;
import dev.millrace.runtime.history.HistoryStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch history of a real driver process across a SIGKILL: the next attempt's REST API shows
 * the batches the killed one completed, marked with its attempt and run, with their details.
 */
@Tag("process")
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class WebUiProcessTest {
  private static final long TIMEOUT_MS = 60_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path work;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void afterASigkilledDriverRestartsTheApiShowsTheEarlierAttemptsBatchesMarkedAsSuch()
      throws Exception {
    Path in = Files.createDirectories(work.resolve("in"));
    Path out = Files.createDirectories(work.resolve("out"));
    Path checkpoint = work.resolve("checkpoint");
    Path spec =
        new TestingSpec("lines", checkpoint.toUri().toString())
            .jar(
                TestingJar.ofClass(TestingLinesApplication.class, work.resolve("lines-app.jar"))
                    .toUri()
                    .toString())
            .args(in.toString(), out.toString())
            .writeTo(work.resolve("lines.yaml"));
    HistoryStore store =
        HistoryStore.in(checkpoint.toString(), StreamingOptions.hadoopConfiguration());

    long withRecords;
    try (TestingDriverJvm first = start(spec, 1)) {
      String address = first.awaitAddress(work.resolve("address-1"));
      // A file stream takes files newer than its start only.
      await(first, address, "/api/v1/application", a -> a.get("state").asText().equals("RUNNING"));
      Files.move(
          Files.write(work.resolve(".a.tmp"), List.of("a-1", "a-2", "a-3")),
          in.resolve("a.txt"),
          StandardCopyOption.ATOMIC_MOVE);
      JsonNode batch =
          await(
              first,
              address,
              "/api/v1/batches?status=completed&limit=1000",
              page -> batches(page).stream().anyMatch(b -> b.get("records").asLong() == 3));
      withRecords =
          batches(batch).stream()
              .filter(b -> b.get("records").asLong() == 3)
              .findFirst()
              .orElseThrow()
              .get("batchTime")
              .asLong();
      awaitSaved(first, store, withRecords);
      first.kill();
    }

    try (TestingDriverJvm second = start(spec, 2)) {
      String address = second.awaitAddress(work.resolve("address-2"));
      JsonNode app = await(second, address, "/api/v1/application", a -> true);
      assertEquals(2, app.get("attempt").asInt());
      assertEquals(2, app.get("run").asInt());
      JsonNode page =
          await(
              second,
              address,
              "/api/v1/batches?status=completed&limit=1000",
              p -> batches(p).stream().anyMatch(b -> b.get("run").asInt() == 2));
      List<JsonNode> batches = batches(page);
      JsonNode earlier = json(address, "/api/v1/batches/" + withRecords);
      assertEquals(1, earlier.get("attempt").asInt(), earlier.toString());
      assertEquals(1, earlier.get("run").asInt());
      assertEquals(3, earlier.get("records").asLong());
      assertEquals(
          3, earlier.get("inputRecords").elements().next().asLong(), "by input: " + earlier);
      // The earlier attempt's details came back with it: its outputs, stages and the file it read.
      assertEquals(2, earlier.get("outputs").size(), earlier.toString());
      assertEquals("saveAsTextFiles", earlier.get("outputs").get(0).get("name").asText());
      assertEquals("succeeded", earlier.get("outputs").get(1).get("status").asText());
      assertTrue(earlier.get("stages").size() >= 2, earlier.toString());
      JsonNode read = earlier.get("inputParts").get(0);
      assertEquals(1, read.get("total").asInt(), earlier.toString());
      assertTrue(read.get("parts").get(0).asText().contains("a.txt [0, 12)"), read.toString());
      // Newest first: every batch of run 2 before every batch of run 1.
      int firstOfRun1 = indexOfRun(batches, 1);
      assertTrue(firstOfRun1 > 0, page.toString());
      assertTrue(
          batches.subList(firstOfRun1, batches.size()).stream()
              .allMatch(b -> b.get("run").asInt() == 1 && b.get("attempt").asInt() == 1),
          page.toString());
      JsonNode inputs = json(address, "/api/v1/inputs");
      assertEquals(1, inputs.size(), inputs.toString());
      assertTrue(
          inputs.get(0).get("name").asText().startsWith("textFileStream#"), inputs.toString());
      assertEquals(0, json(address, "/api/v1/executors").size());
      assertEquals(0, second.terminate(TIMEOUT_MS), second.log());
    }
  }

  private static int indexOfRun(List<JsonNode> batches, int run) {
    for (int i = 0; i < batches.size(); i++) {
      if (batches.get(i).get("run").asInt() == run) {
        return i;
      }
    }
    return -1;
  }

  private void awaitSaved(TestingDriverJvm driver, HistoryStore store, long batchTime)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    while (store.load().stream().map(BatchSummary::batchTime).noneMatch(t -> t == batchTime)) {
      if (!driver.isAlive() || System.nanoTime() > deadline) {
        fail(
            "batch " + batchTime + " was never saved to " + store.location() + "\n" + driver.log());
      }
      Thread.sleep(50);
    }
  }

  private static List<JsonNode> batches(JsonNode page) {
    List<JsonNode> batches = new ArrayList<>();
    page.get("batches").forEach(batches::add);
    return batches;
  }

  private JsonNode json(String address, String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + address + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return JSON.readTree(response.body());
  }

  private JsonNode await(
      TestingDriverJvm driver, String address, String path, Predicate<JsonNode> condition)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    JsonNode last = null;
    while (System.nanoTime() < deadline && driver.isAlive()) {
      last = json(address, path);
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    String shown = last == null ? "none" : last.toString();
    return fail(
        path
            + " never met the condition; last: "
            + shown.substring(0, Math.min(shown.length(), 2000))
            + "\n"
            + driver.log());
  }

  private TestingDriverJvm start(Path spec, int attempt) {
    return TestingDriverJvm.start(
        DriverProcessTest.applicationFreeClassPath(),
        work.resolve("driver-" + attempt + ".log"),
        List.of(
            "--spec",
            spec.toString(),
            "--attempt",
            String.valueOf(attempt),
            "--address-file",
            work.resolve("address-" + attempt).toString()));
  }
}

package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.config.StreamingOptions;
import dev.millrace.runtime.history.HistoryStore;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real browser (Debian's headless Chromium, driven by Selenium through its
 * chromedriver) showing real driver processes: the Streaming page draws its timelines from real
 * batches and fills the completed-batch table, a batch page opens from it, it works behind a path
 * prefix, and after a SIGKILL the next attempt's page shows the earlier attempt's batches. The
 * batch page shows what the batch read, its output operations and its stages; the Checkpoints and
 * State pages open from the navigation and show a stateful driver's generations and state. One
 * browser for the class. The screenshots go to {@code -Dmillrace.ui.screenshots} ({@code
 * target/ui-screenshots} by default; {@code docs/} keeps the README's copies).
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StreamingPageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final long TIMEOUT_MS = 60_000;
  private static final String FILE_STREAM = "textFileStream#0";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path work;

  private ChromeDriver browser;
  private WebDriverWait wait;
  private Path screenshots;

  @BeforeAll
  void startBrowser() throws IOException {
    assertTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the browser tests need Debian's chromium and chromium-driver: apt-get install -y"
            + " chromium chromium-driver (.ci/run installs them when missing)");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + Files.createTempDirectory("millrace-chromium"),
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1700");
    browser =
        new ChromeDriver(
            new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build(),
            options);
    wait = new WebDriverWait(browser, Duration.ofMillis(TIMEOUT_MS));
    screenshots =
        Files.createDirectories(
            Path.of(System.getProperty("millrace.ui.screenshots", "target/ui-screenshots")));
  }

  @AfterAll
  void quitBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void theStreamingPageDrawsRealBatchesAndABatchPageOpensFromItsTableAlsoBehindAPathPrefix()
      throws Exception {
    Path dir = Files.createDirectories(work.resolve("drawn"));
    Path in = Files.createDirectories(dir.resolve("in"));
    Path spec = spec(dir, in);
    try (TestingDriverJvm driver = start(dir, spec, 1)) {
      String address = driver.awaitAddress(dir.resolve("address-1"));
      driver.awaitStatus(address, r -> r.state().equals("RUNNING"));
      writeFile(dir, in, "a", 5);

      browser.get("http://" + address + "/");
      awaitNumber("document.querySelectorAll('#completed tr.batch').length", 8);
      awaitNumber(
          "return [...document.querySelectorAll('#completed tr.batch td:nth-child(3)')]"
              + ".filter(td => td.textContent === '5').length",
          1);
      // Every timeline draws a line through the batches, the processing time's with the interval.
      for (String timeline :
          List.of("input-rate", "scheduling-delay", "processing-time", "total-delay")) {
        long points =
            number(
                "return (document.querySelector('#"
                    + timeline
                    + " path.series').getAttribute('d').match(/L/g) || []).length + 1");
        assertTrue(points >= 8, timeline + " draws " + points + " batches");
        assertEquals(
            10,
            number("return document.querySelectorAll('#" + timeline + "-histogram rect').length"));
      }
      assertEquals(
          1, number("return document.querySelectorAll('#processing-time line.interval').length"));
      assertEquals("lines", browser.findElement(By.id("app-name")).getText());
      assertEquals("200 ms", browser.findElement(By.id("batch-interval")).getText());
      screenshot("ui-streaming.png");

      clickBatchWithRecords(5);
      awaitText("batch-status", "completed");
      assertTrue(browser.getCurrentUrl().startsWith("http://" + address + "/batch?time="));
      assertEquals("5", browser.findElement(By.id("batch-records")).getText());
      assertEquals(
          FILE_STREAM + " 5",
          browser.findElement(By.cssSelector("#batch-inputs tbody tr")).getText());
      // The file the batch read, its outputs and its stages, from the real driver.
      String part =
          browser.findElement(By.cssSelector("#batch-input-parts tbody tr.part")).getText();
      assertTrue(
          part.startsWith(FILE_STREAM + " ") && part.endsWith("a.txt [0, " + bytes(5) + ")"), part);
      List<String> outputs =
          browser.findElements(By.cssSelector("#batch-outputs tbody tr.output")).stream()
              .map(tr -> cell(tr, 2) + " " + cell(tr, 5))
              .toList();
      assertEquals(List.of("saveAsTextFiles succeeded", "saveAsTextFiles succeeded"), outputs);
      List<String> stages =
          browser.findElements(By.cssSelector("#batch-stages tbody tr.stage")).stream()
              .map(tr -> cell(tr, 2) + " " + cell(tr, 1).replaceAll("#\\d+", ""))
              .toList();
      assertTrue(
          stages.containsAll(
              List.of(
                  "shuffle updateStateByKey",
                  "state updateStateByKey",
                  "output saveAsTextFiles of textFileStream")),
          stages.toString());
      for (var tr : browser.findElements(By.cssSelector("#batch-stages tbody tr.stage"))) {
        assertEquals("driver: " + cell(tr, 3), cell(tr, 6), "no executor: the driver ran all");
      }
      screenshot("ui-batch.png");

      try (TestingPrefixProxy proxy = TestingPrefixProxy.start("/proxy/application_1/", address)) {
        browser.get(proxy.url());
        awaitNumber("document.querySelectorAll('#completed tr.batch').length", 8);
        assertTrue(
            number("return document.querySelectorAll('#input-rate path.series').length") == 1,
            "the timelines draw behind the prefix");
        clickBatchWithRecords(5);
        awaitText("batch-status", "completed");
        assertTrue(
            browser.getCurrentUrl().startsWith(proxy.url() + "batch?time="),
            browser.getCurrentUrl());
        assertEquals("5", browser.findElement(By.id("batch-records")).getText());
        // The other pages, through the navigation, behind the prefix too.
        browser.findElement(By.linkText("Configuration")).click();
        awaitNumber("document.querySelectorAll('#options tbody tr').length", 10);
        assertTrue(
            browser
                .findElement(By.id("options"))
                .getText()
                .contains("millrace.ui.retained-batches"));
        browser.findElement(By.linkText("Executors")).click();
        awaitText("executor-count", "0");
        assertEquals(proxy.url() + "executors", browser.getCurrentUrl());
      }
      assertEquals(0, driver.terminate(TIMEOUT_MS), driver.log());
    }
  }

  @Test
  void afterASigkilledDriverRestartsThePageShowsTheEarlierAttemptsBatchesAndMarksTheRestart()
      throws Exception {
    Path dir = Files.createDirectories(work.resolve("restarted"));
    Path in = Files.createDirectories(dir.resolve("in"));
    Path spec = spec(dir, in);
    HistoryStore store =
        HistoryStore.in(
            dir.resolve("checkpoint").toString(), StreamingOptions.hadoopConfiguration());
    try (TestingDriverJvm first = start(dir, spec, 1)) {
      String address = first.awaitAddress(dir.resolve("address-1"));
      first.awaitStatus(address, r -> r.state().equals("RUNNING"));
      writeFile(dir, in, "a", 3);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
      while (store.load().stream().noneMatch(b -> b.records() == 3)) {
        assertTrue(first.isAlive() && System.nanoTime() < deadline, first.log());
        Thread.sleep(50);
      }
      first.kill();
    }
    try (TestingDriverJvm second = start(dir, spec, 2)) {
      String address = second.awaitAddress(dir.resolve("address-2"));
      browser.get("http://" + address + "/");
      awaitNumber("document.querySelectorAll('#completed tr.restart').length", 1);
      awaitNumber(
          "return [...document.querySelectorAll('#completed tr.batch td:nth-child(2)')]"
              + ".filter(td => td.textContent === '2').length",
          3);
      assertTrue(
          number(
                  "return [...document.querySelectorAll('#completed tr.batch')]"
                      + ".filter(tr => tr.cells[1].textContent === '1'"
                      + " && tr.cells[2].textContent === '3').length")
              == 1,
          "attempt 1's batch of three records is listed");
      assertEquals(
          1, number("return document.querySelectorAll('#input-rate line.restart').length"));
      assertTrue(browser.findElement(By.id("attempt")).getText().startsWith("2"));
      screenshot("ui-restart.png");
      assertEquals(0, second.terminate(TIMEOUT_MS), second.log());
    }
  }

  @Test
  void theCheckpointsAndStatePagesOpenFromTheNavigationAndShowTheDriversGenerationsAndState()
      throws Exception {
    Path dir = Files.createDirectories(work.resolve("stateful"));
    Path in = Files.createDirectories(dir.resolve("in"));
    Path spec =
        new TestingSpec("distinct", dir.resolve("checkpoint").toUri().toString())
            .jar(
                TestingJar.compiled(
                        dir.resolve("distinct-app.jar"),
                        "dev.millrace.uitest.DistinctLines",
                        DISTINCT_LINES)
                    .toUri()
                    .toString())
            .mainClass("dev.millrace.uitest.DistinctLines")
            .args(in.toString())
            .checkpointInterval("400ms")
            .conf("millrace.default.parallelism", "2")
            .writeTo(dir.resolve("distinct.yaml"));
    try (TestingDriverJvm driver = start(dir, spec, 1)) {
      String address = driver.awaitAddress(dir.resolve("address-1"));
      driver.awaitStatus(address, r -> r.state().equals("RUNNING"));
      writeFile(dir, in, "a", 5);

      browser.get("http://" + address + "/");
      browser.findElement(By.linkText("Checkpoints")).click();
      awaitNumber("document.querySelectorAll('#generations tr.generation').length", 3);
      assertEquals("http://" + address + "/checkpoints", browser.getCurrentUrl());
      awaitText("checkpoint-started", "fresh");
      assertEquals("400 ms", browser.findElement(By.id("checkpoint-interval")).getText());
      assertTrue(
          browser.findElement(By.id("checkpoint-directory")).getText().endsWith("checkpoint"),
          browser.findElement(By.id("checkpoint-directory")).getText());
      assertTrue(
          browser.findElement(By.id("generations")).getText().contains("this driver"),
          "the generations this driver wrote say so");
      assertTrue(
          browser.findElement(By.id("recovery")).getText().startsWith("None: the directory"));

      browser.findElement(By.linkText("State")).click();
      // The running count of distinct lines holds the five lines once a checkpoint measured it.
      awaitNumber(
          "return [...document.querySelectorAll('#state-operators tr.state-operator')]"
              + ".filter(tr => tr.cells[2].textContent === '5').length",
          1);
      awaitText("state-count", "1");
      String row =
          browser.findElement(By.cssSelector("#state-operators tr.state-operator")).getText();
      assertTrue(row.startsWith("updateStateByKey#"), row);
      assertTrue(row.endsWith("2 driver: 0, 1"), "two partitions, both in the driver: " + row);
      screenshot("ui-state.png");
      browser.findElement(By.linkText("Checkpoints")).click();
      awaitNumber("document.querySelectorAll('#generations tr.generation').length", 3);
      screenshot("ui-checkpoints.png");
      assertEquals(0, driver.terminate(TIMEOUT_MS), driver.log());
    }
  }

  /** An application with one state: how often each distinct line was read. */
  private static final String DISTINCT_LINES =
      String.join(
          "\n",
          "package dev.millrace.uitest;",
          "import dev.millrace.streaming.*;",
          "import java.util.List;",
          "import java.util.Optional;",
          "public final class DistinctLines implements StreamingApplication {",
          "  @Override",
          "  public void define(StreamingContext ssc, String[] args) {",
          "    PairDStream.of(ssc.textFileStream(args[0]).mapToPair(line -> Pair.of(line, 1L)))",
          "        .updateStateByKey((List<Long> ones, Optional<Long> seen) ->",
          "            Optional.of(seen.orElse(0L) + ones.size()))",
          "        .foreachBatch(batch -> batch.count());",
          "  }",
          "}");

  private void clickBatchWithRecords(long records) {
    wait.until(
        d -> {
          try {
            d.findElements(By.cssSelector("#completed tr.batch")).stream()
                .filter(
                    tr ->
                        tr.findElement(By.cssSelector("td:nth-child(3)"))
                            .getText()
                            .equals(String.valueOf(records)))
                .findFirst()
                .orElseThrow()
                .findElement(By.cssSelector("a.batch-link"))
                .click();
            return true;
          } catch (StaleElementReferenceException e) {
            // The page redrew its table between finding the row and clicking it.
            return false;
          }
        });
  }

  private static String cell(org.openqa.selenium.WebElement row, int column) {
    return row.findElement(By.cssSelector("td:nth-child(" + column + ")")).getText();
  }

  /** The bytes of the first {@code lines} lines {@link #writeFile} writes to file "a". */
  private static long bytes(int lines) {
    return DriverProcessTest.expectedLines("a").subList(0, lines).stream()
        .mapToLong(l -> l.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1)
        .sum();
  }

  private long number(String script) {
    Object value = ((JavascriptExecutor) browser).executeScript(script);
    return ((Number) value).longValue();
  }

  private void awaitNumber(String expression, long atLeast) {
    String script = expression.startsWith("return ") ? expression : "return " + expression;
    wait.withMessage(() -> script + " never reached " + atLeast + " on " + browser.getCurrentUrl())
        .until(d -> number(script) >= atLeast);
  }

  private void awaitText(String id, String text) {
    wait.withMessage(() -> "#" + id + " never read " + text + " on " + browser.getCurrentUrl())
        .until(d -> d.findElement(By.id(id)).getText().equals(text));
  }

  private void screenshot(String name) throws IOException {
    Files.write(screenshots.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
  }

  private Path spec(Path dir, Path in) throws IOException {
    return new TestingSpec("lines", dir.resolve("checkpoint").toUri().toString())
        .jar(
            TestingJar.ofClass(TestingLinesApplication.class, dir.resolve("lines-app.jar"))
                .toUri()
                .toString())
        .args(in.toString(), Files.createDirectories(dir.resolve("out")).toString())
        .writeTo(dir.resolve("lines.yaml"));
  }

  /** Writes {@code lines} lines to file {@code name} in {@code in}, moving it in whole. */
  private static void writeFile(Path dir, Path in, String name, int lines) throws IOException {
    Path hidden = dir.resolve("." + name + ".tmp");
    Files.write(hidden, DriverProcessTest.expectedLines(name).subList(0, lines));
    Files.move(hidden, in.resolve(name + ".txt"), StandardCopyOption.ATOMIC_MOVE);
  }

  private TestingDriverJvm start(Path dir, Path spec, int attempt) {
    return TestingDriverJvm.start(
        DriverProcessTest.applicationFreeClassPath(),
        dir.resolve("driver-" + attempt + ".log"),
        List.of(
            "--spec",
            spec.toString(),
            "--attempt",
            String.valueOf(attempt),
            "--address-file",
            dir.resolve("address-" + attempt).toString()));
  }
}

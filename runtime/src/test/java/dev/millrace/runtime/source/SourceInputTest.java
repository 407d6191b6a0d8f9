package dev.millrace.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.streaming.SourceHealth;
import dev.millrace.streaming.TestingNumbers;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the status endpoint shows of an application's own {@code Source}. */
class SourceInputTest {

  @Test
  void aSourceThatSaysNothingAboutItselfIsShownByItsName() {
    SourceInput<Long, long[]> input = new SourceInput<>(new TestingNumbers(new AtomicLong(), 10));

    assertEquals(SourceStatus.described("numbers"), input.status());
  }

  @Test
  void aSourceThatDoesNotDescribeItsPartsHasThemNumbered() {
    SourceInput<Long, long[]> input = new SourceInput<>(new TestingNumbers(new AtomicLong(25), 10));
    input.start(0);

    InputParts parts = input.parts("numbers#0", input.take(1_000, false), 2).orElseThrow();

    assertEquals(new InputParts("numbers#0", 3, List.of("part 0", "part 1")), parts);
    assertEquals(1, parts.more());
  }

  @Test
  void aPartWhoseDescriptionFailsIsNumberedWithTheFailureAndTheBatchGoesOn() {
    SourceInput<String, String> input = new SourceInput<>(new TestingDescribedSource());
    input.start(0);

    InputParts parts = input.parts("letters#0", input.take(1_000, false), 20).orElseThrow();

    assertEquals(
        List.of(
            "the letter a",
            "part 1 (describe failed: java.lang.IllegalStateException: no words for b)"),
        parts.shown());
  }

  /** Plans the parts "a" and "b" and describes only "a". */
  private static final class TestingDescribedSource
      implements dev.millrace.streaming.Source<String, String> {
    @Override
    public String name() {
      return "letters";
    }

    @Override
    public void start() {}

    @Override
    public void recover(byte[] position, List<List<String>> plansSince) {}

    @Override
    public List<String> plan(long batchTime, long maxRecords) {
      return List.of("a", "b");
    }

    @Override
    public java.util.Iterator<String> read(String part) {
      return List.of(part).iterator();
    }

    @Override
    public byte[] position() {
      return new byte[0];
    }

    @Override
    public byte[] encode(String part) {
      return part.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] part) {
      return new String(part, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String describe(String part) {
      if (part.equals("b")) {
        throw new IllegalStateException("no words for b");
      }
      return "the letter " + part;
    }
  }

  @Test
  void aSourcesHealthIsItsStatusWithTimesInEpochMillisAndFiguresInTheirOrder() {
    Map<String, String> figures = new LinkedHashMap<>();
    figures.put("lag", "1,200");
    figures.put("largestLags", "orders-3 800, orders-1 400");
    figures.put("skippedOffsets", "7");
    SourceHealth health =
        new SourceHealth(
            "broker1:9092 [orders]",
            Instant.ofEpochMilli(1_000),
            "broker1:9092 does not answer",
            Instant.ofEpochMilli(2_000),
            12_345L,
            figures);

    SourceStatus status = new SourceInput<>(new TestingReportingSource(() -> health)).status();

    assertEquals("broker1:9092 [orders]", status.description());
    assertEquals(1_000L, status.outageSinceMs());
    assertEquals("broker1:9092 does not answer", status.lastError());
    assertEquals(2_000L, status.lastErrorTimeMs());
    assertEquals(12_345L, status.recordsPlanned());
    assertEquals(
        List.of("lag", "largestLags", "skippedOffsets"), List.copyOf(status.figures().keySet()));
    assertEquals("orders-3 800, orders-1 400", status.figures().get("largestLags"));
    assertNull(status.connected(), "a planned source has no connection of its own to report");
    assertNull(status.recordsReceived(), "planned records are not received ones");
  }

  @Test
  void aSourceThatRecoveredKeepsItsLastErrorButNoOutage() {
    SourceHealth recovered =
        new SourceHealth(
            null, null, "broker1:9092 does not answer", Instant.ofEpochMilli(2_000), 10L, null);

    SourceStatus status = new SourceInput<>(new TestingReportingSource(() -> recovered)).status();

    assertEquals("reporting", status.description(), "no description: the source's name");
    assertNull(status.outageSinceMs());
    assertEquals("broker1:9092 does not answer", status.lastError());
    assertEquals(Map.of(), status.figures());
  }

  @Test
  void aSourceWhoseHealthFailsOrIsMissingIsShownByItsNameWithTheFailureAsItsLastError() {
    SourceInput<String, String> failing =
        new SourceInput<>(
            new TestingReportingSource(
                () -> {
                  throw new IllegalStateException("health of a closed client");
                }));
    SourceInput<String, String> silent = new SourceInput<>(new TestingReportingSource(() -> null));

    SourceStatus status = failing.status();

    assertEquals("reporting", status.description());
    assertTrue(
        status.lastError().contains("the health() of source 'reporting' failed")
            && status.lastError().contains("health of a closed client"),
        status.lastError());
    assertNotNull(status.lastErrorTimeMs());
    assertNull(status.outageSinceMs(), "a faulty report is no outage of the input");
    assertEquals(SourceStatus.described("reporting"), silent.status());
  }
}

package dev.millrace.runtime.backend.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.Phase;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.launch.InputReport;
import dev.millrace.crds.supervision.DriverAttemptState;
import dev.millrace.crds.supervision.SupervisorView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {

  @Test
  void anInputsOutageIsToldOnceWhenItStartsAndOnceWhenItEnds() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ProgressPrinter progress =
        new ProgressPrinter(
            new PrintStream(printed, true, StandardCharsets.UTF_8),
            "kafka-word-count",
            Duration.ZERO,
            0);
    long since = Instant.parse("2026-12-07T10:00:00Z").toEpochMilli();
    String down = "KafkaUnavailableException: localhost:9092 did not answer";

    progress.inputHealth(withKafka(since, down));
    progress.inputHealth(withKafka(since, down));
    progress.inputHealth(withKafka(null, down));
    progress.inputHealth(withKafka(null, down));

    String[] lines = printed.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length, printed.toString(StandardCharsets.UTF_8));
    assertTrue(
        lines[0].contains("input localhost:9092 subscribe=lines cannot deliver since ")
            && lines[0].endsWith(": " + down),
        lines[0]);
    assertTrue(lines[1].endsWith("input localhost:9092 subscribe=lines delivers again"), lines[1]);
  }

  private static DriverStatusReport withKafka(Long outageSince, String lastError) {
    InputReport kafka =
        new InputReport(
            "kafka#0",
            "localhost:9092 subscribe=lines",
            null,
            outageSince,
            outageSince == null,
            lastError,
            null,
            null,
            null,
            0,
            0,
            null,
            null,
            Map.of());
    return new DriverStatusReport(
        "kafka-word-count",
        1,
        "RUNNING",
        0,
        null,
        null,
        null,
        null,
        0,
        0,
        0.0,
        null,
        0,
        List.of(),
        List.of(kafka),
        null);
  }

  @Test
  void aBatchLineShowsASourcesPlannedRecordsAndFiguresInTheirOrder() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ProgressPrinter progress =
        new ProgressPrinter(
            new PrintStream(printed, true, StandardCharsets.UTF_8),
            "kafka-word-count",
            Duration.ZERO,
            0);
    Map<String, String> figures = new LinkedHashMap<>();
    figures.put("lag", "300");
    figures.put("largestLags", "lines-1 200, lines-0 100");
    InputReport kafka =
        new InputReport(
            "kafka#0",
            "localhost:9092 subscribe=lines",
            null,
            null,
            true,
            null,
            null,
            null,
            null,
            0,
            0,
            null,
            12_000L,
            figures);
    DriverStatusReport report =
        new DriverStatusReport(
            "kafka-word-count",
            1,
            "RUNNING",
            0,
            1_000L,
            10L,
            0L,
            10L,
            1,
            6,
            6.0,
            null,
            0,
            List.of(),
            List.of(kafka),
            null);
    SupervisorView view =
        new SupervisorView(
            Phase.Running,
            1,
            DriverAttemptState.RUNNING,
            0,
            0,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "",
            false);

    progress.batch(report, view, Instant.ofEpochMilli(2_000));

    String line = printed.toString(StandardCharsets.UTF_8);
    assertTrue(
        line.contains(
            "input localhost:9092 subscribe=lines, 12,000 planned, lag 300,"
                + " largestLags lines-1 200, lines-0 100"),
        line);
  }
}

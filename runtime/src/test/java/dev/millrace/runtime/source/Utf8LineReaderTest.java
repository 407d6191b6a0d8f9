package dev.millrace.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Utf8LineReaderTest {

  @Test
  void splitsOnNewlinesAndDropsCarriageReturnBeforeThem() throws IOException {
    assertEquals(List.of("a", "b", "", "c"), lines("a\r\nb\n\nc\n"));
  }

  @Test
  void keepsCarriageReturnThatDoesNotEndALine() throws IOException {
    assertEquals(List.of("a\rb"), lines("a\rb\n"));
  }

  @Test
  void returnsLastLineWithoutNewline() throws IOException {
    assertEquals(List.of("a", "tail"), lines("a\ntail"));
  }

  @Test
  void readsNoLinesFromEmptyStream() throws IOException {
    assertEquals(List.of(), lines(""));
  }

  @Test
  void decodesMultiByteCharacters() throws IOException {
    assertEquals(List.of("\u00e9\u6f22", "\ud83d\ude42"), lines("\u00e9\u6f22\n\ud83d\ude42\n"));
  }

  @Test
  void readsLinesLongerThanItsBuffer() throws IOException {
    String longLine = "x".repeat(200_000);

    assertEquals(List.of(longLine, "short"), lines(longLine + "\nshort\n"));
  }

  @Test
  void skipsLinesLongerThanTheBoundAndReportsTheirLengths() throws IOException {
    String longLine = "y".repeat(200_000);
    List<Long> skipped = new ArrayList<>();
    Utf8LineReader reader =
        new Utf8LineReader(
            new ByteArrayInputStream(
                ("fits\n" + longLine + "\n12345\n123456\ntail " + longLine)
                    .getBytes(StandardCharsets.UTF_8)),
            0,
            5,
            skipped::add);

    List<String> read = new ArrayList<>();
    String line;
    while ((line = reader.readLine()) != null) {
      read.add(line);
    }

    assertEquals(List.of("fits", "12345"), read);
    assertEquals(List.of(200_000L, 6L, 5L + 200_000L), skipped);
  }

  @Test
  void aBoundedReaderKeepsCountingOffsetsThroughSkippedLines() throws IOException {
    Utf8LineReader reader =
        new Utf8LineReader(
            new ByteArrayInputStream("toolong\nok\n".getBytes(StandardCharsets.UTF_8)),
            10,
            3,
            length -> {});

    assertEquals("ok", reader.readLine());
    assertEquals(10 + 11, reader.position());
    assertNull(reader.readLine());
  }

  @Test
  void tracksByteOffsetOfEachLineStartFromTheGivenStartOffset() throws IOException {
    Utf8LineReader reader = reader("\u00e9\nab\r\n", 10);

    assertEquals(10, reader.position());
    reader.readLine();
    assertEquals(13, reader.position());
    reader.readLine();
    assertEquals(17, reader.position());
    assertNull(reader.readLine());
    assertEquals(17, reader.position());
  }

  @Test
  void skipsThroughNextNewline() throws IOException {
    Utf8LineReader reader = reader("partial\nwhole\n", 0);

    assertTrue(reader.skipLine());
    assertEquals(8, reader.position());
    assertEquals("whole", reader.readLine());
    assertFalse(reader.skipLine());
  }

  private static List<String> lines(String text) throws IOException {
    Utf8LineReader reader = reader(text, 0);
    List<String> out = new ArrayList<>();
    String line;
    while ((line = reader.readLine()) != null) {
      out.add(line);
    }
    return out;
  }

  private static Utf8LineReader reader(String text, long startOffset) {
    return new Utf8LineReader(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), startOffset);
  }
}

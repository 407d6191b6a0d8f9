package dev.millrace.runtime.source;

import dev.millrace.streaming.Source;
import dev.millrace.streaming.SourceHealth;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * A source written through the public API only that plans nothing and reports whatever health its
 * test gives it: a value, nothing, or a failure.
 */
public final class TestingReportingSource implements Source<String, String> {
  private final Supplier<SourceHealth> health;

  public TestingReportingSource(Supplier<SourceHealth> health) {
    this.health = health;
  }

  @Override
  public String name() {
    return "reporting";
  }

  @Override
  public SourceHealth health() {
    return health.get();
  }

  @Override
  public void start() {}

  @Override
  public void recover(byte[] position, List<List<String>> plansSince) {}

  @Override
  public List<String> plan(long batchTime, long maxRecords) {
    return List.of();
  }

  @Override
  public Iterator<String> read(String part) {
    return Collections.emptyIterator();
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
}

package dev.millrace.runtime.driver;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.ListDataset;
import dev.millrace.runtime.source.InputSource;
import dev.millrace.runtime.source.SkippedInput;
import dev.millrace.runtime.source.SourceStatus;
import java.util.List;
import java.util.NavigableMap;

/** An input that delivers nothing and says of itself whatever the test last set. */
final class TestingStatusSource implements InputSource<String> {
  private volatile SourceStatus status;

  TestingStatusSource(SourceStatus status) {
    this.status = status;
  }

  void set(SourceStatus status) {
    this.status = status;
  }

  @Override
  public SourceStatus status() {
    return status;
  }

  @Override
  public void start(long firstBatchTime) {}

  @Override
  public Dataset<String> take(long batchTime, boolean lastBatch) {
    return ListDataset.sliced(List.of(), 1);
  }

  @Override
  public void stop() {}

  @Override
  public byte[] encodePlan(Dataset<String> taken) {
    return new byte[0];
  }

  @Override
  public Dataset<String> replay(long batchTime, byte[] plan) {
    return take(batchTime, false);
  }

  @Override
  public byte[] snapshot() {
    return new byte[0];
  }

  @Override
  public void recover(long nextBatchTime, byte[] snapshot, List<byte[]> plansSince) {}

  @Override
  public SkippedInput unplanned(
      long firstTime, long lastTime, byte[] snapshot, NavigableMap<Long, byte[]> plansSince) {
    return new SkippedInput(new byte[0], "nothing", SkippedInput.Extent.EXACT);
  }
}

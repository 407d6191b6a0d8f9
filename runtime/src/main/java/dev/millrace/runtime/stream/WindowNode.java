package dev.millrace.runtime.stream;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.ListDataset;
import dev.millrace.runtime.dataset.UnionDataset;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every {@code slide}, the union of the parent's batches in the last {@code length}: the window at
 * time t holds the batches at times in (t - length, t]. Early windows hold what exists so far.
 */
public final class WindowNode<T> extends StreamNode<T> implements StatefulNode {
  private final StreamNode<T> parent;
  private final Duration length;
  private final Duration slide;

  /** A window of {@code length} sliding by {@code slide} over {@code parent}. */
  public WindowNode(StreamNode<T> parent, String operation, Duration length, Duration slide) {
    super(Windows.validate(operation, parent, length, slide), operation);
    this.parent = parent;
    this.length = length;
    this.slide = slide;
    // Several windows read each parent batch; compute it once.
    parent.persist();
  }

  @Override
  public Duration slide() {
    return slide;
  }

  @Override
  public List<StreamNode<?>> parents() {
    return List.of(parent);
  }

  @Override
  protected long parentHistoryMillis() {
    return length.milliseconds();
  }

  @Override
  public String shape() {
    return Windows.shape(operation(), length, slide, "");
  }

  /**
   * For each parent batch a later window will still include: its time, its partition count and its
   * records.
   */
  @Override
  public StateSnapshot snapshot(long time, TaskRunner runner) {
    List<Object> records = new ArrayList<>();
    long windowRecords = 0;
    long step = parent.slide().milliseconds();
    for (long t = time - length.milliseconds() + step; t <= time; t += step) {
      Dataset<T> ds = parent.getOrCompute(t);
      if (ds != null) {
        records.add(t);
        records.add(ds.numPartitions());
        List<T> batch = runner.collect(ds);
        records.add(batch);
        windowRecords += batch.size();
      }
    }
    return StateSnapshot.held(records, windowRecords);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void restore(long time, List<Object> records) {
    for (int i = 0; i + 2 < records.size(); i += 3) {
      long t = (Long) records.get(i);
      int partitions = (Integer) records.get(i + 1);
      parent.putIfAbsent(t, ListDataset.sliced((List<T>) records.get(i + 2), partitions));
    }
  }

  @Override
  public boolean restoresParentBatches() {
    return true;
  }

  /** Nothing to keep: a window is the union of its parent's batches, which are retained anyway. */
  @Override
  public void advance(long time, TaskRunner runner) {}

  @Override
  protected Dataset<T> compute(long time) {
    long step = parent.slide().milliseconds();
    List<Dataset<? extends T>> batches = new ArrayList<>();
    for (long t = time - length.milliseconds() + step; t <= time; t += step) {
      Dataset<T> ds = parent.getOrCompute(t);
      if (ds != null) {
        batches.add(ds);
      }
    }
    return new UnionDataset<>(batches);
  }
}

package dev.millrace.runtime.stream;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.UnionDataset;
import dev.millrace.streaming.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every {@code slide}, the union of the parent's batches in the last {@code length}: the window at
 * time t holds the batches at times in (t - length, t]. Early windows hold what exists so far.
 */
public final class WindowNode<T> extends StreamNode<T> {
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

package dev.millrace.runtime.history;

import dev.millrace.runtime.scheduler.BatchTraceListener;
import dev.millrace.runtime.source.InputParts;
import dev.millrace.runtime.task.StageInfo;
import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.OutputOperationInfo;
import dev.millrace.streaming.StreamingListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The last batches of this driver and of the earlier runs of its checkpoint directory, newest last,
 * at most {@code retained} of them: the oldest is dropped when a batch is submitted to a full
 * history, so its memory is bounded whatever the application does.
 *
 * <p>Heard as a {@link StreamingListener} on the batch loop's thread, read by the HTTP server's and
 * the {@link HistoryWriter}'s: every access holds the object's lock and is short (a batch's update
 * looks at the few newest entries only; a read walks at most {@code retained}).
 */
public final class BatchHistory implements StreamingListener, BatchTraceListener {
  private final int retained;
  private final int run;
  private final int attempt;
  private final BatchSummary[] ring; // guarded by this
  private int first; // guarded by this: index of the oldest entry
  private int size; // guarded by this
  private long changes; // guarded by this
  // One String per input name, shared by every batch: an engine names its inputs anew each batch.
  private final Map<String, String> names = new HashMap<>(); // guarded by this
  private static final int MAX_NAMES = 1024;

  /**
   * A history of at most {@code retained} batches for driver attempt {@code attempt}, holding the
   * newest of {@code earlier} (the batches that earlier runs saved, oldest first) before its own.
   *
   * @throws IllegalArgumentException if {@code retained} is not positive
   */
  public BatchHistory(int retained, int attempt, List<BatchSummary> earlier) {
    if (retained < 1) {
      throw new IllegalArgumentException(
          "a batch history must retain at least 1 batch, not " + retained);
    }
    this.retained = retained;
    this.attempt = attempt;
    this.ring = new BatchSummary[retained];
    this.run = 1 + earlier.stream().mapToInt(BatchSummary::run).max().orElse(0);
    for (BatchSummary batch :
        earlier.subList(Math.max(0, earlier.size() - retained), earlier.size())) {
      append(sharedNames(batch));
    }
    // Only this run's own batches are changes to save: a driver that runs none (one the
    // checkpoint's lease refused) must not save its run over the running driver's.
    changes = 0;
  }

  /** How many batches it keeps at most. */
  public int retained() {
    return retained;
  }

  /** This driver's run of its checkpoint directory, counted from 1. */
  public int run() {
    return run;
  }

  @Override
  public synchronized void onBatchSubmitted(BatchInfo batch) {
    append(summary(batch, BatchStatus.PLANNED, null));
  }

  @Override
  public synchronized void onBatchStarted(BatchInfo batch) {
    update(summary(batch, BatchStatus.RUNNING, null));
  }

  @Override
  public synchronized void onBatchCompleted(BatchInfo batch) {
    update(summary(batch, BatchStatus.COMPLETED, null));
  }

  @Override
  public synchronized void onBatchFailed(BatchInfo batch, String error) {
    update(summary(batch, BatchStatus.FAILED, error));
  }

  @Override
  public synchronized void onOutputOperationStarted(OutputOperationInfo output) {
    keepOutput(output);
  }

  @Override
  public synchronized void onOutputOperationCompleted(OutputOperationInfo output) {
    keepOutput(output);
  }

  private void keepOutput(OutputOperationInfo output) {
    int index = indexOf(output.batchTime());
    if (index < 0) {
      return; // dropped from a full history while it ran
    }
    ring[index] =
        ring[index].withOutput(
            new OutputSummary(
                output.index(),
                sharedName(output.name()),
                sharedName(output.description()),
                output.startTime(),
                output.endTime(),
                output.failureReason()));
    changes++;
  }

  @Override
  public synchronized void batchTraced(
      long batchTime, List<InputParts> inputs, List<StageInfo> stages) {
    int index = indexOf(batchTime);
    if (index < 0) {
      return;
    }
    List<StageSummary> kept = new ArrayList<>(stages.size());
    for (StageInfo stage : stages) {
      kept.add(summary(stage));
    }
    List<PartsSummary> parts = new ArrayList<>(inputs.size());
    for (InputParts input : inputs) {
      parts.add(new PartsSummary(sharedName(input.input()), input.total(), input.shown()));
    }
    ring[index] = ring[index].withTrace(kept, parts);
    changes++;
  }

  private StageSummary summary(StageInfo stage) {
    List<StageSummary.Ran> ran = new ArrayList<>(stage.tasksByExecutor().size());
    Integer here = stage.tasksByExecutor().get(StageInfo.DRIVER);
    if (here != null) {
      ran.add(new StageSummary.Ran(StageInfo.DRIVER, null, here));
    }
    stage.tasksByExecutor().entrySet().stream()
        .filter(e -> !e.getKey().equals(StageInfo.DRIVER))
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                ran.add(
                    new StageSummary.Ran(
                        sharedName(e.getKey()),
                        sharedName(stage.hosts().get(e.getKey())),
                        e.getValue())));
    return new StageSummary(
        sharedName(stage.kind().name().toLowerCase(Locale.ROOT)),
        sharedName(stage.name()),
        stage.startTime(),
        stage.durationMicros(),
        stage.tasks(),
        stage.tasksRetried(),
        ran,
        stage.shuffleBytes());
  }

  /** Where this run's entry of batch {@code batchTime} is in the ring, or -1. */
  private int indexOf(long batchTime) {
    for (int i = size - 1; i >= 0; i--) {
      int index = (first + i) % retained;
      BatchSummary entry = ring[index];
      if (entry.run() == run && entry.batchTime() == batchTime) {
        return index;
      }
      if (entry.run() != run || entry.batchTime() < batchTime) {
        return -1;
      }
    }
    return -1;
  }

  /** {@code batch} of an earlier run with its names shared as this run's batches share theirs. */
  private BatchSummary sharedNames(BatchSummary batch) {
    List<OutputSummary> outputs = new ArrayList<>(batch.outputs().size());
    for (OutputSummary o : batch.outputs()) {
      outputs.add(
          new OutputSummary(
              o.index(),
              sharedName(o.name()),
              sharedName(o.stream()),
              o.startTime(),
              o.endTime(),
              o.error()));
    }
    List<StageSummary> stages = new ArrayList<>(batch.stages().size());
    for (StageSummary s : batch.stages()) {
      List<StageSummary.Ran> ran = new ArrayList<>(s.executors().size());
      for (StageSummary.Ran r : s.executors()) {
        ran.add(new StageSummary.Ran(sharedName(r.id()), sharedName(r.host()), r.tasks()));
      }
      stages.add(
          new StageSummary(
              sharedName(s.kind()),
              sharedName(s.name()),
              s.startTime(),
              s.durationMicros(),
              s.tasks(),
              s.tasksRetried(),
              ran,
              s.shuffleBytes()));
    }
    List<PartsSummary> parts = new ArrayList<>(batch.inputParts().size());
    for (PartsSummary p : batch.inputParts()) {
      parts.add(new PartsSummary(sharedName(p.input()), p.total(), p.parts()));
    }
    return batch
        .withInputRecords(shared(batch.inputRecords()))
        .withTrace(stages, parts)
        .withOutputs(outputs);
  }

  private Map<String, Long> shared(Map<String, Long> inputs) {
    if (inputs.isEmpty()) {
      return inputs;
    }
    Map<String, Long> shared = new LinkedHashMap<>(inputs.size() * 2);
    inputs.forEach((name, records) -> shared.put(sharedName(name), records));
    return shared;
  }

  private String sharedName(String name) {
    if (name == null) {
      return null;
    }
    String known = names.get(name);
    if (known != null) {
      return known;
    }
    if (names.size() < MAX_NAMES) {
      names.put(name, name);
    }
    return name;
  }

  private BatchSummary summary(BatchInfo batch, BatchStatus status, String error) {
    Map<String, Long> inputs = shared(batch.inputRecords());
    return new BatchSummary(
        run,
        attempt,
        batch.batchTime(),
        batch.submissionTime(),
        batch.processingStartTime(),
        batch.processingEndTime(),
        batch.numRecords(),
        inputs,
        status,
        error);
  }

  private void append(BatchSummary batch) {
    if (size == retained) {
      ring[first] = batch;
      first = (first + 1) % retained;
    } else {
      ring[(first + size) % retained] = batch;
      size++;
    }
    changes++;
  }

  /**
   * Replaces this run's entry of the batch, looking from the newest: batches end in the order they
   * were submitted, so it is among the few newest. One dropped from a full history comes back. The
   * details its output operations told stay.
   */
  private void update(BatchSummary batch) {
    int index = indexOf(batch.batchTime());
    if (index >= 0) {
      ring[index] = batch.withDetailsOf(ring[index]);
      changes++;
      return;
    }
    append(batch);
  }

  /**
   * A page of the batches, newest first: those with {@code status} (any, if null), from the {@code
   * offset}-th on, at most {@code limit}.
   */
  public synchronized BatchPage page(BatchStatus status, int offset, int limit) {
    List<BatchSummary> batches = new ArrayList<>(Math.min(limit, size));
    int matching = 0;
    for (int i = size - 1; i >= 0; i--) {
      BatchSummary entry = ring[(first + i) % retained];
      if (status == null || entry.status() == status) {
        if (matching >= offset && batches.size() < limit) {
          batches.add(entry);
        }
        matching++;
      }
    }
    return new BatchPage(matching, offset, limit, batches);
  }

  /** The batch of time {@code batchTime}, of the newest run that has it. */
  public synchronized Optional<BatchSummary> batch(long batchTime) {
    for (int i = size - 1; i >= 0; i--) {
      BatchSummary entry = ring[(first + i) % retained];
      if (entry.batchTime() == batchTime) {
        return Optional.of(entry);
      }
    }
    return Optional.empty();
  }

  /** The finished batches, oldest first: what a restart shows again. */
  public synchronized List<BatchSummary> finished() {
    List<BatchSummary> batches = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      BatchSummary entry = ring[(first + i) % retained];
      if (entry.status().isFinished()) {
        batches.add(entry);
      }
    }
    return batches;
  }

  /**
   * A number that grows with every change of this run's batches, 0 until the first: for a writer to
   * tell whether to save (again).
   */
  public synchronized long changes() {
    return changes;
  }
}

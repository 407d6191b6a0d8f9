package dev.millrace.runtime.scheduler;

import dev.millrace.runtime.recovery.CheckpointListener;
import dev.millrace.runtime.recovery.CheckpointOpened;
import dev.millrace.runtime.source.InputParts;
import dev.millrace.runtime.task.StageInfo;
import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.CheckpointInfo;
import dev.millrace.streaming.OutputOperationInfo;
import dev.millrace.streaming.StreamingListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers batch and checkpoint events to every registered listener, isolating the engine from
 * their failures.
 */
public final class ListenerBus implements CheckpointListener {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerBus.class);
  private final List<StreamingListener> listeners = new CopyOnWriteArrayList<>();
  private final List<BatchTraceListener> tracers = new CopyOnWriteArrayList<>();
  private final Consumer<CheckpointOpened> opened;

  /** A bus for the streaming listeners added to it. */
  public ListenerBus() {
    this(opened -> {});
  }

  /**
   * As above, telling {@code opened} how the graph started from its checkpoint: an engine-side
   * event (the driver's Checkpoints page hears it), so no streaming listener does.
   */
  public ListenerBus(Consumer<CheckpointOpened> opened) {
    this.opened = opened;
  }

  /**
   * Registers {@code listener} for all later events; one that is a {@link BatchTraceListener} too
   * hears the batches' traces.
   */
  public void add(StreamingListener listener) {
    listeners.add(listener);
    if (listener instanceof BatchTraceListener tracer) {
      tracers.add(tracer);
    }
  }

  /** Whether a listener hears the batches' traces: without one, nothing is traced. */
  boolean tracing() {
    return !tracers.isEmpty();
  }

  void traced(long batchTime, List<InputParts> inputs, List<StageInfo> stages) {
    for (BatchTraceListener l : tracers) {
      try {
        l.batchTraced(batchTime, inputs, stages);
      } catch (RuntimeException e) {
        LOG.warn("listener {} failed on the trace of batch {}; ignoring it", l, batchTime, e);
      }
    }
  }

  void submitted(BatchInfo info) {
    post(info, StreamingListener::onBatchSubmitted);
  }

  void started(BatchInfo info) {
    post(info, StreamingListener::onBatchStarted);
  }

  void outputStarted(OutputOperationInfo output) {
    postOutput(output, StreamingListener::onOutputOperationStarted);
  }

  void outputCompleted(OutputOperationInfo output) {
    postOutput(output, StreamingListener::onOutputOperationCompleted);
  }

  void completed(BatchInfo info) {
    post(info, StreamingListener::onBatchCompleted);
  }

  void failed(BatchInfo info, String error) {
    post(info, (l, batch) -> l.onBatchFailed(batch, error));
  }

  /** Tells every listener that the newest checkpoint generation is that of {@code batchTime}. */
  @Override
  public void checkpointCompleted(long batchTime) {
    for (StreamingListener l : listeners) {
      try {
        l.onCheckpointCompleted(batchTime);
      } catch (RuntimeException e) {
        LOG.warn("streaming listener {} failed on checkpoint {}; ignoring it", l, batchTime, e);
      }
    }
  }

  /** Tells every listener that a checkpoint generation was written, as {@code checkpoint} says. */
  @Override
  public void checkpointWritten(CheckpointInfo checkpoint) {
    for (StreamingListener l : listeners) {
      try {
        l.onCheckpointWritten(checkpoint);
      } catch (RuntimeException e) {
        LOG.warn(
            "streaming listener {} failed on checkpoint {}; ignoring it",
            l,
            checkpoint.batchTime(),
            e);
      }
    }
  }

  @Override
  public void checkpointOpened(CheckpointOpened checkpoint) {
    try {
      opened.accept(checkpoint);
    } catch (RuntimeException e) {
      LOG.warn("the listener of the checkpoint's opening failed; ignoring it", e);
    }
  }

  /** Tells every listener that the context stopped: the last event. */
  public void streamingStopped() {
    for (StreamingListener l : listeners) {
      try {
        l.onStreamingStopped();
      } catch (RuntimeException e) {
        LOG.warn("streaming listener {} failed on the context's stop; ignoring it", l, e);
      }
    }
  }

  private void postOutput(
      OutputOperationInfo output, BiConsumer<StreamingListener, OutputOperationInfo> event) {
    for (StreamingListener l : listeners) {
      try {
        event.accept(l, output);
      } catch (RuntimeException e) {
        LOG.warn(
            "streaming listener {} failed on output operation {} of batch {}; ignoring it",
            l,
            output.index(),
            output.batchTime(),
            e);
      }
    }
  }

  private void post(BatchInfo info, BiConsumer<StreamingListener, BatchInfo> event) {
    for (StreamingListener l : listeners) {
      try {
        event.accept(l, info);
      } catch (RuntimeException e) {
        LOG.warn("streaming listener {} failed on batch {}; ignoring it", l, info.batchTime(), e);
      }
    }
  }
}

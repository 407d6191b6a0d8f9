package dev.millrace.runtime.scheduler;

import dev.millrace.runtime.source.InputParts;
import dev.millrace.runtime.task.StageInfo;
import java.util.List;

/**
 * Hears what the engine traced inside each batch: its stages and the parts of its inputs. The
 * engine's own counterpart of the public {@code StreamingListener}, which has no such event
 * (Spark's tells stages through its core listener, not the streaming one): a streaming listener
 * registered with the {@link ListenerBus} that also implements this hears it too, on the
 * batch-processing thread, just before the batch's {@code onBatchCompleted} or {@code
 * onBatchFailed}.
 */
public interface BatchTraceListener {

  /**
   * Batch {@code batchTime} read {@code inputs} (each input whose source knows its parts, in the
   * graph's input order) and ran {@code stages}, in the order they began.
   */
  void batchTraced(long batchTime, List<InputParts> inputs, List<StageInfo> stages);
}

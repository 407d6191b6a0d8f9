package dev.millrace.runtime.recovery;

import dev.millrace.runtime.dataset.Dataset;
import java.util.List;

/**
 * A logged batch a recovery runs again with its recorded input.
 *
 * @param batchTime the batch time
 * @param inputs each input stream's dataset, rebuilt from the plan, in the graph's input order
 * @param outputsDone whether its outputs had committed: then only the state moves forward, and no
 *     output runs twice
 */
public record ReplayBatch(long batchTime, List<Dataset<?>> inputs, boolean outputsDone) {
  /** Copies the inputs. */
  public ReplayBatch {
    inputs = List.copyOf(inputs);
  }
}

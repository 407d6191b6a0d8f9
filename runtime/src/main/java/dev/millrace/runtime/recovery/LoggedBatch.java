package dev.millrace.runtime.recovery;

import dev.millrace.runtime.batch.BatchPlan;
import java.util.Optional;

/**
 * A batch after the restored checkpoint generation that a recovery runs again before generating new
 * ones, in time order.
 *
 * @param batchTime the batch time
 * @param plan its logged plan; empty when the plan was deleted (it was damaged), and the batch then
 *     runs as if its input had been empty
 * @param outputsDone whether its outputs had committed: then only the state moves forward, and no
 *     output runs twice
 */
public record LoggedBatch(long batchTime, Optional<BatchPlan> plan, boolean outputsDone) {}

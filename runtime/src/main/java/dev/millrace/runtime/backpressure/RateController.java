package dev.millrace.runtime.backpressure;

import dev.millrace.runtime.config.StreamingOptions;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.Sized;
import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.StreamingListener;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backpressure for one input stream: after every completed batch, feeds the records this input
 * handed to the batch and the batch's delays to a {@link PidRateEstimator}, and publishes each new
 * estimate to the input's source as a {@link RateLimit}. Until the estimator has its first estimate
 * the source is held to the initial rate, so the first batches after a long outage do not take the
 * whole backlog at once.
 *
 * <p>Listener events arrive on the batch-processing thread, one batch at a time, which owns the
 * running batch's bookkeeping here.
 */
public final class RateController implements StreamingListener {
  private static final Logger LOG = LoggerFactory.getLogger(RateController.class);

  private final PacedInput input;
  private final PidRateEstimator estimator;
  private final long batchIntervalMillis;
  private volatile double rate;

  private long runningBatch = Long.MIN_VALUE;
  private Sized runningInput;

  /**
   * A controller for {@code input} that at once limits its source to {@code initialRate} records
   * per second.
   */
  public RateController(
      PacedInput input, PidRateEstimator estimator, long batchIntervalMillis, double initialRate) {
    this.input = input;
    this.estimator = estimator;
    this.batchIntervalMillis = batchIntervalMillis;
    publish(initialRate);
  }

  /**
   * The controller {@code conf} asks for: one with the default estimator and the configured initial
   * rate, or none when {@code millrace.backpressure.enabled} is false.
   */
  public static Optional<RateController> configured(
      PacedInput input, Map<String, String> conf, long batchIntervalMillis) {
    if (!StreamingOptions.BACKPRESSURE_ENABLED.read(conf)) {
      return Optional.empty();
    }
    return Optional.of(
        new RateController(
            input,
            new PidRateEstimator(batchIntervalMillis),
            batchIntervalMillis,
            StreamingOptions.BACKPRESSURE_INITIAL_RATE.read(conf)));
  }

  /** The rate last published to the source, in records per second. */
  public double rate() {
    return rate;
  }

  @Override
  public void onBatchStarted(BatchInfo batch) {
    Dataset<?> planned = input.planned(batch.batchTime());
    runningBatch = batch.batchTime();
    runningInput = planned instanceof Sized sized ? sized : null;
  }

  @Override
  public void onBatchCompleted(BatchInfo batch) {
    Sized in = runningInput;
    runningInput = null;
    if (in == null || runningBatch != batch.batchTime()) {
      return;
    }
    estimator
        .compute(
            batch.processingEndTime(), in.size(), batch.processingDelay(), batch.schedulingDelay())
        .ifPresent(this::publish);
  }

  private void publish(double recordsPerSecond) {
    rate = recordsPerSecond;
    input.updateRateLimit(new RateLimit(recordsPerSecond, batchIntervalMillis));
    LOG.debug("input {} is limited to {} records/s", input.name(), recordsPerSecond);
  }
}

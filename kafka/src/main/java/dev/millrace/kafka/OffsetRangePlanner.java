package dev.millrace.kafka;

import dev.millrace.runtime.source.ReconnectBackoff;
import dev.millrace.streaming.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a batch on the driver: asks the brokers, through one {@link Admin} client, which partitions
 * the subscription covers now and where each begins and ends, and turns that into one {@link
 * OffsetRangePlan}. It reads no records. Topics and partitions that appear between plans are read
 * from their earliest offset at the next plan. Under {@code read_committed} a range ends at the
 * last stable offset, so it never waits on an open transaction.
 *
 * <p>A broker that does not answer, or a partition without a leader, is asked again (each call
 * waits at most {@link #ATTEMPT_TIMEOUT_MS}) until {@code planningTimeout} has passed; then the
 * plan fails with {@link KafkaUnavailableException} naming them. The first failed attempt starts an
 * outage in the source's {@link KafkaSourceHealth} and logs one WARN saying what is retried and
 * until when; the next plan that succeeds ends it and logs one INFO. Used by one thread (the
 * driver's batch planning); {@link #close} releases the client.
 */
public final class OffsetRangePlanner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OffsetRangePlanner.class);

  /**
   * The most one admin call may take before the attempt counts as failed (and at most a third of
   * {@code planningTimeout}, so that planning tries several times). A down broker makes the admin
   * client wait out the whole timeout it is given (it retries the connection inside), so with all
   * of {@code planningTimeout} per call an outage would show in the status and the log only when
   * planning gives up; a healthy broker answers these calls in milliseconds.
   */
  static final long ATTEMPT_TIMEOUT_MS = 5_000;

  private final KafkaOptions options;
  private final KafkaSourceHealth health;
  private final Admin admin;

  /** A planner with its own admin client for {@code options}' brokers. */
  public OffsetRangePlanner(KafkaOptions options) {
    this(options, new KafkaSourceHealth(options, Clock.systemUTC()));
  }

  /** A planner that records how its planning goes in {@code health}. */
  OffsetRangePlanner(KafkaOptions options, KafkaSourceHealth health) {
    this.options = options;
    this.health = health;
    this.admin = Admin.create(options.adminProperties());
  }

  /**
   * The first batch of an application without a checkpoint: every partition starts where {@code
   * startingOffsets} says.
   *
   * @param budgetPerPartition the most offsets a partition's range may span
   * @throws KafkaDataLossException if a given starting offset is no longer (or not yet) there and
   *     {@code failOnDataLoss=true}
   * @throws KafkaUnavailableException if the brokers did not answer within {@code planningTimeout}
   */
  public OffsetRangePlan planFirst(long budgetPerPartition) {
    return plan(null, budgetPerPartition);
  }

  /**
   * The batch after one whose plan gave {@code previousUntils} (see {@link
   * OffsetRangePlan#untils}): each partition continues where that batch ended; a partition not in
   * it (added since, or of a topic matched since) starts at its earliest offset.
   *
   * @param budgetPerPartition the most offsets a partition's range may span
   * @throws KafkaDataLossException if offsets to read were deleted and {@code failOnDataLoss=true}
   * @throws KafkaUnavailableException if the brokers did not answer within {@code planningTimeout}
   */
  public OffsetRangePlan planNext(
      Map<TopicPartition, Long> previousUntils, long budgetPerPartition) {
    return plan(Map.copyOf(previousUntils), budgetPerPartition);
  }

  /**
   * The per-partition budget of a batch of {@code batchInterval} when backpressure allows {@code
   * ratePerPartition} records per second: the lower of that and {@code maxRatePerPartition}, at
   * least one record so that a batch always advances.
   */
  public long budgetPerPartition(Duration batchInterval, double ratePerPartition) {
    double rate = Math.min(ratePerPartition, options.maxRatePerPartition());
    if (Double.isInfinite(rate)) {
      return Long.MAX_VALUE;
    }
    double budget = rate * batchInterval.milliseconds() / 1000.0;
    return budget >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, (long) budget);
  }

  private OffsetRangePlan plan(Map<TopicPartition, Long> previousUntils, long budgetPerPartition) {
    if (budgetPerPartition < 1) {
      throw new IllegalArgumentException(
          "budget per partition " + budgetPerPartition + " is below 1");
    }
    long deadline =
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.planningTimeout().milliseconds());
    ReconnectBackoff backoff = new ReconnectBackoff();
    while (true) {
      Attempt done;
      try {
        done = attempt(previousUntils, budgetPerPartition, deadline);
      } catch (Unanswered e) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        Instant outageStarted = health.attemptFailed(describe(e));
        if (left <= 0) {
          KafkaUnavailableException unavailable = unavailable(e);
          health.planFailed(unavailable.getMessage());
          throw unavailable;
        }
        retryLater(e, outageStarted, left);
        sleep(Math.min(left, backoff.nextDelayMillis()));
        continue;
      } catch (KafkaDataLossException e) {
        health.planFailed(e.getMessage());
        throw e;
      }
      Instant outageSince = health.planned(done.plan(), done.ends(), done.skipped());
      if (outageSince != null) {
        LOG.info(
            "Kafka brokers {} answer again: planning {} works after {} ms of failed attempts",
            String.join(",", options.bootstrapServers()),
            options.subscription(),
            java.time.Duration.between(outageSince, Instant.now()).toMillis());
      }
      return done.plan();
    }
  }

  /**
   * The earliest offset the brokers hold of each of {@code partitions}: what retention has not
   * deleted. Asked again, as a plan is, until {@code planningTimeout} has passed.
   *
   * @throws KafkaUnavailableException if the brokers did not answer within {@code planningTimeout}
   */
  public Map<TopicPartition, Long> earliestOffsets(Collection<TopicPartition> partitions) {
    long deadline =
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.planningTimeout().milliseconds());
    ReconnectBackoff backoff = new ReconnectBackoff();
    while (true) {
      try {
        return offsets(partitions, OffsetSpec.earliest(), deadline);
      } catch (Unanswered e) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw unavailable(
              "check that the offsets of " + options.subscription() + " to read again are kept", e);
        }
        LOG.debug("Asking for the earliest offsets: {}; retrying within {} ms", describe(e), left);
        sleep(Math.min(left, backoff.nextDelayMillis()));
      }
    }
  }

  /**
   * One WARN when an outage starts, saying what is retried and until when; the retries of an outage
   * under way log at DEBUG only, so a long outage does not flood the log.
   */
  private void retryLater(Unanswered e, Instant outageStarted, long leftMs) {
    if (outageStarted != null) {
      LOG.warn(
          "Planning a batch of {}: {}; retrying until {} (planningTimeout={}), then the batch"
              + " fails. Check that the brokers are up and reachable from the driver and that"
              + " every partition has a leader.",
          options.subscription(),
          describe(e),
          outageStarted.plusMillis(leftMs),
          planningTimeoutText());
    } else {
      LOG.debug(
          "Planning a batch of {}: {}; retrying within {} ms",
          options.subscription(),
          describe(e),
          leftMs);
    }
  }

  private String describe(Unanswered e) {
    return "asking "
        + String.join(",", options.bootstrapServers())
        + " for "
        + e.asked
        + " failed: "
        + e.getCause();
  }

  /**
   * A successful attempt: its plan, the ends of the partitions it saw (for the lag) and the ranges
   * retention had deleted that it skipped under {@code failOnDataLoss=false}.
   */
  private record Attempt(
      OffsetRangePlan plan, Map<TopicPartition, Long> ends, List<OffsetRange> skipped) {}

  private Attempt attempt(
      Map<TopicPartition, Long> previousUntils, long budgetPerPartition, long deadline)
      throws Unanswered {
    Set<String> topics =
        call(
                deadline,
                "the list of topics",
                ms -> admin.listTopics(new ListTopicsOptions().timeoutMs(ms)).names())
            .stream()
            .filter(options.subscription()::includes)
            .collect(Collectors.toSet());
    if (options.subscription() instanceof TopicSubscription.Topics named) {
      named.topics().stream()
          .filter(topic -> !topics.contains(topic))
          .forEach(
              topic -> LOG.warn("Topic {} does not exist; it is read once it is created", topic));
    }
    List<TopicPartition> partitions = new ArrayList<>();
    if (!topics.isEmpty()) {
      Map<String, TopicDescription> descriptions =
          call(
              deadline,
              "the partitions of topics " + String.join(",", new TreeSet<>(topics)),
              ms ->
                  admin
                      .describeTopics(topics, new DescribeTopicsOptions().timeoutMs(ms))
                      .allTopicNames());
      descriptions
          .values()
          .forEach(
              description ->
                  description
                      .partitions()
                      .forEach(
                          info ->
                              partitions.add(
                                  new TopicPartition(description.name(), info.partition()))));
    }
    partitions.sort(
        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
    Map<TopicPartition, Long> earliest = offsets(partitions, OffsetSpec.earliest(), deadline);
    Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest(), deadline);
    Map<TopicPartition, Long> starts = new HashMap<>();
    List<TopicPartition> fromStartingOffsets = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      Long previous = previousUntils == null ? null : previousUntils.get(partition);
      if (previous != null) {
        starts.put(partition, previous);
      } else if (previousUntils != null) {
        LOG.info(
            "Reading {}, new since the last batch, from its earliest offset {}",
            partition,
            earliest.get(partition));
        starts.put(partition, earliest.get(partition));
      } else {
        fromStartingOffsets.add(partition);
      }
    }
    starts.putAll(startingOffsets(fromStartingOffsets, earliest, ends, deadline));
    OffsetRangePlan plan =
        decide(partitions, starts, earliest, ends, budgetPerPartition, options.failOnDataLoss());
    return new Attempt(plan, ends, skipped(partitions, starts, earliest, ends));
  }

  /**
   * The ranges {@link #decide} skipped because retention had deleted them (it fails instead under
   * {@code failOnDataLoss=true}), each from where the partition was to be read to its earliest
   * offset.
   */
  private static List<OffsetRange> skipped(
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> starts,
      Map<TopicPartition, Long> earliest,
      Map<TopicPartition, Long> ends) {
    List<OffsetRange> skipped = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      long from = starts.get(partition);
      long first = earliest.get(partition);
      if (from <= ends.get(partition) && from < first) {
        skipped.add(new OffsetRange(partition.topic(), partition.partition(), from, first));
      }
    }
    return skipped;
  }

  private Map<TopicPartition, Long> startingOffsets(
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> earliest,
      Map<TopicPartition, Long> ends,
      long deadline)
      throws Unanswered {
    Map<TopicPartition, Long> starts = new HashMap<>();
    StartingOffsets starting = options.startingOffsets();
    if (starting instanceof StartingOffsets.Timestamp timestamp && !partitions.isEmpty()) {
      Map<TopicPartition, Long> found =
          offsets(partitions, OffsetSpec.forTimestamp(timestamp.epochMillis()), deadline);
      partitions.forEach(
          partition -> {
            long offset = found.get(partition);
            starts.put(partition, offset < 0 ? ends.get(partition) : offset);
          });
      return starts;
    }
    for (TopicPartition partition : partitions) {
      long start;
      if (starting instanceof StartingOffsets.Latest) {
        start = ends.get(partition);
      } else if (starting instanceof StartingOffsets.Offsets given) {
        start = given.offsets().getOrDefault(partition, earliest.get(partition));
      } else {
        start = earliest.get(partition);
      }
      starts.put(partition, start);
    }
    return starts;
  }

  /**
   * The plan for {@code partitions} given where each starts, the earliest offset the broker holds
   * and where it ends. Pure.
   */
  static OffsetRangePlan decide(
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> starts,
      Map<TopicPartition, Long> earliest,
      Map<TopicPartition, Long> ends,
      long budgetPerPartition,
      boolean failOnDataLoss) {
    List<OffsetRange> ranges = new ArrayList<>();
    long skipped = 0;
    for (TopicPartition partition : partitions) {
      long from = starts.get(partition);
      long first = earliest.get(partition);
      long end = ends.get(partition);
      if (from > end) {
        if (failOnDataLoss) {
          throw KafkaDataLossException.behindPosition(partition, from, end);
        }
        LOG.warn(
            "{} ends at offset {}, below the position {} to read from (topic recreated?);"
                + " reading it from its earliest offset {} because failOnDataLoss=false",
            partition,
            end,
            from,
            first);
        from = first;
      } else if (from < first) {
        if (failOnDataLoss) {
          throw KafkaDataLossException.deleted(partition, from, first);
        }
        LOG.warn(
            "Skipping offsets {} to {} of {} ({} offsets), deleted before they were read,"
                + " because failOnDataLoss=false",
            from,
            first - 1,
            partition,
            first - from);
        skipped += first - from;
        from = first;
      }
      long until = end - from > budgetPerPartition ? from + budgetPerPartition : end;
      ranges.add(new OffsetRange(partition.topic(), partition.partition(), from, until));
    }
    return new OffsetRangePlan(ranges, skipped);
  }

  private Map<TopicPartition, Long> offsets(
      Collection<TopicPartition> partitions, OffsetSpec spec, long deadline) throws Unanswered {
    if (partitions.isEmpty()) {
      return Map.of();
    }
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(partition -> request.put(partition, spec));
    Map<TopicPartition, ListOffsetsResultInfo> infos;
    ListOffsetsResult[] result = new ListOffsetsResult[1];
    try {
      infos =
          call(
              deadline,
              "offsets",
              ms -> {
                result[0] =
                    admin.listOffsets(
                        request, new ListOffsetsOptions(options.isolationLevel()).timeoutMs(ms));
                return result[0].all();
              });
    } catch (Unanswered e) {
      List<String> failed = new ArrayList<>();
      for (TopicPartition partition : partitions) {
        if (result[0] == null || result[0].partitionResult(partition).isCompletedExceptionally()) {
          failed.add(partition.toString());
        }
      }
      throw new Unanswered("the offsets of partitions " + String.join(",", failed), e.getCause());
    }
    Map<TopicPartition, Long> offsets = new HashMap<>();
    infos.forEach((partition, info) -> offsets.put(partition, info.offset()));
    return offsets;
  }

  /**
   * Runs one admin call, asking for {@code asked}, for at most {@link #ATTEMPT_TIMEOUT_MS} (or a
   * third of {@code planningTimeout}) of what is left of the deadline; a retriable Kafka error or a
   * timeout is thrown as {@link Unanswered} so that {@link #plan} asks again, any other error as
   * Kafka threw it.
   */
  private <T> T call(long deadline, String asked, Function<Integer, KafkaFuture<T>> request)
      throws Unanswered {
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    long attempt = Math.min(ATTEMPT_TIMEOUT_MS, options.planningTimeout().milliseconds() / 3);
    int timeoutMs = (int) Math.max(1, Math.min(attempt, left));
    try {
      return request.apply(timeoutMs).get(timeoutMs + 1_000L, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new Unanswered(asked, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RetriableException retriable) {
        throw new Unanswered(asked, retriable);
      }
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new IllegalStateException("Kafka admin call failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while planning a Kafka batch", e);
    }
  }

  private KafkaUnavailableException unavailable(Unanswered last) {
    return unavailable("plan a batch of " + options.subscription(), last);
  }

  private KafkaUnavailableException unavailable(String doing, Unanswered last) {
    return new KafkaUnavailableException(
        "could not "
            + doing
            + ": asking for "
            + last.asked
            + ", the brokers "
            + String.join(",", options.bootstrapServers())
            + " did not answer, or a partition had no leader, within planningTimeout="
            + planningTimeoutText()
            + " (last error: "
            + last.getCause()
            + "). Check that the brokers are up and reachable from the driver and that every"
            + " partition has a leader, or raise planningTimeout.",
        last.getCause());
  }

  private String planningTimeoutText() {
    return options
        .asMap()
        .getOrDefault(
            KafkaOptions.PLANNING_TIMEOUT.key(), KafkaOptions.PLANNING_TIMEOUT.defaultText());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while planning a Kafka batch", e);
    }
  }

  /** A question the brokers did not answer in time, or answered with a retriable error. */
  private static final class Unanswered extends Exception {
    private static final long serialVersionUID = 1L;
    private final String asked;

    Unanswered(String asked, Throwable cause) {
      super(asked, cause);
      this.asked = asked;
    }
  }

  @Override
  public void close() {
    admin.close(java.time.Duration.ofSeconds(5));
  }
}

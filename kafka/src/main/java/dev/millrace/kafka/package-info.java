/**
 * Reading Apache Kafka as a replayable source: the driver plans each batch as per-partition offset
 * ranges ({@link dev.millrace.kafka.OffsetRangePlanner}), the plan's bytes go into the batch log,
 * and any process reads a range with {@code assign} + {@code seek} ({@link
 * dev.millrace.kafka.OffsetRangeReader}). No consumer group, no rebalancing: positions live in the
 * batch log, never in group offsets.
 */
package dev.millrace.kafka;

package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;
import java.util.Objects;

/** One input stream of the application, as its driver reports it. */
public class InputStatus {
  @JsonPropertyDescription("The stream's name in the graph, e.g. socketTextStream#0.")
  private String name;

  @JsonPropertyDescription("Where it reads, e.g. localhost:9999 or a directory.")
  private String source;

  @JsonPropertyDescription("Whether its connection is open; absent for inputs without one (files).")
  private Boolean connected;

  @JsonPropertyDescription(
      "False once it has been unable to deliver for longer than spec.healthCheck.maxInputOutage; the application is then not Ready.")
  private Boolean healthy;

  @JsonPropertyDescription(
      "Since when (RFC 3339) it has been unable to deliver (not connected, failing); absent while it delivers normally.")
  private String outageSince;

  @JsonPropertyDescription("The newest error it met, even if it recovered since.")
  private String lastError;

  @JsonPropertyDescription("When that error happened (RFC 3339).")
  private String lastErrorTime;

  @JsonPropertyDescription(
      "Records received by the current driver attempt; absent where the input does not count them itself (files are read by tasks).")
  private Long recordsReceived;

  @JsonPropertyDescription("Bytes read (sockets) or taken (files) by the current driver attempt.")
  private Long bytesReceived;

  @JsonPropertyDescription("Lines dropped for being longer than millrace.receiver.max-line-bytes.")
  private Long linesDropped;

  @JsonPropertyDescription("Times its receiver thread failed and started again.")
  private Integer receiverRestarts;

  @JsonPropertyDescription(
      "The newest batch time (RFC 3339) up to which the input it read may be removed from its source: a committed checkpoint covers it (textFileStream's cleanSource removes it then).")
  private String removableUpTo;

  @JsonPropertyDescription(
      "Records a replayable source (Kafka, an application's own Source) has planned into batches in the current driver attempt; absent where it does not count them.")
  private Long recordsPlanned;

  @JsonPropertyDescription(
      "The source's own figures in the order it gives them, values formatted for people, e.g. a Kafka source's lag.")
  private Map<String, String> figures;

  /** The stream's name in the graph, e.g. {@code socketTextStream#0}. */
  public String getName() {
    return name;
  }

  /** Sets {@link #getName()}. */
  public void setName(String name) {
    this.name = name;
  }

  /** Where it reads, e.g. {@code localhost:9999} or a directory. */
  public String getSource() {
    return source;
  }

  /** Sets {@link #getSource()}. */
  public void setSource(String source) {
    this.source = source;
  }

  /** Whether its connection is open; absent for inputs without one (files). */
  public Boolean getConnected() {
    return connected;
  }

  /** Sets {@link #getConnected()}. */
  public void setConnected(Boolean connected) {
    this.connected = connected;
  }

  /**
   * False once it has been unable to deliver for longer than {@code
   * spec.healthCheck.maxInputOutage}; the application is then not Ready.
   */
  public Boolean getHealthy() {
    return healthy;
  }

  /** Sets {@link #getHealthy()}. */
  public void setHealthy(Boolean healthy) {
    this.healthy = healthy;
  }

  /**
   * Since when (RFC 3339) it has been unable to deliver (not connected, failing); absent while it
   * delivers normally.
   */
  public String getOutageSince() {
    return outageSince;
  }

  /** Sets {@link #getOutageSince()}. */
  public void setOutageSince(String outageSince) {
    this.outageSince = outageSince;
  }

  /** The newest error it met, even if it recovered since. */
  public String getLastError() {
    return lastError;
  }

  /** Sets {@link #getLastError()}. */
  public void setLastError(String lastError) {
    this.lastError = lastError;
  }

  /** When that error happened (RFC 3339). */
  public String getLastErrorTime() {
    return lastErrorTime;
  }

  /** Sets {@link #getLastErrorTime()}. */
  public void setLastErrorTime(String lastErrorTime) {
    this.lastErrorTime = lastErrorTime;
  }

  /**
   * Records received by the current driver attempt; absent where the input does not count them
   * itself (files are read by tasks).
   */
  public Long getRecordsReceived() {
    return recordsReceived;
  }

  /** Sets {@link #getRecordsReceived()}. */
  public void setRecordsReceived(Long recordsReceived) {
    this.recordsReceived = recordsReceived;
  }

  /** Bytes read (sockets) or taken (files) by the current driver attempt. */
  public Long getBytesReceived() {
    return bytesReceived;
  }

  /** Sets {@link #getBytesReceived()}. */
  public void setBytesReceived(Long bytesReceived) {
    this.bytesReceived = bytesReceived;
  }

  /** Lines dropped for being longer than {@code millrace.receiver.max-line-bytes}. */
  public Long getLinesDropped() {
    return linesDropped;
  }

  /** Sets {@link #getLinesDropped()}. */
  public void setLinesDropped(Long linesDropped) {
    this.linesDropped = linesDropped;
  }

  /** Times its receiver thread failed and started again. */
  public Integer getReceiverRestarts() {
    return receiverRestarts;
  }

  /** Sets {@link #getReceiverRestarts()}. */
  public void setReceiverRestarts(Integer receiverRestarts) {
    this.receiverRestarts = receiverRestarts;
  }

  /**
   * The newest batch time (RFC 3339) up to which the input it read may be removed from its source:
   * a committed checkpoint covers it ({@code textFileStream}'s cleanSource removes it then).
   */
  public String getRemovableUpTo() {
    return removableUpTo;
  }

  /** Sets {@link #getRemovableUpTo()}. */
  public void setRemovableUpTo(String removableUpTo) {
    this.removableUpTo = removableUpTo;
  }

  /**
   * Records a replayable source (Kafka, an application's own {@code Source}) has planned into
   * batches in the current driver attempt; absent where it does not count them.
   */
  public Long getRecordsPlanned() {
    return recordsPlanned;
  }

  /** Sets {@link #getRecordsPlanned()}. */
  public void setRecordsPlanned(Long recordsPlanned) {
    this.recordsPlanned = recordsPlanned;
  }

  /**
   * The source's own figures in the order it gives them, values formatted for people, e.g. a Kafka
   * source's {@code lag}; absent if it has none.
   */
  public Map<String, String> getFigures() {
    return figures;
  }

  /** Sets {@link #getFigures()}. */
  public void setFigures(Map<String, String> figures) {
    this.figures = figures;
  }

  /** Equal when every field is. */
  @Override
  public boolean equals(Object o) {
    return o instanceof InputStatus other
        && Objects.equals(name, other.name)
        && Objects.equals(source, other.source)
        && Objects.equals(connected, other.connected)
        && Objects.equals(healthy, other.healthy)
        && Objects.equals(outageSince, other.outageSince)
        && Objects.equals(lastError, other.lastError)
        && Objects.equals(lastErrorTime, other.lastErrorTime)
        && Objects.equals(recordsReceived, other.recordsReceived)
        && Objects.equals(bytesReceived, other.bytesReceived)
        && Objects.equals(linesDropped, other.linesDropped)
        && Objects.equals(receiverRestarts, other.receiverRestarts)
        && Objects.equals(removableUpTo, other.removableUpTo)
        && Objects.equals(recordsPlanned, other.recordsPlanned)
        && Objects.equals(figures, other.figures);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        name,
        source,
        connected,
        healthy,
        outageSince,
        lastError,
        lastErrorTime,
        recordsReceived,
        bytesReceived,
        linesDropped,
        receiverRestarts,
        removableUpTo,
        recordsPlanned,
        figures);
  }
}

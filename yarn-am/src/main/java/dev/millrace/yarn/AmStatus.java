package dev.millrace.yarn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.millrace.crds.InputStatus;
import dev.millrace.crds.StreamingAppStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The StreamingApp status an ApplicationMaster serves at {@code GET /status} (YAML, as {@code
 * kubectl get -o yaml} and {@code millrace run}'s {@code status.yaml} show it) and {@code millrace
 * status} prints for humans: the same projection every backend writes.
 */
final class AmStatus {
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private AmStatus() {}

  /** {@code status} as YAML. */
  static String toYaml(StreamingAppStatus status) {
    try {
      return YAML.writeValueAsString(status);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a status of strings and numbers failed to encode", e);
    }
  }

  /**
   * The status in {@code yaml}, as {@link #toYaml} wrote it; fields this version does not know are
   * ignored.
   *
   * @throws IllegalArgumentException if {@code yaml} is not a status
   */
  static StreamingAppStatus fromYaml(String yaml) {
    try {
      return YAML.readValue(yaml, StreamingAppStatus.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the ApplicationMaster's status is not a StreamingApp status: " + e.getOriginalMessage(),
          e);
    }
  }

  /**
   * The lines {@code millrace status} prints: each condition with its reason and message, then each
   * input.
   */
  static List<String> describe(StreamingAppStatus status) {
    List<String> lines = new ArrayList<>();
    for (Condition c : status.getConditions()) {
      lines.add(
          String.format(
              Locale.ROOT,
              "%-11s %-5s %s: %s",
              c.getType(),
              c.getStatus(),
              c.getReason(),
              c.getMessage()));
    }
    for (InputStatus input : status.getInputs()) {
      StringBuilder line =
          new StringBuilder("input ")
              .append(input.getName())
              .append(input.getSource() == null ? "" : " (" + input.getSource() + ")");
      if (input.getOutageSince() != null) {
        line.append(Boolean.FALSE.equals(input.getConnected()) ? ": disconnected" : ": failing")
            .append(" since ")
            .append(input.getOutageSince());
      } else if (Boolean.TRUE.equals(input.getConnected())) {
        line.append(": connected");
      }
      if (Boolean.FALSE.equals(input.getHealthy())) {
        line.append(", out too long");
      }
      if (input.getRecordsReceived() != null) {
        line.append(", ").append(input.getRecordsReceived()).append(" records");
      }
      if (input.getBytesReceived() != null) {
        line.append(", ").append(input.getBytesReceived()).append(" bytes");
      }
      if (input.getLinesDropped() != null && input.getLinesDropped() > 0) {
        line.append(", ").append(input.getLinesDropped()).append(" too long dropped");
      }
      if (input.getRecordsPlanned() != null) {
        line.append(", ").append(input.getRecordsPlanned()).append(" records planned");
      }
      if (input.getFigures() != null) {
        input
            .getFigures()
            .forEach((name, value) -> line.append(", ").append(name).append(' ').append(value));
      }
      if (input.getRemovableUpTo() != null) {
        line.append(", removable up to batch ").append(input.getRemovableUpTo());
      }
      if (input.getLastError() != null) {
        line.append("; last error: ").append(input.getLastError());
      }
      lines.add(line.toString());
    }
    return lines;
  }
}

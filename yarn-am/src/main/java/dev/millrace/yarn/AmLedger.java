package dev.millrace.yarn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.millrace.crds.supervision.SupervisorSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What an ApplicationMaster attempt leaves for the next one, in the staging directory: the
 * Supervisor's snapshot and which of its containers runs what. YARN hands a new attempt the
 * containers still running from the previous ones ({@code keepContainersAcrossApplicationAttempts})
 * but not what they are; with this ledger the new attempt adopts them and continues the same
 * supervision, restart counts and backoff included.
 *
 * @param supervisor the Supervisor as it was
 * @param containers each container the attempt launched (or was launching), by container id
 */
record AmLedger(SupervisorSnapshot supervisor, Map<String, Role> containers) {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** Requires both; copies the map, sorted by container id. */
  AmLedger {
    Objects.requireNonNull(supervisor, "supervisor");
    containers = new TreeMap<>(containers);
  }

  /**
   * What a container runs: driver attempt {@code driverAttempt}, or executor {@code executorId}.
   */
  record Role(int driverAttempt, String executorId) {
    static Role driver(int attempt) {
      return new Role(attempt, null);
    }

    static Role executor(String id) {
      return new Role(0, Objects.requireNonNull(id, "id"));
    }

    boolean isDriver() {
      return executorId == null;
    }

    @Override
    public String toString() {
      return isDriver() ? "driver attempt " + driverAttempt : "executor " + executorId;
    }
  }

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the ApplicationMaster's ledger", e);
    }
  }

  /**
   * The ledger in {@code json}.
   *
   * @throws IOException if it is not one (damaged, or written by an incompatible version)
   */
  static AmLedger fromJson(byte[] json) throws IOException {
    try {
      AmLedger ledger = JSON.readValue(json, AmLedger.class);
      if (ledger.supervisor() == null) {
        throw new IOException("it has no supervisor snapshot");
      }
      return ledger;
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          "not an ApplicationMaster ledger ("
              + e.getMessage()
              + "): "
              + new String(json, 0, Math.min(json.length, 200), StandardCharsets.UTF_8),
          e);
    }
  }

  /**
   * Whether this ledger says the same as {@code other} apart from clocks and batch progress, which
   * change every batch: the part a new attempt cannot learn again at once.
   */
  boolean sameButProgress(AmLedger other) {
    return containers.equals(other.containers)
        && withoutProgress(supervisor).equals(withoutProgress(other.supervisor));
  }

  private static ObjectNode withoutProgress(SupervisorSnapshot snapshot) {
    ObjectNode tree = JSON.valueToTree(snapshot);
    tree.remove(java.util.List.of("now", "attemptProgressAt", "lastProgressAt", "lastBatchTime"));
    return tree;
  }
}

package dev.millrace.runtime.checkpoint;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A driver process that asks for (or holds) a checkpoint directory's lease, as far as the lease
 * needs to tell drivers apart and to explain to a human who holds it.
 *
 * @param host the host name, for messages
 * @param machine what identifies the operating system instance and process namespace the pid is
 *     valid in: host name, boot id and pid namespace where the system has them. A holder's pid is
 *     only checked against this machine's processes when it is equal.
 * @param pid the process id
 * @param processStartMillis when the process started (epoch millis), 0 if unknown: tells a live
 *     holder from another process that was given the same pid later
 * @param attempt the driver attempt the supervisor launched, counted from 1; 0 for a driver that no
 *     supervisor launched
 * @param supervisionId which supervisor launched the driver ({@code millrace run}'s invocation, a
 *     StreamingApp's uid on Kubernetes, the YARN application id); empty for none. A newer attempt
 *     of the same supervisor takes the lease over at once: its supervisor launched it because the
 *     previous one is gone or must be.
 */
public record LeaseClaimant(
    String host,
    String machine,
    long pid,
    long processStartMillis,
    int attempt,
    String supervisionId) {
  private static final long START_TOLERANCE_MILLIS = 2_000;

  /** Rejects nulls; an absent supervision id is the empty string. */
  public LeaseClaimant {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(machine, "machine");
    supervisionId = supervisionId == null ? "" : supervisionId;
  }

  /**
   * This process, as attempt {@code attempt} (0 for none) launched by the supervisor {@code
   * supervisionId} (null or empty for none).
   */
  public static LeaseClaimant thisProcess(int attempt, String supervisionId) {
    ProcessHandle self = ProcessHandle.current();
    String host = hostName();
    return new LeaseClaimant(
        host,
        host + "/" + firstLine("/proc/sys/kernel/random/boot_id") + "/" + pidNamespace(),
        self.pid(),
        self.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L),
        attempt,
        supervisionId);
  }

  /** Whether a supervisor launched this driver. */
  public boolean isSupervised() {
    return !supervisionId.isEmpty();
  }

  /** For messages: {@code host vm, pid 4242, attempt 3 of supervisor run-1f2e}. */
  public String describe() {
    return "host "
        + host
        + ", pid "
        + pid
        + (attempt > 0 ? ", attempt " + attempt : "")
        + (isSupervised() ? " of supervisor " + supervisionId : ", not launched by a supervisor");
  }

  /** Whether {@code other} is this very process. */
  boolean isSameProcess(LeaseClaimant other) {
    return machine.equals(other.machine)
        && pid == other.pid
        && sameStart(processStartMillis, other.processStartMillis);
  }

  /**
   * Whether two readings of a process's start time are the same process's: Linux derives it from
   * the boot time, which it reports to the second and which drifts with clock adjustments.
   */
  static boolean sameStart(long startMillis, long otherStartMillis) {
    return Math.abs(startMillis - otherStartMillis) <= START_TOLERANCE_MILLIS;
  }

  private static String hostName() {
    // The kernel's name first: InetAddress may wait for DNS, and a lease is taken at every start.
    String kernel = firstLine("/proc/sys/kernel/hostname");
    if (!kernel.isEmpty()) {
      return kernel;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  private static String pidNamespace() {
    try {
      return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return "";
    }
  }

  private static String firstLine(String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    } catch (IOException | SecurityException e) {
      return "";
    }
  }
}

package dev.millrace.runtime.checkpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a driver may take a checkpoint directory's lease, given the newest lease it found there:
 * the rules, with no I/O. {@link CheckpointLease} reads the directory, asks, and carries the answer
 * out.
 *
 * <p>The driver may take it (as the next epoch) when
 *
 * <ol>
 *   <li>the directory has no lease yet;
 *   <li>the newest lease was released by a driver that stopped;
 *   <li>the holder is this very process (a streaming context of it that stopped without letting go:
 *       only one context runs in a JVM at a time);
 *   <li>the holder is an older attempt of the same supervisor: the supervisor launched this one
 *       because the previous is gone or must go, so waiting would only slow every restart down (a
 *       zombie on a partitioned Kubernetes node or YARN host is fenced by the new epoch);
 *   <li>the holder ran on this machine and its process is gone (or its pid now belongs to a process
 *       that started later);
 *   <li>the holder has not renewed it for its timeout: it lapsed.
 * </ol>
 *
 * Otherwise it is refused: the holder is alive or may be. A lease file that cannot be read (a
 * holder that died while writing it, a hand edit) lapses by its file's time and the asking driver's
 * timeout.
 */
public sealed interface LeaseDecision {

  /** Take the lease as {@code epoch}, recording {@code why}. */
  record Take(long epoch, String why) implements LeaseDecision {}

  /**
   * Do not start: the lease {@code newest} is held; it lapses at {@code lapsesAtMillis} unless
   * renewed. {@code why} is a sentence for the message when there is more to say than that the
   * holder lives, else empty.
   */
  record Refuse(Observed newest, long lapsesAtMillis, String why) implements LeaseDecision {
    /** The message of the refusal, for the driver {@code claimant} on {@code directory}. */
    public String message(String directory, LeaseClaimant claimant) {
      String holder =
          newest
              .holder()
              .map(LeaseHolder::describe)
              .orElse("a driver whose lease file is unreadable");
      return "checkpoint directory "
          + directory
          + " is in use by another driver: "
          + holder
          + ", lease last renewed at "
          + Instant.ofEpochMilli(newest.renewedAtMillis())
          + "."
          + (why.isEmpty() ? "" : " " + why)
          + " Two drivers writing one checkpoint would break each other's batches, so this"
          + " driver ("
          + claimant.describe()
          + ") does not start. To take over safely: stop the other driver (a graceful stop"
          + " releases the lease at once, and a driver whose process has ended on the same host is"
          + " replaced at once); if it ran on a host that is gone, start again after its lease"
          + " lapses at "
          + Instant.ofEpochMilli(lapsesAtMillis)
          + "; or give this application a checkpoint directory of its own.";
    }
  }

  /**
   * The newest lease of a directory, as read by a driver that wants it.
   *
   * @param epoch its epoch
   * @param holder what its lease file says, or empty if the file cannot be read
   * @param renewedAtMillis its newest renewal, or when it was taken if it was never renewed (the
   *     file's time if the file cannot be read)
   * @param released whether its holder released it
   */
  record Observed(
      long epoch, Optional<LeaseHolder> holder, long renewedAtMillis, boolean released) {}

  /** Tells whether a process of this machine has ended. */
  @FunctionalInterface
  interface ProcessProbe {
    /**
     * Whether the process {@code pid} that started at {@code startMillis} (0 if unknown) is gone:
     * no such process, or one that started at another time.
     */
    boolean isGone(long pid, long startMillis);

    /** The processes of this machine, through {@link ProcessHandle}. */
    static ProcessProbe thisMachine() {
      return (pid, startMillis) ->
          ProcessHandle.of(pid)
              .map(
                  p ->
                      !p.isAlive()
                          || (startMillis != 0
                              && p.info()
                                  .startInstant()
                                  .map(
                                      at ->
                                          !LeaseClaimant.sameStart(at.toEpochMilli(), startMillis))
                                  .orElse(false)))
              .orElse(true);
    }
  }

  /**
   * What {@code claimant}, whose own lease timeout is {@code timeoutMillis}, may do at {@code
   * nowMillis} given the directory's {@code newest} lease.
   */
  static LeaseDecision decide(
      Optional<Observed> newest,
      LeaseClaimant claimant,
      long timeoutMillis,
      long nowMillis,
      ProcessProbe processes) {
    if (newest.isEmpty()) {
      return new Take(1, "the directory had no lease");
    }
    Observed lease = newest.get();
    long next = lease.epoch() + 1;
    if (lease.released()) {
      return new Take(next, "lease epoch " + lease.epoch() + " was released by its holder");
    }
    if (lease.holder().isEmpty()) {
      long lapsesAt = lease.renewedAtMillis() + timeoutMillis;
      return nowMillis >= lapsesAt
          ? new Take(next, "the unreadable lease file of epoch " + lease.epoch() + " lapsed")
          : new Refuse(lease, lapsesAt, "Its lease file cannot be read.");
    }
    LeaseHolder holder = lease.holder().get();
    LeaseClaimant other = holder.driver();
    if (other.isSameProcess(claimant)) {
      return new Take(next, "an earlier streaming context of this process held it");
    }
    boolean sameSupervisor =
        claimant.isSupervised() && claimant.supervisionId().equals(other.supervisionId());
    if (sameSupervisor && claimant.attempt() > other.attempt()) {
      return new Take(
          next,
          "attempt "
              + claimant.attempt()
              + " of supervisor "
              + claimant.supervisionId()
              + " replaces attempt "
              + other.attempt());
    }
    if (claimant.machine().equals(other.machine())
        && processes.isGone(other.pid(), other.processStartMillis())) {
      return new Take(next, "its holder, pid " + other.pid() + " on this machine, is gone");
    }
    long lapsesAt = holder.lapsesAt(lease.renewedAtMillis());
    if (nowMillis >= lapsesAt) {
      return new Take(
          next,
          "the lease of pid "
              + other.pid()
              + " on "
              + other.host()
              + " lapsed at "
              + Instant.ofEpochMilli(lapsesAt)
              + ", "
              + Duration.ofMillis(holder.timeoutMillis()).toSeconds()
              + " s after its last renewal");
    }
    String why =
        sameSupervisor
            ? "It is attempt "
                + other.attempt()
                + " of the same supervisor, and this driver is attempt "
                + claimant.attempt()
                + ", not a newer one: its supervisor has launched a later attempt."
            : "";
    return new Refuse(lease, lapsesAt, why);
  }
}

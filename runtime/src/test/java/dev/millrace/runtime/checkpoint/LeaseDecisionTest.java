package dev.millrace.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.checkpoint.LeaseDecision.Observed;
import dev.millrace.runtime.checkpoint.LeaseDecision.ProcessProbe;
import dev.millrace.runtime.checkpoint.LeaseDecision.Refuse;
import dev.millrace.runtime.checkpoint.LeaseDecision.Take;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaseDecisionTest {
  private static final long TIMEOUT = 30_000;
  private static final long ACQUIRED = 1_000_000;
  private static final long RENEWED = 1_020_000;
  private static final ProcessProbe ALIVE = (pid, start) -> false;
  private static final ProcessProbe GONE = (pid, start) -> true;

  private static LeaseClaimant driver(String machine, long pid, int attempt, String supervisor) {
    return new LeaseClaimant(machine.split("/")[0], machine, pid, 5_000, attempt, supervisor);
  }

  private static Optional<Observed> held(LeaseClaimant holder) {
    return Optional.of(
        new Observed(
            7,
            Optional.of(
                new LeaseHolder(7, holder, ACQUIRED, TIMEOUT, "the directory had no lease")),
            RENEWED,
            false));
  }

  private static LeaseDecision decide(
      Optional<Observed> newest, LeaseClaimant claimant, long now, ProcessProbe probe) {
    return LeaseDecision.decide(newest, claimant, TIMEOUT, now, probe);
  }

  @Test
  void aDirectoryWithoutALeaseIsTakenAsEpochOne() {
    LeaseDecision decision =
        decide(Optional.empty(), driver("a/boot/ns", 10, 1, "run-1"), RENEWED, ALIVE);

    assertEquals(new Take(1, "the directory had no lease"), decision);
  }

  @Test
  void aReleasedLeaseIsTakenAtOnceByAnyDriver() {
    Observed released =
        new Observed(
            7,
            Optional.of(
                new LeaseHolder(7, driver("a/boot/ns", 10, 1, "run-1"), ACQUIRED, TIMEOUT, "x")),
            RENEWED,
            true);

    LeaseDecision decision =
        decide(Optional.of(released), driver("b/boot/ns", 20, 0, ""), RENEWED + 1, ALIVE);

    assertEquals(new Take(8, "lease epoch 7 was released by its holder"), decision);
  }

  @Test
  void aLiveLeaseOfAnotherDriverIsRefusedNamingTheHolderAndWhenItLapses() {
    LeaseClaimant holder = driver("a/boot/ns", 10, 2, "run-1");
    LeaseClaimant second = driver("a/boot/ns", 20, 1, "run-2");

    LeaseDecision decision = decide(held(holder), second, RENEWED + 5_000, ALIVE);

    Refuse refuse = assertInstanceOf(Refuse.class, decision);
    assertEquals(RENEWED + TIMEOUT, refuse.lapsesAtMillis());
    String message = refuse.message("file:/ckpt", second);
    for (String expected :
        List.of(
            "checkpoint directory file:/ckpt is in use by another driver",
            "host a, pid 10, attempt 2 of supervisor run-1",
            "holding it since " + Instant.ofEpochMilli(ACQUIRED),
            "lease last renewed at " + Instant.ofEpochMilli(RENEWED),
            "this driver (host a, pid 20, attempt 1 of supervisor run-2) does not start",
            "stop the other driver",
            "lapses at " + Instant.ofEpochMilli(RENEWED + TIMEOUT))) {
      assertTrue(message.contains(expected), expected + " is not in: " + message);
    }
  }

  @Test
  void aNewerAttemptOfTheSameSupervisorTakesOverALiveLeaseAtOnce() {
    LeaseDecision decision =
        decide(
            held(driver("node-1/b/ns", 10, 3, "uid-wc")),
            driver("node-2/b/ns", 11, 4, "uid-wc"),
            RENEWED + 1,
            ALIVE);

    assertEquals(new Take(8, "attempt 4 of supervisor uid-wc replaces attempt 3"), decision);
  }

  @Test
  void anOlderOrTheSameAttemptOfTheSameSupervisorIsRefusedWhileTheLeaseIsLive() {
    LeaseClaimant holder = driver("node-1/b/ns", 10, 3, "uid-wc");
    for (int attempt : new int[] {2, 3}) {
      LeaseDecision decision =
          decide(held(holder), driver("node-2/b/ns", 11, attempt, "uid-wc"), RENEWED + 1, ALIVE);

      Refuse refuse = assertInstanceOf(Refuse.class, decision);
      assertTrue(refuse.why().contains("attempt 3 of the same supervisor"), refuse.why());
    }
  }

  @Test
  void driversLaunchedByNoSupervisorAreForeignToEachOther() {
    LeaseDecision decision =
        decide(held(driver("a/b/ns", 10, 0, "")), driver("a/b/ns", 20, 0, ""), RENEWED, ALIVE);

    assertInstanceOf(Refuse.class, decision);
  }

  @Test
  void aHolderWhoseProcessIsGoneOnThisMachineIsReplacedAtOnce() {
    LeaseDecision decision =
        decide(held(driver("a/b/ns", 10, 0, "")), driver("a/b/ns", 20, 0, ""), RENEWED, GONE);

    assertEquals(new Take(8, "its holder, pid 10 on this machine, is gone"), decision);
  }

  @Test
  void aHolderOnAnotherMachineOrPidNamespaceIsNeverProbed() {
    ProcessProbe mustNotBeAsked =
        (pid, start) -> {
          throw new AssertionError("pid " + pid + " belongs to another machine");
        };
    for (String machine : List.of("other/b/ns", "a/b/other-ns")) {
      LeaseDecision decision =
          decide(
              held(driver(machine, 10, 0, "")),
              driver("a/b/ns", 20, 0, ""),
              RENEWED,
              mustNotBeAsked);

      assertInstanceOf(Refuse.class, decision);
    }
  }

  @Test
  void aLeaseNotRenewedForTheHoldersTimeoutHasLapsed() {
    LeaseClaimant holder = driver("other/b/ns", 10, 0, "");
    LeaseClaimant claimant = driver("a/b/ns", 20, 0, "");

    assertInstanceOf(Refuse.class, decide(held(holder), claimant, RENEWED + TIMEOUT - 1, ALIVE));
    Take take =
        assertInstanceOf(Take.class, decide(held(holder), claimant, RENEWED + TIMEOUT, ALIVE));

    assertEquals(8, take.epoch());
    assertTrue(take.why().contains("lapsed at " + Instant.ofEpochMilli(RENEWED + TIMEOUT)));
  }

  @Test
  void theHoldersOwnTimeoutDecidesWhenItsLeaseLapsesNotTheClaimants() {
    Optional<Observed> shortLease =
        Optional.of(
            new Observed(
                7,
                Optional.of(
                    new LeaseHolder(7, driver("other/b/ns", 10, 0, ""), ACQUIRED, 2_000, "x")),
                RENEWED,
                false));

    LeaseDecision decision =
        LeaseDecision.decide(
            shortLease, driver("a/b/ns", 20, 0, ""), 60_000, RENEWED + 2_000, ALIVE);

    assertInstanceOf(Take.class, decision);
  }

  @Test
  void anUnreadableLeaseFileLapsesByItsTimeAndTheClaimantsTimeout() {
    Optional<Observed> unreadable = Optional.of(new Observed(7, Optional.empty(), RENEWED, false));
    LeaseClaimant claimant = driver("a/b/ns", 20, 0, "");

    Refuse refuse =
        assertInstanceOf(Refuse.class, decide(unreadable, claimant, RENEWED + TIMEOUT - 1, GONE));
    assertTrue(
        refuse.message("file:/ckpt", claimant).contains("a driver whose lease file is unreadable"));
    assertInstanceOf(Take.class, decide(unreadable, claimant, RENEWED + TIMEOUT, GONE));
  }

  @Test
  void aLeaseLeftByThisVeryProcessIsTaken() {
    LeaseClaimant self = driver("a/b/ns", 10, 0, "");

    LeaseDecision decision = decide(held(self), self, RENEWED, ALIVE);

    assertEquals(new Take(8, "an earlier streaming context of this process held it"), decision);
  }
}

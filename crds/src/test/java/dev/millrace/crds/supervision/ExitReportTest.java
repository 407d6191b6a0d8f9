package dev.millrace.crds.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExitReportTest {
  @Test
  void exitCodesAreClassifiedByTheLaunchContract() {
    assertEquals(FailureClass.FINISHED, FailureClass.ofExitCode(0));
    assertEquals(FailureClass.INCOMPATIBLE_CHECKPOINT, FailureClass.ofExitCode(65));
    assertEquals(FailureClass.CONFIGURATION, FailureClass.ofExitCode(78));
    assertEquals(FailureClass.MISSING_INPUT, FailureClass.ofExitCode(66));
    assertEquals(FailureClass.DAMAGED_CHECKPOINT, FailureClass.ofExitCode(74));
    assertEquals(FailureClass.CHECKPOINT_IN_USE, FailureClass.ofExitCode(75));
    assertEquals(FailureClass.APPLICATION, FailureClass.ofExitCode(1));
    assertEquals(FailureClass.APPLICATION, FailureClass.ofExitCode(137));
    assertEquals(FailureClass.APPLICATION, FailureClass.ofExitCode(-1));
  }

  @Test
  void failureClassesAreWrittenAsTheStatusDocumentsThem() {
    assertEquals("Application", FailureClass.APPLICATION.statusValue());
    assertEquals("IncompatibleCheckpoint", FailureClass.INCOMPATIBLE_CHECKPOINT.statusValue());
    assertEquals("Requested", FailureClass.REQUESTED.statusValue());
    assertEquals("DamagedCheckpoint", FailureClass.DAMAGED_CHECKPOINT.statusValue());
    assertEquals("MissingInput", FailureClass.MISSING_INPUT.statusValue());
    assertEquals("CheckpointInUse", FailureClass.CHECKPOINT_IN_USE.statusValue());
  }

  @Test
  void onlyTheApplicationsOwnCrashesAndTheClustersAreWorthARestart() {
    for (FailureClass failure : FailureClass.values()) {
      boolean restartable =
          failure == FailureClass.APPLICATION
              || failure == FailureClass.INFRASTRUCTURE
              || failure == FailureClass.FINISHED
              || failure == FailureClass.REQUESTED;
      assertEquals(!restartable, failure.restartCannotHelp(), failure.name());
    }
  }

  @Test
  void aMissingReasonIsFilledInFromTheCode() {
    assertEquals("code 0 (Completed)", ExitReport.ofExitCode(0).describe());
    assertEquals("code 1 (Error)", ExitReport.ofExitCode(1).describe());
    assertEquals(
        "no exit code (Unknown)", new ExitReport(null, null, FailureClass.APPLICATION).describe());
    assertEquals("no exit code (Evicted)", ExitReport.infrastructure("Evicted").describe());
    assertEquals(
        "code 137 (OOMKilled)",
        new ExitReport(137, "OOMKilled", FailureClass.APPLICATION).describe());
  }
}

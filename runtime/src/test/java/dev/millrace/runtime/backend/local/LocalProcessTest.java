package dev.millrace.runtime.backend.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.millrace.crds.supervision.ExitReport;
import dev.millrace.crds.supervision.FailureClass;
import org.junit.jupiter.api.Test;

class LocalProcessTest {
  @Test
  void aSignalThisSupervisorSentIsARequestedEndAndOneNobodySentIsAFailure() {
    assertEquals(
        new ExitReport(143, "Terminated", FailureClass.REQUESTED),
        LocalProcess.classify(143, true));
    assertEquals(
        new ExitReport(137, "Killed", FailureClass.REQUESTED), LocalProcess.classify(137, true));
    assertEquals(
        new ExitReport(137, "Killed", FailureClass.APPLICATION), LocalProcess.classify(137, false));
    assertEquals(
        new ExitReport(143, "Terminated", FailureClass.APPLICATION),
        LocalProcess.classify(143, false));
  }

  @Test
  void anExitCodeKeepsItsMeaningAfterAStopWasAskedFor() {
    assertEquals(
        new ExitReport(1, "Error", FailureClass.APPLICATION), LocalProcess.classify(1, true));
    assertEquals(
        new ExitReport(0, "Completed", FailureClass.FINISHED), LocalProcess.classify(0, true));
    assertEquals(
        new ExitReport(78, "BadConfiguration", FailureClass.CONFIGURATION),
        LocalProcess.classify(78, true));
  }
}

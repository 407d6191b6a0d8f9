package dev.millrace.crds;

/** Which driver exits lead to a restart. */
public enum RestartPolicyType {
  /** Restart after every exit the application did not ask for, including exit 0. */
  Always,
  /** Restart after a failure; exit 0 ends the application as Succeeded. */
  OnFailure,
  /** Never restart: the first exit ends the application. */
  Never
}

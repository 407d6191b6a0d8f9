package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How an application change is rolled out. */
public enum UpgradeMode {
  /** Stop gracefully, then resume the new version from the final checkpoint. */
  @JsonProperty("last-state")
  LAST_STATE,
  /** Stop gracefully, then start the new version with a fresh checkpoint. */
  @JsonProperty("stateless")
  STATELESS
}

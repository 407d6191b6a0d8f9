package dev.millrace.crds;

/** When Kubernetes pulls a container image (the names Kubernetes uses). */
public enum ImagePullPolicy {
  /** Pull on every start. */
  Always,
  /** Pull only if the node lacks the image. */
  IfNotPresent,
  /** Never pull; the image must be on the node. */
  Never
}

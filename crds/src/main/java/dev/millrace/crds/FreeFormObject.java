package dev.millrace.crds;

/**
 * Schema stand-in for pod templates: the CRD declares them as free-form objects so that the
 * resource stays small; the operator checks a template by reading it as a {@code PodTemplateSpec}.
 */
final class FreeFormObject {
  private FreeFormObject() {}
}

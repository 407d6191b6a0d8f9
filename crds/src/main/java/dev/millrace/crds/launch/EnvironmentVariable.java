package dev.millrace.crds.launch;

/**
 * A setting a process reads from its environment rather than from {@code millrace.*} entries: one
 * its supervisor or the operator's deployment sets before any configuration is read. Its name,
 * default and description live here, once, so the configuration reference is generated from code.
 *
 * @param name the variable, e.g. {@code MILLRACE_LOG_FILES}
 * @param defaultText what applies when it is unset
 * @param description one sentence for the reference table
 */
public record EnvironmentVariable(String name, String defaultText, String description) {}

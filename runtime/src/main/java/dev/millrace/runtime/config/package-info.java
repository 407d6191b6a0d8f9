/**
 * The typed option registry: every {@code millrace.*} setting as a {@code ConfigOption} with key,
 * default and description, which the README's configuration table lists. May use: only the public
 * API's exception types; everything else reads its settings from here.
 */
package dev.millrace.runtime.config;

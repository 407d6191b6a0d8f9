/**
 * The engine's front door. {@link dev.millrace.runtime.Engine} is the running engine, built from a
 * {@link dev.millrace.runtime.GraphDescription} (what the application's {@code StreamingContext}
 * recorded: {@link dev.millrace.runtime.StreamDefinition}s, {@link
 * dev.millrace.runtime.SourceDefinition}s and {@link dev.millrace.runtime.OutputDefinition}s) and
 * an {@link dev.millrace.runtime.EngineLaunch} (local or distributed runners, the lease identity).
 * {@code GraphBuilder} turns definitions into the stream graph; {@link
 * dev.millrace.runtime.Contexts} lets the process mains reach a context's description and engine.
 *
 * <p>The user's API ({@code dev.millrace.streaming}) uses only this package of the engine, never a
 * sub-package. This package may use every engine room ({@code stream}, {@code source}, {@code
 * scheduler}, {@code recovery}, {@code checkpoint}, {@code task}, ...); only the process mains
 * ({@code driver}, {@code executor}, {@code backend}, {@code cli}) use it.
 */
package dev.millrace.runtime;

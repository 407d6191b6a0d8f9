/**
 * The driver's web UI and its REST API under {@code /api/v1/} ({@code WebUi}): pages served from
 * the jar that draw the batch history with hand-written SVG, links relative so that they work
 * behind a path prefix. May use: the batch history ({@code history}), the option registry ({@code
 * config}, {@code transport}), the status report of the launch contract, and the values the
 * recovery tells of the checkpoint directory ({@code recovery}, {@code checkpoint}); the driver's
 * status endpoint delegates to it, never the engine.
 */
package dev.millrace.runtime.ui;

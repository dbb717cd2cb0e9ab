/**
 * The commands' outcome vocabulary, where the CLI, the API and embedding code import it: the
 * types and rules are core's (core/outcome.ts), a build's outcome is report's (report/summary.ts).
 */
export { EXIT, outcome, outcomeOfError, relativeTo, reported, type CommandOutcome, type CommandStatus, type ReportedError } from '../core/outcome.js';
export { outcomeOfBuild } from '../report/summary.js';

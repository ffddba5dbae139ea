/**
 * Jest setup file (jest.config.js `setupFilesAfterEnv`, which runs after jest installs source-map-support): cdktf records a full stack trace for every token it
 * creates, on a plain object (`Error.captureStackTrace({ stack: "" })`), to quote in its own error
 * messages. Under jest, source-map-support maps every frame of every such trace through the source
 * maps of the files on the stack, parsed anew in each test file: about a tenth of a second of each
 * synthesizing test file. Here only errors are mapped (their frames point at the TypeScript lines,
 * as before); the traces cdktf captures on plain objects keep V8's own frame text, their first
 * {@link TOKEN_TRACE_FRAMES} frames (cdktf asks for all of them; under jest that is a hundred or more).
 */
const TOKEN_TRACE_FRAMES = 30;
const mapped = Error.prepareStackTrace;
if (mapped) {
  Error.prepareStackTrace = (error: unknown, frames: NodeJS.CallSite[]): unknown =>
    Object.prototype.toString.call(error) === "[object Error]"
      ? mapped(error as Error, frames)
      : ["Trace", ...frames.slice(0, TOKEN_TRACE_FRAMES).map((frame) => `    at ${String(frame)}`)].join("\n");
}

/**
 * `bitbucket-oidc review | head -1`: once the reader closes the pipe, writes fail with EPIPE. That is
 * the reader saying "enough", not an error: the command stops printing and exits with its own code,
 * without a stack trace. Any other write error still surfaces.
 */
const quieted = new WeakSet<NodeJS.WritableStream>();

export function quietOnClosedPipe(stream: NodeJS.WritableStream): void {
  if (quieted.has(stream)) return;
  quieted.add(stream);
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE" || e.code === "ERR_STREAM_DESTROYED") return;
    throw e;
  });
}

/**
 * A 503 means a dependency is down (the provider's keys, introspection, the broker's store), and every request meets
 * it until it is back. Logging each one floods the log with the same line (hundreds a second under load): this logs
 * the first, then at most one per `intervalMs`, saying how many it left out since the last.
 */
export function logOutagesQuietly(log: (error: unknown) => void, intervalMs = 10_000, now: () => number = Date.now): (error: unknown) => void {
  let lastLogged = -Infinity;
  let leftOut = 0;
  return (error) => {
    const time = now();
    if (time - lastLogged < intervalMs) {
      leftOut++;
      return;
    }
    log(leftOut > 0 ? withCount(error, leftOut) : error);
    lastLogged = time;
    leftOut = 0;
  };
}

/** The same error, its message saying how many like it were not logged. */
function withCount(error: unknown, leftOut: number): Error {
  const note = `(${leftOut} more since the last line)`;
  if (!(error instanceof Error)) return new Error(`${String(error)} ${note}`);
  return Object.assign(new Error(`${error.message} ${note}`, { cause: error }), { name: error.name });
}

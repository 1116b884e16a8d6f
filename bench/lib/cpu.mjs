import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * Throughput on a 2-core machine is only comparable when the load generator and the server do not fight over one
 * core: with `taskset` (Linux) and two or more cores, this process (autocannon, the issuer) runs on core 0 and each
 * server on core 1, so a server's requests per second are bounded by its own core. Returns what was done, for the
 * report; on other systems nothing is pinned and the report says so.
 */
export function canPin() {
  return process.platform === 'linux' && availableParallelism() >= 2 && spawnSync('taskset', ['-V']).status === 0;
}

/** Pins every thread of `pid` (and the threads it starts later) to `core`. */
export function pin(pid, core) {
  const result = spawnSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`taskset could not pin ${pid} to core ${core}: ${result.stderr}`);
}

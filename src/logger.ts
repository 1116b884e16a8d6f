/** Where the CLI talks: stdout for results, stderr for warnings. Tests pass `silentLogger` or collect lines. */
export interface Logger {
  info(line: string): void;
  warn(line: string): void;
}

export const consoleLogger: Logger = {
  info: (line) => process.stdout.write(`${line}\n`),
  warn: (line) => process.stderr.write(`${line}\n`),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {} };

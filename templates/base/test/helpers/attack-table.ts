import { appendFileSync, closeSync, openSync, writeSync } from 'node:fs';

/** One row of the attack table: what an attacker tried, what the server must answer, what it answered. */
export interface AttackRow {
  name: string;
  expected: string;
  got: string;
}

/**
 * The attack table that `ATTACK_TABLE=<file> npm test` writes: every suite that proves a defence adds its rows, so
 * one file lists token forgeries, DPoP binding, introspection limits, discovery and the development server alike.
 * Suites run in parallel workers: the header is written by whichever creates the file, rows are appended whole.
 */
export function createAttackTable(suite: string) {
  const rows: AttackRow[] = [];
  return {
    rows,
    add(row: AttackRow) {
      rows.push(row);
    },
    /** Appends this suite's rows to `ATTACK_TABLE` (call from `afterAll`); does nothing without it. */
    flush() {
      const file = process.env['ATTACK_TABLE'];
      if (!file || rows.length === 0) return;
      try {
        const fd = openSync(file, 'wx');
        writeSync(fd, '| suite | case | expected | got |\n|---|---|---|---|\n');
        closeSync(fd);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const cell = (text: string) => `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\n/g, ' ')}\``;
      appendFileSync(file, rows.map((row) => `| ${suite} | ${row.name} | ${cell(row.expected)} | ${cell(row.got)} |\n`).join(''));
    },
  };
}

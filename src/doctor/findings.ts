/** One line of a `doctor` report. `fail` makes the project not ready; `warn` is worth reading but not blocking. */
export interface Finding {
  status: 'pass' | 'fail' | 'warn' | 'info';
  /** What was checked, and what was found. */
  message: string;
  /** Why it matters and what to change (indented under the line). */
  detail?: string;
}

const MARK: Record<Finding['status'], string> = { pass: '✓', fail: '✗', warn: '!', info: '·' };

export function formatFinding(finding: Finding): string[] {
  const lines = [`  ${MARK[finding.status]} ${finding.message}`];
  if (finding.detail) lines.push(...finding.detail.split('\n').map((line) => `      ${line}`));
  return lines;
}

export const isReady = (findings: readonly Finding[]): boolean => findings.every((finding) => finding.status !== 'fail');

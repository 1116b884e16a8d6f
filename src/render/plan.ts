import type { Answers } from '../answers/answers.js';

/** The template layers for a project, in render order: later layers may replace files of earlier ones. */
export function planLayers(answers: Pick<Answers, 'framework'>): string[] {
  return ['base', `framework/${answers.framework}`, 'auth'];
}

import type { Answers } from '../../../src/answers/answers.js';

/** The mini template tree the unit and CLI tests render. */
export const MINI_TEMPLATES = new URL('../../fixtures/templates-mini/', import.meta.url);

export const localAnswers: Answers = {
  projectName: 'mini',
  provider: 'local',
  framework: 'express',
  transport: 'stateless',
  scopes: ['read', 'write'],
  issuer: 'http://localhost:3001',
  packageManager: 'npm',
};

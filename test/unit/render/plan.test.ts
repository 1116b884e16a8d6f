import { expect, test } from 'vitest';
import { planLayers } from '../../../src/render/plan.js';

test('renders base, then the framework, then the auth core', () => {
  expect(planLayers({ framework: 'express' })).toEqual(['base', 'framework/express', 'auth']);
  expect(planLayers({ framework: 'hono' })).toEqual(['base', 'framework/hono', 'auth']);
});

/** The planner's options the planner tests start from: plain appends, no keys, one table per topic, UTC. */
import type { BatchPlanOptions } from '../src/planner/batch-plan';

export function planOptions(overrides: Partial<BatchPlanOptions> = {}): BatchPlanOptions {
  return {
    insertMode: 'insert',
    deleteEnabled: false,
    pkMode: 'none',
    pkFields: [],
    fieldsWhitelist: [],
    tableNameFormat: '${topic}',
    timezone: 'UTC',
    ...overrides,
  };
}

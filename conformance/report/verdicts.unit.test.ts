import { outcomesOfJestJson, verdictChanges, verdictsOf } from './verdicts';

const json = {
  testResults: [
    {
      name: '/r/conformance/scenarios/append.basic.conformance.test.ts',
      assertionResults: [{ ancestorTitles: ['append.basic'], title: 'rows', status: 'failed', duration: 5, failureMessages: ['boom'] }],
    },
    {
      name: '/r/conformance/scenarios/package.archive.conformance.test.ts',
      assertionResults: [{ ancestorTitles: ['package.archive'], title: 'not applicable: no archive', status: 'pending', duration: null, failureMessages: [] }],
    },
    {
      name: '/r/conformance/scenarios/avro-upsert-walkthrough.conformance.test.ts',
      assertionResults: [{ ancestorTitles: ['walk-through: x'], title: 'a', status: 'passed', duration: 1, failureMessages: [] }],
    },
    { name: '/r/conformance/scenarios/delivery.crash.conformance.test.ts', message: 'Cannot find module', assertionResults: [] },
    { name: '/r/src/x.test.ts', assertionResults: [{ ancestorTitles: ['unit'], title: 'u', status: 'failed', duration: 1, failureMessages: [] }] },
  ],
};

describe('verdicts', () => {
  it('judges each catalogue id and each other check of a jest run; a crashed file fails; unit tests are not verdicts', () => {
    const verdicts = verdictsOf(outcomesOfJestJson(json));
    expect(verdicts).toMatchObject({ 'append.basic': 'FAIL', 'package.archive': 'n/a', 'walk-through: x': 'pass', 'delete.tombstone': 'not implemented', 'delivery.crash.conformance.test.ts': 'FAIL' });
    expect(verdicts.unit).toBeUndefined();
  });

  it('names every id whose verdict differs from the recorded one, a missing one included', () => {
    const recorded = { 'append.basic': { verdict: 'FAIL' as const }, 'upsert.value-key': { verdict: 'FAIL' as const }, 'walk-through: x': { verdict: 'FAIL' as const } };
    expect(verdictChanges(recorded, { 'append.basic': 'FAIL', 'walk-through: x': 'pass' })).toEqual([
      { id: 'upsert.value-key', expected: 'FAIL', actual: 'not implemented' },
      { id: 'walk-through: x', expected: 'FAIL', actual: 'pass' },
    ]);
    expect(verdictChanges(recorded, { 'append.basic': 'FAIL' }, ['append.basic'])).toEqual([]);
  });
});

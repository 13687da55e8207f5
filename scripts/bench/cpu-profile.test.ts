import { areaOf, selfTimeByArea, type CpuProfile } from './cpu-profile';

describe('cpu profile summary', () => {
  it('puts frames into areas: sink folders, packages, node internals, GC', () => {
    expect(areaOf({ functionName: 'plan', url: 'file:///work/main/build/src/planner/batch-plan.js', lineNumber: 1 })).toBe('src/planner');
    expect(areaOf({ functionName: 'x', url: 'file:///w/node_modules/kafkajs/src/protocol/decoder.js', lineNumber: 1 })).toBe('kafkajs');
    expect(areaOf({ functionName: 'x', url: 'file:///w/node_modules/@kafkajs/confluent-schema-registry/dist/a.js', lineNumber: 1 })).toBe('@kafkajs/confluent-schema-registry');
    expect(areaOf({ functionName: 'subarray', url: 'node:buffer', lineNumber: 1 })).toBe('node internals');
    expect(areaOf({ functionName: '(garbage collector)', url: '', lineNumber: -1 })).toBe('GC');
  });

  it('sums self time of samples by area', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 3] },
        { id: 2, callFrame: { functionName: 'plan', url: 'file:///r/src/planner/batch-plan.ts', lineNumber: 3 } },
        { id: 3, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } },
      ],
      samples: [2, 2, 3, 2],
      timeDeltas: [1000, 1000, 2000, 1000],
      startTime: 0,
      endTime: 5000,
    };
    expect(selfTimeByArea(profile)).toEqual([
      { name: 'src/planner', ms: 3, share: 0.6 },
      { name: 'GC', ms: 2, share: 0.4 },
    ]);
  });
});

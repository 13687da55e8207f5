import { pairedRatios } from './connect-plugin';
import { bootLayerDuplicates, compilationsIn, graalVersionOf, optimizingJvmOptions } from './optimizing-runtime';

describe('the Connect plugin bench', () => {
  it('pairs run i of ours with run i of theirs, leaving out runs without a partner or with no rate', () => {
    expect(pairedRatios([10, 20, 30], [5, 40])).toEqual([2, 0.5]);
    expect(pairedRatios([10, 20], [0, 10])).toEqual([2]);
    expect(pairedRatios([], [1])).toEqual([]);
  });
});

describe('the optimizing runtime in a worker', () => {
  it('takes the GraalJS version from the plugin folder\'s polyglot jar', () => {
    expect(graalVersionOf(['truffle-api-23.1.8.jar', 'polyglot-23.1.8.jar', 'databend-kafka-sink-connect-0.1.0.jar'])).toBe('23.1.8');
    expect(() => graalVersionOf(['truffle-api-23.1.8.jar'])).toThrow('found none');
    expect(() => graalVersionOf(['polyglot-23.1.8.jar', 'polyglot-24.0.0.jar'])).toThrow('23.1.8, 24.0.0');
  });

  it('enables JVMCI, upgrades the JDK\'s compiler module with the compiler jar and puts the modules it requires on the module path', () => {
    const jars = ['/c/collections-23.1.8.jar', '/c/compiler-23.1.8.jar', '/c/truffle-compiler-23.1.8.jar', '/c/word-23.1.8.jar'];
    expect(optimizingJvmOptions(jars)).toEqual([
      '-XX:+UnlockExperimentalVMOptions',
      '-XX:+EnableJVMCI',
      '--upgrade-module-path=/c/compiler-23.1.8.jar',
      '--module-path=/c/collections-23.1.8.jar:/c/truffle-compiler-23.1.8.jar:/c/word-23.1.8.jar',
    ]);
    expect(() => optimizingJvmOptions(['/c/word-23.1.8.jar'])).toThrow('found none');
  });

  it('takes out of the plugin the jars the compiler puts in the boot layer, and only those', () => {
    const plugin = ['collections-23.1.8.jar', 'databend-kafka-sink-connect-0.1.0.jar', 'polyglot-23.1.8.jar', 'truffle-api-23.1.8.jar', 'truffle-compiler-23.1.8.jar', 'truffle-runtime-23.1.8.jar', 'word-23.1.8.jar'];
    const compiler = ['/c/collections-23.1.8.jar', '/c/compiler-23.1.8.jar', '/c/truffle-compiler-23.1.8.jar', '/c/word-23.1.8.jar'];
    expect(bootLayerDuplicates(plugin, compiler)).toEqual(['collections-23.1.8.jar', 'truffle-compiler-23.1.8.jar', 'word-23.1.8.jar']);
    expect(bootLayerDuplicates(plugin, ['/c/word-24.0.0.jar'])).toEqual([]);
  });

  it('counts finished compilations in a Truffle log, not failed or queued ones', () => {
    const log = [
      '[engine] opt queued engine=1 id=89 WhileNode',
      '[engine] opt done   engine=1  id=89    WhileNode$WhileDoRepeatingNode@6c430672 |Tier 2|Time  2138(1710+428 )ms',
      '[engine] opt failed engine=1 id=90 f',
      '[engine] opt done   engine=1  id=91    parseJsonText |Tier 1|Time 80ms',
    ].join('\n');
    expect(compilationsIn(log)).toBe(2);
    expect(compilationsIn('')).toBe(0);
  });
});

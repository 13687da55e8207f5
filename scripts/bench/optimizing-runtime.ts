/**
 * GraalJS's optimizing runtime in a Kafka Connect worker, for the Connect plugin's benchmark: the
 * GraalVM compiler of the plugin's GraalJS version from Maven Central (`maven/graal-compiler-pom.xml`,
 * installed once into `.runtimes/`) and the worker's JVM options that enable it. On a stock JDK the
 * compiler runs through JVMCI: it replaces the JDK's own `jdk.internal.vm.compiler` module
 * (`--upgrade-module-path`) and needs the modules it requires (truffle-compiler, word, collections)
 * in the boot layer (`--module-path`). The rest of GraalJS stays where Connect loads it (the
 * plugin's class loader), but each class must exist once: the plugin ships truffle-compiler (and
 * word, collections) too, and Truffle in the plugin's loader cannot use a compiler whose
 * interfaces came from another loader (a worker with both copies refuses the connector:
 * `ClassCastException: HotSpotTruffleCompilationSupport cannot be cast to TruffleCompilationSupport
 * … in unnamed module of loader PluginClassLoader`). So the jars the compiler brings into the boot
 * layer are removed from the worker's unpacked copy of the plugin (`bootLayerDuplicates`); the
 * plugin's loader then finds those classes in its parent, the same ones the compiler uses.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { installOnce } from '../../conformance/sink-under-test/connect/connect-runtime';
import { RUNTIMES_DIR } from '../../conformance/environments/select-environment';

const POM = path.join(__dirname, 'maven', 'graal-compiler-pom.xml');
const COMPILER_JAR = /^compiler-(.+)\.jar$/;

/** The GraalJS version of a plugin folder, from its `lib/polyglot-<version>.jar`. */
export function graalVersionOf(jarNames: readonly string[]): string {
  const versions = jarNames.map((name) => /^polyglot-(\d[\w.-]*)\.jar$/.exec(name)?.[1]).filter((v): v is string => v !== undefined);
  if (versions.length !== 1) throw new Error(`expected one polyglot-<version>.jar among the plugin's jars, found ${versions.length === 0 ? 'none' : versions.join(', ')}`);
  return versions[0];
}

/**
 * The worker's JVM options for the optimizing runtime: JVMCI enabled, the compiler jar upgrading
 * the JDK's module, every other jar of the compiler's folder on the module path.
 */
export function optimizingJvmOptions(compilerJars: readonly string[]): string[] {
  const compiler = compilerJars.filter((jar) => COMPILER_JAR.test(path.basename(jar)));
  if (compiler.length !== 1) throw new Error(`expected one compiler-<version>.jar, found ${compiler.length === 0 ? 'none' : compiler.join(', ')}`);
  const modules = compilerJars.filter((jar) => jar !== compiler[0]);
  return ['-XX:+UnlockExperimentalVMOptions', '-XX:+EnableJVMCI', `--upgrade-module-path=${compiler[0]}`, ...(modules.length > 0 ? [`--module-path=${modules.join(path.delimiter)}`] : [])];
}

/** Installs the compiler of `version` (once) and returns its jars. */
export async function installGraalCompiler(version: string, progress: (message: string) => void): Promise<string[]> {
  const home = path.join(RUNTIMES_DIR, `graal-compiler-${version}`);
  await installOnce(home, 'lib', POM, [`-Dgraal.version=${version}`], `the GraalVM compiler ${version}`, `compiler-${version}`, progress, 10 * 60_000);
  const lib = path.join(home, 'lib');
  return fs.readdirSync(lib).filter((name) => name.endsWith('.jar')).sort().map((name) => path.join(lib, name));
}

/** Lines of a Truffle log that record a finished compilation (`engine.TraceCompilation`). */
export function compilationsIn(truffleLog: string): number {
  return truffleLog.split('\n').filter((line) => line.includes('opt done')).length;
}

/** The plugin's jars that the compiler's folder also holds (same file name): one copy of each class, in the boot layer. */
export function bootLayerDuplicates(pluginJars: readonly string[], compilerJars: readonly string[]): string[] {
  const boot = new Set(compilerJars.map((jar) => path.basename(jar)));
  return pluginJars.filter((jar) => boot.has(jar));
}

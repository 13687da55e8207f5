import type { ScenarioContext } from '../harness/scenario-context';
import { avroFixture } from './avro-fixture';
import { AvroFixtureEncoder, type AvroSchema } from './avro-fixture-encoder';

/**
 * Registers `fixtures/avro/<dir>/<name>.avsc` under `subject`, as a producer would (the registry
 * checks it against the subject's compatibility level), and returns an encoder of values for it:
 * Confluent wire format, values written as `AvroFixtureEncoder` reads them.
 */
export function registerAvroFixture(s: ScenarioContext, subject: string, dir: string, name: string): Promise<(value: Record<string, unknown>) => Buffer> {
  return registerAvroSchema(s, subject, avroFixture(dir, name));
}

/** `registerAvroFixture` for a schema at hand (a fixture's, changed). */
export async function registerAvroSchema(s: ScenarioContext, subject: string, schema: object): Promise<(value: Record<string, unknown>) => Buffer> {
  const id = await s.registerAvro(subject, schema);
  const encoder = new AvroFixtureEncoder(schema as AvroSchema);
  return (value) => encoder.wire(id, value);
}

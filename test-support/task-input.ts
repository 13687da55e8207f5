/** The consumer loop's inputs the sink-task tests share: one partition's batch of string values, and their converter. */
import { SinkError } from '../src/errors';
import type { PartitionBatch } from '../src/ports/record-source';
import type { SchemaAndValue } from '../src/record/schema';

/** Topic `t`, partition 0: `values` as record values from offset `first`. */
export function stringBatch(values: string[], first = 0): PartitionBatch {
  return {
    topic: 't',
    partition: 0,
    highWatermark: String(first + values.length),
    records: values.map((v, i) => ({ topic: 't', partition: 0, offset: String(first + i), timestamp: '0', key: null, value: Buffer.from(v), headers: [] })),
  };
}

const stringSchema = { type: 'STRING', optional: true } as const;

/** Value "bad" does not decode; anything else becomes a string value. */
export const stringConverter = {
  async toConnectData(_topic: string, bytes: Buffer | null): Promise<SchemaAndValue | null> {
    if (bytes === null) return null;
    if (bytes.toString() === 'bad') throw new SinkError('RECORD_UNDECODABLE', 'unknown magic byte');
    return { schema: stringSchema, value: bytes.toString() };
  },
};

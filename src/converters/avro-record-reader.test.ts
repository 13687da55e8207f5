/**
 * The compiled record reader (`AvroTranslation.read`) must give exactly what avsc's decode followed
 * by `convert` gives, and `tryConvert` must answer synchronously once a schema id is known.
 */
import { Tap } from 'avsc/lib/utils';
import { AvroConverter } from './avro-converter';
import { encodeAvro, writerType } from '../../test-support/avro';
import { parseAvroSchema, StrictTap } from './avro-types';
import { translateAvro } from './avro-translation';
import { unscaledToBytes } from './decimal';
import { FakeSchemaSource } from '../../test-support/fake-schema-source';

const INNER = { type: 'record', name: 'Inner', fields: [{ name: 'n', type: 'long' }, { name: 'tags', type: { type: 'array', items: 'string' } }] };
const SCHEMA = {
  type: 'record',
  name: 'Outer',
  fields: [
    { name: 'id', type: 'long' },
    { name: '_Weird_Name9', type: 'string' },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 30, scale: 4 } },
    { name: 'fixedPrice', type: { type: 'fixed', name: 'F9', size: 9, logicalType: 'decimal', precision: 20, scale: 2 } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'day', type: ['null', { type: 'int', logicalType: 'date' }] },
    { name: 'status', type: { type: 'enum', name: 'S', symbols: ['A', 'B'] } },
    { name: 'inner', type: INNER },
    { name: 'maybeInner', type: ['null', 'Inner'] },
    { name: 'inners', type: { type: 'array', items: 'Inner' } },
    { name: 'attrs', type: { type: 'map', values: 'double' } },
    { name: 'either', type: ['null', 'string', 'int'] },
    { name: 'small', type: { type: 'int', 'connect.type': 'int8' } },
  ],
};

function value(i: number): Record<string, unknown> {
  const inner = { n: BigInt(i) * 1_000_000_000_000n, tags: [`t${i}`, 'ü✓'] };
  return {
    id: BigInt(i) - 5n,
    '_Weird_Name9': `v${i}`,
    price: unscaledToBytes(BigInt(i) ** 9n * (i % 2 === 0 ? 1n : -1n)),
    fixedPrice: unscaledToBytes(BigInt(i * 12345 - 60000), 9),
    at: BigInt(i) * 86_400_000n - 1n,
    day: i % 3 === 0 ? null : i * 100,
    status: i % 2 === 0 ? 'A' : 'B',
    inner,
    maybeInner: i % 2 === 0 ? null : inner,
    inners: [inner, inner],
    attrs: { a: i / 3, b: -0 },
    either: i % 3 === 0 ? null : i % 3 === 1 ? `s${i}` : i,
    small: (i % 200) - 100,
  };
}

describe('compiled Avro record reader', () => {
  it('reads the same record model as avsc decode + convert', () => {
    const type = parseAvroSchema(JSON.stringify(SCHEMA));
    const translation = translateAvro(type);
    expect(translation.read).toBeDefined();
    const writer = writerType(SCHEMA);
    for (let i = 0; i < 60; i++) {
      const bytes = writer.toBuffer(value(i));
      const tap = new StrictTap(bytes);
      const read = translation.read!(tap);
      expect(tap.pos).toBe(bytes.length);
      const decoded = (type as unknown as { _read(t: Tap): unknown })._read(new StrictTap(bytes));
      expect(read).toEqual(translation.convert!(decoded));
    }
  });

  it('falls back to avsc decode + convert for a record with a __proto__ field', () => {
    const schema = { type: 'record', name: 'P', fields: [{ name: '__proto__', type: 'string' }] };
    expect(translateAvro(parseAvroSchema(JSON.stringify(schema))).read).toBeUndefined();
  });

  it('rejects a decimal whose length runs past the data', () => {
    const schema = { type: 'record', name: 'D', fields: [{ name: 'd', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } }] };
    const translation = translateAvro(parseAvroSchema(JSON.stringify(schema)));
    // length 8 (zig-zag 16), then only 2 bytes
    expect(() => translation.read!(new StrictTap(Buffer.from([16, 1, 2])))).toThrow('truncated');
    expect(() => translation.read!(new StrictTap(Buffer.from([1])))).toThrow('truncated');
  });
});

describe('AvroConverter.tryConvert', () => {
  it('answers undefined until the schema id is fetched, then synchronously', async () => {
    const registry = new FakeSchemaSource();
    const converter = new AvroConverter(registry);
    const id = registry.register(JSON.stringify(SCHEMA));
    const bytes = encodeAvro(id, SCHEMA, value(4));
    expect(converter.tryConvert('t', null)).toBeNull();
    expect(converter.tryConvert('t', bytes)).toBeUndefined();
    const viaPromise = await converter.toConnectData('t', bytes);
    expect(converter.tryConvert('t', bytes)).toEqual(viaPromise);
    expect(registry.lookupCount(id)).toBe(1);
  });
});

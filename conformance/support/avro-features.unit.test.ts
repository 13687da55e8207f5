import { APICURIO_AVRO_LIMITS } from '../sink-under-test/connect/avro-converter-limits';
import { avroFieldFeatures, fieldsRefused } from './avro-features';
import { avroFixture } from './avro-fixture';
import type { AvroSchema } from './avro-fixture-encoder';

describe('avroFieldFeatures', () => {
  it("names the fields of create.avro that use a feature a converter may not carry", () => {
    expect(avroFieldFeatures(avroFixture('create.avro', 'value') as AvroSchema)).toEqual({
      amount: ['fixed-decimal'],
      t_us: ['time-micros'],
      ts_us: ['timestamp-micros'],
      lts_ms: ['local-timestamp'],
      lts_us: ['local-timestamp'],
    });
  });

  it('finds features inside unions, and not in bytes decimals, millisecond types or optional fields with a null default', () => {
    expect(avroFieldFeatures(avroFixture('types.matrix', 'value') as AvroSchema)).toEqual({ dec_s9: ['fixed-decimal'], dec_p38_s0: ['fixed-decimal'], ts_us: ['timestamp-micros'] });
  });

  it("an optional field's non-null default is a feature; so are features in nested records, arrays, maps and named references", () => {
    expect(avroFieldFeatures(avroFixture('evolution', 'v2') as AvroSchema)).toEqual({ unit: ['optional-default'] });
    const schema: AvroSchema = {
      type: 'record',
      name: 'Outer',
      namespace: 'x',
      fields: [
        { name: 'inner', type: { type: 'record', name: 'Inner', fields: [{ name: 'at', type: { type: 'long', logicalType: 'timestamp-micros' } }] } },
        { name: 'again', type: 'x.Inner' },
        { name: 'list', type: { type: 'array', items: { type: 'fixed', name: 'D', size: 8, logicalType: 'decimal', precision: 18, scale: 2 } } },
        { name: 'byKey', type: { type: 'map', values: 'D' } },
        { name: 'plainFixed', type: { type: 'fixed', name: 'F', size: 4 } },
      ],
    };
    expect(avroFieldFeatures(schema)).toEqual({ inner: ['timestamp-micros'], again: ['timestamp-micros'], list: ['fixed-decimal'], byKey: ['fixed-decimal'] });
  });

  it('refuses a schema that is not a record', () => {
    expect(() => avroFieldFeatures('long')).toThrow(/expected a record schema/);
  });
});

describe('fieldsRefused', () => {
  it("leaves out the fields whose records Apicurio's converter refuses (fixed decimals), not those it alters", () => {
    expect(fieldsRefused(avroFieldFeatures(avroFixture('create.avro', 'value') as AvroSchema), APICURIO_AVRO_LIMITS)).toEqual(['amount']);
    expect(fieldsRefused(avroFieldFeatures(avroFixture('types.matrix', 'value') as AvroSchema), APICURIO_AVRO_LIMITS)).toEqual(['dec_s9', 'dec_p38_s0']);
  });

  it('leaves out nothing where the sink decodes Avro itself', () => {
    expect(fieldsRefused(avroFieldFeatures(avroFixture('types.matrix', 'value') as AvroSchema), {})).toEqual([]);
  });
});

import * as avro from 'avsc';
import { FIELD_COUNT_V1, JSON_ORDER_COLUMNS, JsonOrderGenerator, ORDER_V1, ORDER_V2, OrderGenerator, decimalBytes, prng, wireFormat } from './data-generator';

describe('bench data generator', () => {
  it('gives the same bytes for the same seed, and different bytes for another seed', () => {
    const take = (seed: number) => {
      const g = new OrderGenerator({ keyCardinality: 1000, seed });
      return Array.from({ length: 200 }, (_, i) => g.next(i < 100 ? 1 : 2));
    };
    const a = take(7);
    expect(take(7)).toEqual(a);
    expect(take(8).map((r) => r.avro.toString('hex'))).not.toEqual(a.map((r) => r.avro.toString('hex')));
  });

  it('writes 10 realistic fields that decode with the v1 schema, and v2 records that add two', () => {
    expect(FIELD_COUNT_V1).toBe(10);
    const g = new OrderGenerator({ keyCardinality: 50, seed: 1 });
    const v1 = avro.Type.forSchema(ORDER_V1 as unknown as avro.Schema);
    const v2 = avro.Type.forSchema(ORDER_V2 as unknown as avro.Schema);
    const ids = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const r = g.next(1);
      const value = v1.fromBuffer(r.avro) as Record<string, unknown>;
      expect(value.id).toBe(r.id);
      expect(r.key).toBe(String(r.id));
      expect(Buffer.isBuffer(value.amount)).toBe(true);
      expect(value.created_at as number).toBeGreaterThan(1_767_225_600_000_000);
      ids.add(r.id);
    }
    // Key cardinality bounds the ids (and the rows an upsert leaves).
    expect(ids.size).toBeLessThanOrEqual(50);
    expect(ids.size).toBeGreaterThan(40);
    const evolved = v2.fromBuffer(g.next(2).avro) as Record<string, unknown>;
    expect(Object.keys(evolved)).toEqual([...ORDER_V1.fields.map((f) => f.name), 'coupon', 'priority']);
  });

  it('encodes decimals as minimal big-endian two’s complement', () => {
    expect(decimalBytes(0).toString('hex')).toBe('00');
    expect(decimalBytes(127).toString('hex')).toBe('7f');
    expect(decimalBytes(128).toString('hex')).toBe('0080');
    expect(decimalBytes(-1).toString('hex')).toBe('ff');
    expect(decimalBytes(-129).toString('hex')).toBe('ff7f');
  });

  it('frames values in the Confluent wire format', () => {
    expect(wireFormat(258, Buffer.from([9])).toString('hex')).toBe('000000010209');
  });

  it('has a seeded PRNG in [0, 1)', () => {
    const r = prng(3);
    const values = Array.from({ length: 1000 }, r);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(prng(3)()).toBe(values[0]);
  });

  it('writes the JSON orders: the table’s columns, dense without nulls, sparse with 8 combinations of null members', () => {
    const take = (density: 'dense' | 'sparse') => {
      const g = new JsonOrderGenerator({ keyCardinality: 1000, seed: 5 }, density);
      return Array.from({ length: 2000 }, () => JSON.parse(g.next().json.toString()) as Record<string, unknown>);
    };
    const dense = take('dense');
    expect(Object.keys(dense[0])).toEqual(JSON_ORDER_COLUMNS.map(([name]) => name));
    expect(dense.every((r) => Object.values(r).every((v) => v !== null))).toBe(true);
    const sparse = take('sparse');
    const nullSets = new Set(sparse.map((r) => Object.keys(r).filter((k) => r[k] === null).join(',')));
    expect(nullSets.size).toBe(8);
    expect(new Set([...nullSets].flatMap((s) => s.split(',')).filter(Boolean))).toEqual(new Set(['ship_date', 'note', 'score']));
    expect(take('sparse')).toEqual(sparse);
  });
});

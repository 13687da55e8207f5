import { ConnectJsonConverter } from '../converters/connect-json-converter';
import type { SinkRecord } from '../record/sink-record';
import { type WriteOperation, planBatch } from './batch-plan';
import type { ExistingColumn } from '../dialect/ddl';
import { exactInFloat, fitToTable } from './table-fit';
import { compareColumnTypes } from './type-widening';

const options = { insertMode: 'insert' as const, deleteEnabled: false, pkMode: 'none' as const, pkFields: [], fieldsWhitelist: [], tableNameFormat: '${topic}', timezone: 'UTC' };
const fitOptions = { quoting: 'always' as const, tableName: 'default.loose' };

async function records(...json: string[]): Promise<SinkRecord[]> {
  const converter = new ConnectJsonConverter(false);
  return Promise.all(
    json.map(async (text, i) => ({ topic: 'loose', partition: 0, offset: String(i), timestamp: '0', key: null, value: await converter.toConnectData('loose', Buffer.from(text)) })),
  );
}

describe('regression: schemaless JSON rounded integers already stored, 9007199254740993 → 9.007199254740992e15 (issue 13, point 3)', () => {
  it('a fraction arriving for the BIGINT column is refused as SCHEMA_INCOMPATIBLE: the column stays BIGINT, stored values exact', async () => {
    const [first, second] = await records('{"n": 9007199254740993}', '{"n": 1.5}');
    const columnOf = (r: SinkRecord) => (planBatch([r], options).operations[0] as WriteOperation).shape.columns[0].type;
    expect(columnOf(first).kind).toBe('BIGINT');
    expect(compareColumnTypes(columnOf(first), columnOf(second))).toEqual({ kind: 'incompatible' });
  });

  it('an integer arriving for a DOUBLE column is written only when the DOUBLE holds it exactly', async () => {
    const op = planBatch(await records('{"n": 2}', '{"n": 9007199254740993}', '{"n": 9007199254740992}', '{"n": -9223372036854775808}'), options).operations[0] as WriteOperation;
    const table: ExistingColumn[] = [{ name: 'n', type: 'DOUBLE', nullable: true, defaultExpression: '' }];
    const fit = fitToTable(op, table, fitOptions);
    expect(fit.refused.map((r) => [r.record.offset, r.error.code, r.error.message])).toEqual([
      ['1', 'VALUE_OUT_OF_RANGE', 'table default.loose, column "n" is DOUBLE, which cannot hold the record\'s integer exactly (beyond 2^53 it would be stored rounded)'],
    ]);
    expect(fit.op!.rows).toEqual([['2'], ['9007199254740992'], ['-9223372036854775808']]);
  });

  it('exactInFloat: 2^53 + 1 is not a double, 2^53 + 2 is; 2^24 + 1 is not a float', () => {
    expect([exactInFloat('9007199254740993', 53), exactInFloat('9007199254740994', 53), exactInFloat('-9007199254740992', 53)]).toEqual([false, true, true]);
    expect([exactInFloat('16777217', 24), exactInFloat('16777216', 24), exactInFloat('123', 24)]).toEqual([false, true, true]);
  });
});

import { ConnectJsonConverter } from '../converters/connect-json-converter';
import type { Schema } from '../record/schema';
import { evolutionPlan } from './evolution';
import { type ShapeOptions, tableShape } from './table-shape';
import { formatColumnType } from '../dialect/type-mapping';

// Regression: a JSON null member of a schemaless record was planned as a STRING column, so a null
// in a column other records had made BIGINT (or DOUBLE, BOOLEAN, VARIANT) was an "incompatible
// type" record error that stopped the sink, and a null seen first created a VARCHAR column.
const options: ShapeOptions = { pkMode: 'none', pkFields: [], fieldsWhitelist: [] };
const table = { database: null, table: 'loose' };

async function schemaOf(json: string): Promise<Schema> {
  const converted = await new ConnectJsonConverter(false).toConnectData('loose', Buffer.from(json));
  return converted!.schema;
}

describe('schemaless JSON null members', () => {
  it('are no column: the table keeps the type other records give the member', async () => {
    const typed = tableShape(null, await schemaOf('{"id":1,"n":5,"f":1.5,"b":true,"o":{"a":1}}'), options);
    const existing = typed.columns.map((c) => ({ name: c.name, type: formatColumnType(c.type) }));
    const nulls = tableShape(null, await schemaOf('{"id":2,"n":null,"f":null,"b":null,"o":null}'), options);
    expect(nulls.columns.map((c) => c.name)).toEqual(['id']);
    expect(evolutionPlan(table, existing, nulls, { autoEvolve: true, quoting: 'always' })).toEqual({ statements: [], added: [], widened: [] });
  });

  it('add no column of a guessed type to a table that lacks the member', async () => {
    const shape = tableShape(null, await schemaOf('{"id":1,"later":null}'), options);
    expect(evolutionPlan(table, [{ name: 'id', type: 'BIGINT' }], shape, { autoEvolve: true, quoting: 'always' }).statements).toEqual([]);
  });
});

/**
 * The JSON fast path (native JSON.parse) against the exact path (lossless-json) on tricky number
 * literals: whatever path a record takes, every consumer gets the same schema, the same value and
 * the same error. The exact path is forced by a member whose literal only it can read (`1.0`, an
 * integral fraction), which the compared field does not see.
 */
import type { Schema, SchemaAndValue } from '../record/schema';
import { SinkError } from '../errors';
import { ConnectJsonConverter } from './connect-json-converter';
import { parseJsonText } from './json-text';
import { variantJson } from '../dialect/value-text';

const LITERALS = [
  // Doubles as JavaScript prints them: 16 and 17 significant digits, exponents both ways.
  '0.30000000000000004', '2732.2810000000004', '39.85240536276251', '-123.45000000000001', '0.1', '4.35',
  '1.7976931348623157e308', '-1.7976931348623157e+308', '5e-324', '2.2250738585072014e-308', '1e-7', '-1.5e-10', '1E-7', '0.000001',
  '1e21', '1e+21', '1E3', '1e3', '1.5e3', '12.5e-1',
  // Zeros.
  '0', '-0', '0.0', '-0.0', '0e5', '-0e-5',
  // Integers around ±2^53 and ±2^63.
  '9007199254740991', '9007199254740992', '9007199254740993', '-9007199254740992', '-9007199254740993', '1000000000000000',
  '9223372036854775807', '-9223372036854775808', '9223372036854775808', '-9223372036854775809', '100000000000000000000',
  // Beyond a double: refused, not stored as ±inf or 0.
  '1e400', '-1e400', '1e-400', '-1e-400', '123e99999',
  // Fractions whose double is an integer: they must stay FLOAT64, never pass for integers.
  '1.0000000000000001', '0.99999999999999999', '12345678901234567.5', '9007199254740993.0', '1.00000000000000000000001e3',
  // Fractions close to, but not at, an integer; long literals a DECIMAL must read as written.
  '1.000000000000001', '0.9999999999999999', '1234567890123456.5', '0.1000000000000000055511151231257827', '3.14159265358979323846',
  '123456789012345678901234567890.5', '0.00000000000000000000000000000000000001', '-0.00000000000000001',
];

type Outcome = { schema?: Schema; value?: unknown; error?: string };

/** `field` of the converted struct; a VARIANT as the JSON text it is written as (an integer in it may be a number or a bigint). */
function outcome(run: () => SchemaAndValue | null | undefined, field: string): Outcome {
  try {
    const result = run();
    const fields = (result?.value as { fields: Record<string, unknown> }).fields;
    const schema = result!.schema.fields!.find((f) => f.name === field)?.schema;
    return { schema, value: schema?.logical?.kind === 'variant' ? variantJson(fields[field] as never) : fields[field] };
  } catch (err) {
    if (!(err instanceof SinkError)) throw err;
    return { error: `${err.code}: ${err.message}` };
  }
}

/** Object.is for numbers (-0 is not 0), deep for the rest. */
function expectSame(fast: Outcome, exact: Outcome, literal: string): void {
  expect({ literal, ...fast, value: typeof fast.value === 'number' ? String(Object.is(fast.value, -0) ? '-0' : fast.value) : fast.value }).toEqual({
    literal,
    ...exact,
    value: typeof exact.value === 'number' ? String(Object.is(exact.value, -0) ? '-0' : exact.value) : exact.value,
  });
}

const FORCE_EXACT = '"zz": 1.0';

describe('JSON fast path ≡ exact path', () => {
  it('takes the fast path for the doubles JSON.stringify writes and for integers up to 2^53', () => {
    const fast = ['0.30000000000000004', '39.85240536276251', '1e-7', '-1.5e-10', '9007199254740992', '-9007199254740992', '1234567890123456.5', '0.1000000000000000055511151231257827'];
    for (const literal of fast) expect([literal, parseJsonText(`{"x": ${literal}}`, 'data', false).integersAsNumbers]).toEqual([literal, true]);
    const exact = ['9007199254740993', '-0', '1e21', '1.0', '1e3', '1e400', '1e-400', '1.0000000000000001', '0.99999999999999999', '12345678901234567.5'];
    for (const literal of exact) expect([literal, parseJsonText(`{"x": ${literal}}`, 'data', false).integersAsNumbers]).toEqual([literal, false]);
  });

  it('keeps literals of more than 15 digits on the exact path when a DECIMAL may read them', () => {
    expect(parseJsonText('{"x": 0.30000000000000004}', 'data', true).integersAsNumbers).toBe(false);
    expect(parseJsonText('{"x": 1.5e-7}', 'data', true).integersAsNumbers).toBe(true);
    expect(parseJsonText('{"x": 123456.789}', 'data', true).integersAsNumbers).toBe(true);
  });

  it.each(LITERALS)('schemaless inference of %s: same type, value and error', (literal) => {
    const converter = new ConnectJsonConverter(false);
    const convert = (text: string) => () => converter.tryConvert('t', Buffer.from(text));
    expectSame(outcome(convert(`{"x": ${literal}}`), 'x'), outcome(convert(`{"x": ${literal}, ${FORCE_EXACT}}`), 'x'), literal);
    // Nested in a VARIANT: the same JSON.
    expectSame(outcome(convert(`{"v": {"x": [${literal}]}}`), 'v'), outcome(convert(`{"v": {"x": [${literal}]}, ${FORCE_EXACT}}`), 'v'), literal);
  });

  const SCHEMAS: Record<string, object> = {
    float64: { type: 'double', optional: true },
    float32: { type: 'float', optional: true },
    int64: { type: 'int64', optional: true },
    int32: { type: 'int32', optional: true },
    decimal: { type: 'bytes', optional: true, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '20' } },
  };

  it.each(Object.keys(SCHEMAS).flatMap((type) => LITERALS.map((literal) => [type, literal])))('Connect JSON %s field from %s: same value and error', (type, literal) => {
    const schema = { type: 'struct', optional: false, fields: [{ field: 'x', ...SCHEMAS[type] }] };
    const converter = new ConnectJsonConverter(true);
    const convert = (payload: string) => () => converter.tryConvert('t', Buffer.from(`{"schema":${JSON.stringify(schema)},"payload":${payload}}`));
    expectSame(outcome(convert(`{"x": ${literal}}`), 'x'), outcome(convert(`{"x": ${literal}, ${FORCE_EXACT}}`), 'x'), literal);
  });
});

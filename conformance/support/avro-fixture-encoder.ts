/**
 * Avro binary encoding of fixture values, written from the Avro specification instead of with avsc:
 * the sink under test may decode with avsc, and a shared library would hide a shared mistake. It
 * also lets fixtures state values avsc's defaults cannot carry (longs beyond 2^53, exact decimals).
 *
 * Fixture values are plain JSON, read by the schema at hand:
 * - int, long (and date, time-*, timestamp-*): a JSON number within 2^53, else a string of digits;
 * - float, double: a number, or "NaN", "Infinity", "-Infinity", "-0";
 * - bytes, fixed: lower- or upper-case hex; decimal (on bytes or fixed): decimal text ("-12.30");
 * - a union with one non-null branch: null or the branch's value; with several:
 *   null or `{"<branch>": value}`, the branch named by its type name (a named type: as its schema
 *   writes the name);
 * - record: an object; a field left out is its `null` default; enum: the symbol; array, map: as is.
 */
export type AvroSchema = string | AvroSchema[] | { type: AvroSchema; [attribute: string]: unknown };

type Complex = Exclude<AvroSchema, string | AvroSchema[]>;

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

export class AvroFixtureEncoder {
  private readonly named = new Map<string, Complex>();
  private chunks: Buffer[] = [];

  constructor(readonly schema: AvroSchema) {
    this.collectNames(schema, '');
  }

  /** The Confluent wire format: magic byte 0, the schema id (4 bytes, big-endian), the Avro body. */
  wire(schemaId: number, value: unknown): Buffer {
    const header = Buffer.alloc(5);
    header.writeInt32BE(schemaId, 1);
    this.chunks = [header];
    this.write(this.schema, value, '$');
    return joined(this.chunks);
  }

  private collectNames(schema: AvroSchema, namespace: string): void {
    if (Array.isArray(schema)) return schema.forEach((s) => this.collectNames(s, namespace));
    if (typeof schema === 'string') return;
    const { type } = schema;
    if (type === 'record' || type === 'error' || type === 'enum' || type === 'fixed') {
      const full = fullName(schema, namespace);
      this.named.set(full, schema);
      this.named.set(full.slice(full.lastIndexOf('.') + 1), schema);
      if (type === 'record' || type === 'error') {
        const inner = full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : '';
        for (const field of schema.fields as { type: AvroSchema }[]) this.collectNames(field.type, inner);
      }
      return;
    }
    if (type === 'array') return this.collectNames(schema.items as AvroSchema, namespace);
    if (type === 'map') return this.collectNames(schema.values as AvroSchema, namespace);
    this.collectNames(type, namespace);
  }

  private resolve(schema: AvroSchema): AvroSchema {
    if (typeof schema !== 'string' || PRIMITIVES.has(schema)) return schema;
    const found = this.named.get(schema);
    if (!found) throw new Error(`fixture schema: undefined name ${schema}`);
    return found;
  }

  private write(raw: AvroSchema, value: unknown, at: string): void {
    const schema = this.resolve(raw);
    if (Array.isArray(schema)) return this.writeUnion(schema, value, at);
    if (typeof schema === 'string') return this.writePrimitive(schema, undefined, value, at);
    const { type } = schema;
    switch (type) {
      case 'record':
      case 'error':
        return this.writeRecord(schema, value, at);
      case 'enum': {
        const symbols = schema.symbols as string[];
        const index = symbols.indexOf(value as string);
        if (index < 0) throw new Error(`${at}: ${JSON.stringify(value)} is not a symbol of ${String(schema.name)}`);
        return this.writeLong(BigInt(index));
      }
      case 'fixed': {
        const bytes = schema.logicalType === 'decimal' ? decimalBytes(schema, value, at, schema.size as number) : hexBytes(value, at);
        if (bytes.length !== schema.size) throw new Error(`${at}: fixed ${String(schema.name)} needs ${String(schema.size)} bytes, got ${bytes.length}`);
        return this.push(bytes);
      }
      case 'array':
        return this.writeBlocks(expectArray(value, at), (item, i) => this.write(schema.items as AvroSchema, item, `${at}[${i}]`));
      case 'map':
        return this.writeBlocks(Object.entries(expectObject(value, at)), ([key, item]) => {
          this.writeBytes(Buffer.from(key, 'utf8'));
          this.write(schema.values as AvroSchema, item, `${at}.${key}`);
        });
      default:
        if (typeof type === 'string' && PRIMITIVES.has(type)) return this.writePrimitive(type, schema, value, at);
        return this.write(type, value, at);
    }
  }

  private writeRecord(schema: Complex, value: unknown, at: string): void {
    const object = expectObject(value, at);
    const fields = schema.fields as { name: string; type: AvroSchema; default?: unknown }[];
    for (const key of Object.keys(object)) {
      if (!fields.some((f) => f.name === key)) throw new Error(`${at}: ${String(schema.name)} has no field ${key}`);
    }
    for (const field of fields) {
      const present = Object.prototype.hasOwnProperty.call(object, field.name);
      if (!present && field.default !== null) throw new Error(`${at}.${field.name}: missing, and its default is not null`);
      this.write(field.type, present ? object[field.name] : null, `${at}.${field.name}`);
    }
  }

  private writeUnion(branches: AvroSchema[], value: unknown, at: string): void {
    const nullIndex = branches.findIndex((b) => b === 'null');
    if (value === null) {
      if (nullIndex < 0) throw new Error(`${at}: null is not a branch of this union`);
      return this.writeLong(BigInt(nullIndex));
    }
    const nonNull = branches.map((b, i) => [b, i] as const).filter(([b]) => b !== 'null');
    if (nonNull.length === 1) {
      this.writeLong(BigInt(nonNull[0][1]));
      return this.write(nonNull[0][0], value, at);
    }
    const [name, inner] = Object.entries(expectObject(value, at))[0] ?? [];
    const index = branches.findIndex((b) => branchName(this.resolve(b)) === name);
    if (index < 0) throw new Error(`${at}: a union of several types needs {"<branch>": value}; ${String(name)} is not a branch`);
    this.writeLong(BigInt(index));
    this.write(branches[index], inner, `${at}.${name}`);
  }

  private writePrimitive(type: string, schema: Complex | undefined, value: unknown, at: string): void {
    switch (type) {
      case 'null':
        if (value !== null) throw new Error(`${at}: expected null`);
        return;
      case 'boolean':
        if (typeof value !== 'boolean') throw new Error(`${at}: expected a boolean`);
        return this.push(Buffer.from([value ? 1 : 0]));
      case 'int':
        return this.writeLong(integer(value, INT32_MIN, INT32_MAX, at));
      case 'long':
        return this.writeLong(integer(value, INT64_MIN, INT64_MAX, at));
      case 'float': {
        const buf = Buffer.alloc(4);
        buf.writeFloatLE(float(value, at));
        return this.push(buf);
      }
      case 'double': {
        const buf = Buffer.alloc(8);
        buf.writeDoubleLE(float(value, at));
        return this.push(buf);
      }
      case 'bytes':
        return this.writeBytes(schema?.logicalType === 'decimal' ? decimalBytes(schema, value, at) : hexBytes(value, at));
      case 'string':
        if (typeof value !== 'string') throw new Error(`${at}: expected a string`);
        return this.writeBytes(Buffer.from(value, 'utf8'));
    }
  }

  private writeBlocks<T>(items: T[], writeItem: (item: T, index: number) => void): void {
    if (items.length > 0) {
      this.writeLong(BigInt(items.length));
      items.forEach(writeItem);
    }
    this.writeLong(0n);
  }

  private writeBytes(bytes: Buffer): void {
    this.writeLong(BigInt(bytes.length));
    this.push(bytes);
  }

  /** Zig-zag, then base-128 varint, least significant group first. */
  private writeLong(n: bigint): void {
    let z = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
    const out: number[] = [];
    do {
      let byte = Number(z & 0x7fn);
      z >>= 7n;
      if (z > 0n) byte |= 0x80;
      out.push(byte);
    } while (z > 0n);
    this.push(Buffer.from(out));
  }

  private push(bytes: Buffer): void {
    this.chunks.push(bytes);
  }
}

/** `Buffer.concat`, which this project's Node typings reject for `Buffer[]` under TypeScript 6. */
function joined(chunks: Buffer[]): Buffer {
  const out = Buffer.alloc(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function fullName(schema: Complex, namespace: string): string {
  const name = String(schema.name);
  if (name.includes('.')) return name;
  const ns = typeof schema.namespace === 'string' ? schema.namespace : namespace;
  return ns ? `${ns}.${name}` : name;
}

function branchName(schema: AvroSchema): string {
  if (typeof schema === 'string') return schema;
  if (Array.isArray(schema)) throw new Error('fixture schema: a union directly inside a union');
  if (typeof schema.name === 'string') return schema.name;
  return branchName(schema.type);
}

function expectObject(value: unknown, at: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${at}: expected an object`);
  return value as Record<string, unknown>;
}

function expectArray(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${at}: expected an array`);
  return value;
}

function integer(value: unknown, min: bigint, max: bigint, at: string): bigint {
  let n: bigint;
  if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^-?\d+$/.test(value)) n = BigInt(value);
  else throw new Error(`${at}: expected an integer within 2^53, or one as a string (got ${JSON.stringify(value)})`);
  if (n < min || n > max) throw new Error(`${at}: ${n} is outside ${min} … ${max}`);
  return n;
}

const SPECIAL_FLOATS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

function float(value: unknown, at: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value in SPECIAL_FLOATS) return SPECIAL_FLOATS[value];
  throw new Error(`${at}: expected a number or one of ${Object.keys(SPECIAL_FLOATS).join(', ')}`);
}

function hexBytes(value: unknown, at: string): Buffer {
  if (typeof value !== 'string' || !/^([0-9a-f]{2})*$/i.test(value)) throw new Error(`${at}: expected hex text`);
  return Buffer.from(value, 'hex');
}

/** Decimal text → two's-complement big-endian unscaled value (minimal length, or `size` bytes). */
function decimalBytes(schema: Complex, value: unknown, at: string, size?: number): Buffer {
  const scale = (schema.scale as number | undefined) ?? 0;
  const precision = schema.precision as number;
  const match = typeof value === 'string' ? /^(-?)(\d+)(?:\.(\d+))?$/.exec(value) : null;
  if (!match || (match[3] ?? '').length > scale) throw new Error(`${at}: expected decimal text with at most ${scale} fraction digits`);
  const digits = (match[2] + (match[3] ?? '').padEnd(scale, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > precision) throw new Error(`${at}: ${value as string} has more than ${precision} digits`);
  const unscaled = BigInt(match[1] + digits);
  let length = size ?? 1;
  while (size === undefined && (unscaled < -(2n ** BigInt(8 * length - 1)) || unscaled >= 2n ** BigInt(8 * length - 1))) length++;
  let bits = BigInt.asUintN(8 * length, unscaled);
  if (BigInt.asIntN(8 * length, bits) !== unscaled) throw new Error(`${at}: ${value as string} does not fit ${length} bytes`);
  const out = Buffer.alloc(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(bits & 0xffn);
    bits >>= 8n;
  }
  return out;
}

/**
 * JSON Schema (as Confluent's JsonSchemaConverter registers it, or written by hand) → `Schema`.
 *
 * | JSON Schema | Schema |
 * |---|---|
 * | object with `properties` | STRUCT; fields in `connect.index` order, else text order; a property not in `required` is optional |
 * | object with only `additionalProperties: {…}`, or `connect.type: map` | MAP (STRING keys) |
 * | array with `connect.type: map` and `{key, value}` items | MAP with those key and value types |
 * | array (`items`: one schema) | ARRAY |
 * | integer | INT64; `connect.type` int8 / int16 / int32 narrows it |
 * | number | FLOAT64; `connect.type` float32 → FLOAT32 |
 * | string | STRING; `connect.type` bytes → BYTES (base64); `format: uuid` → uuid; other formats (date, date-time, time, …) stay STRING, text kept as written |
 * | string `enum` | STRING, logical enum |
 * | boolean | BOOLEAN |
 * | `title` org.apache.kafka.connect.data.Decimal / Date / Time / Timestamp | the Connect logical type (`connect.parameters` scale and `connect.decimal.precision`, 38 when absent) |
 * | `oneOf` / `anyOf` / `type` list of null and one type | that type, optional |
 * | several non-null alternatives, `{}`, `true`, free-form object, tuple arrays, recursion | variant |
 * | `$ref` | local pointers (`#/definitions/…`, `#/$defs/…`) and Confluent schema references by name |
 * `default` becomes the schema default; `title` of a struct becomes its name.
 */
import type { Field, LogicalType, Schema } from '../record/schema';
import { fieldPath, undecodable } from './converter-errors';
import { DECIMAL_NAME, DEFAULT_DECIMAL_PRECISION } from './connect-json-schema';
import { isJsonObject, type JsonObject, type JsonValue } from './json-text';
import { convertJsonDefault } from './json-value-conversion';

const VARIANT: Schema = Object.freeze({ type: 'STRING', optional: false, logical: Object.freeze({ kind: 'variant' }) }) as Schema;

const TITLED_LOGICAL: { [title: string]: [string, Schema['type'], LogicalType] } = {
  'org.apache.kafka.connect.data.Date': ['integer', 'INT32', { kind: 'date' }],
  'org.apache.kafka.connect.data.Time': ['integer', 'INT32', { kind: 'time', unit: 'millis' }],
  'org.apache.kafka.connect.data.Timestamp': ['integer', 'INT64', { kind: 'timestamp', unit: 'millis', local: false }],
};

/** `references`: Confluent schema references, by the name `$ref` uses, already parsed. */
export function translateJsonSchema(root: JsonValue, references: ReadonlyMap<string, JsonValue> = new Map()): Schema {
  return new JsonSchemaTranslator(root, references).translate(root, '', new Set());
}

class JsonSchemaTranslator {
  constructor(
    private readonly root: JsonValue,
    private readonly references: ReadonlyMap<string, JsonValue>,
  ) {}

  translate(node: JsonValue, path: string, refs: Set<string>): Schema {
    const schema = this.translateNode(node, path, refs);
    if (isJsonObject(node) && node.default !== undefined) {
      return { ...schema, defaultValue: convertJsonDefault(schema, node.default, path) };
    }
    return schema;
  }

  private translateNode(node: JsonValue, path: string, refs: Set<string>): Schema {
    if (node === true || (isJsonObject(node) && Object.keys(node).length === 0)) return VARIANT;
    if (!isJsonObject(node)) throw invalid(path, 'is not a schema object');
    if (typeof node.$ref === 'string') return this.reference(node.$ref, path, refs);

    const alternatives = node.oneOf ?? node.anyOf;
    if (Array.isArray(alternatives)) return this.alternatives(alternatives, path, refs);
    if (Array.isArray(node.allOf)) return node.allOf.length === 1 ? this.translate(node.allOf[0], path, refs) : VARIANT;

    let type = node.type;
    let optional = false;
    if (Array.isArray(type)) {
      const nonNull = type.filter((t) => t !== 'null');
      optional = nonNull.length < type.length;
      if (nonNull.length !== 1) return nonNull.length === 0 ? nullOnly() : { ...VARIANT, optional };
      type = nonNull[0];
    }
    if (type === undefined) {
      if (Array.isArray(node.enum) && node.enum.every((s) => typeof s === 'string')) type = 'string';
      else if (isJsonObject(node.properties)) type = 'object';
      else return VARIANT;
    }
    const schema = this.typed(node, type, path, refs);
    return optional ? { ...schema, optional: true } : schema;
  }

  private typed(node: JsonObject, type: JsonValue, path: string, refs: Set<string>): Schema {
    const connectType = node['connect.type'];
    const title = typeof node.title === 'string' ? node.title : undefined;
    if (title === DECIMAL_NAME && (type === 'number' || type === 'string' || type === 'integer')) {
      return { type: 'BYTES', optional: false, name: title, logical: decimalOf(node, path) };
    }
    const titled = title !== undefined ? TITLED_LOGICAL[title] : undefined;
    if (titled && titled[0] === type) return { type: titled[1], optional: false, name: title, logical: titled[2] };
    switch (type) {
      case 'null':
        return nullOnly();
      case 'boolean':
        return { type: 'BOOLEAN', optional: false };
      case 'integer':
        return { type: connectType === 'int8' ? 'INT8' : connectType === 'int16' ? 'INT16' : connectType === 'int32' ? 'INT32' : 'INT64', optional: false };
      case 'number':
        return { type: connectType === 'float32' ? 'FLOAT32' : 'FLOAT64', optional: false };
      case 'string':
        if (connectType === 'bytes') return { type: 'BYTES', optional: false };
        if (Array.isArray(node.enum) && node.enum.every((s) => typeof s === 'string')) {
          return { type: 'STRING', optional: false, logical: { kind: 'enum', symbols: node.enum as string[] } };
        }
        return node.format === 'uuid' ? { type: 'STRING', optional: false, logical: { kind: 'uuid' } } : { type: 'STRING', optional: false };
      case 'array':
        return this.array(node, path, refs);
      case 'object':
        return this.object(node, title, path, refs);
      default:
        throw invalid(path, `has unknown type ${typeof type === 'string' ? type : '(not a string)'}`);
    }
  }

  private array(node: JsonObject, path: string, refs: Set<string>): Schema {
    const items = node.items;
    if (node['connect.type'] === 'map' && isJsonObject(items) && isJsonObject(items.properties)) {
      const { key, value } = items.properties;
      if (key !== undefined && value !== undefined) {
        return { type: 'MAP', optional: false, keys: this.translate(key, `${path} key`, refs), values: this.translate(value, `${path}[]`, refs) };
      }
    }
    if (items === undefined || Array.isArray(items)) return VARIANT;
    return { type: 'ARRAY', optional: false, items: this.translate(items, `${path}[]`, refs) };
  }

  private object(node: JsonObject, title: string | undefined, path: string, refs: Set<string>): Schema {
    const properties = node.properties;
    const additional = node.additionalProperties;
    if (!isJsonObject(properties) || (node['connect.type'] === 'map' && Object.keys(properties).length === 0)) {
      if (isJsonObject(additional) && Object.keys(additional).length > 0) {
        return { type: 'MAP', optional: false, keys: { type: 'STRING', optional: false }, values: this.translate(additional, `${path}[]`, refs) };
      }
      return VARIANT;
    }
    const required = new Set(Array.isArray(node.required) ? node.required.filter((r): r is string => typeof r === 'string') : []);
    const names = Object.keys(properties);
    const index = (name: string): number => {
      const p = properties[name];
      const i = isJsonObject(p) ? p['connect.index'] : undefined;
      return typeof i === 'bigint' || (typeof i === 'number' && Number.isInteger(i)) ? Number(i) : Number.MAX_SAFE_INTEGER;
    };
    const ordered = names.map((name, position) => ({ name, position, index: index(name) })).sort((a, b) => a.index - b.index || a.position - b.position);
    const fields: Field[] = ordered.map(({ name }) => {
      const schema = this.translate(properties[name], fieldPath(path, name), refs);
      return { name, schema: required.has(name) || schema.optional ? schema : { ...schema, optional: true } };
    });
    const schema: Schema = { type: 'STRUCT', optional: false, fields };
    if (title !== undefined) schema.name = title;
    return schema;
  }

  private alternatives(alternatives: JsonValue[], path: string, refs: Set<string>): Schema {
    const nonNull = alternatives.filter((a) => !(isJsonObject(a) && a.type === 'null'));
    const optional = nonNull.length < alternatives.length;
    if (nonNull.length === 0) return nullOnly();
    if (nonNull.length > 1) return { ...VARIANT, optional };
    const schema = this.translate(nonNull[0], path, refs);
    return optional ? { ...schema, optional: true } : schema;
  }

  private reference(ref: string, path: string, refs: Set<string>): Schema {
    if (refs.has(ref)) return VARIANT; // recursive: JSON from here on
    const hash = ref.indexOf('#');
    const document = hash < 0 ? ref : ref.slice(0, hash);
    const pointer = hash < 0 ? '' : ref.slice(hash + 1);
    const base = document === '' ? this.root : this.references.get(document);
    if (base === undefined) throw invalid(path, `refers to ${ref}, which is neither local nor a schema reference`);
    const target = resolvePointer(base, pointer);
    if (target === undefined) throw invalid(path, `refers to ${ref}, which does not exist`);
    const inner = new Set(refs).add(ref);
    return this.translate(target, path, inner);
  }
}

function nullOnly(): Schema {
  return { type: 'STRING', optional: true };
}

function decimalOf(node: JsonObject, path: string): LogicalType {
  const params = isJsonObject(node['connect.parameters']) ? (node['connect.parameters'] as JsonObject) : {};
  const scale = integerOf(params.scale);
  if (scale === undefined) throw invalid(path, 'is a Decimal without an integer "scale" in connect.parameters');
  return { kind: 'decimal', precision: integerOf(params['connect.decimal.precision']) ?? DEFAULT_DECIMAL_PRECISION, scale };
}

function integerOf(v: JsonValue | undefined): number | undefined {
  if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) return Number(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** RFC 6901 pointer ("" = the document). */
function resolvePointer(doc: JsonValue, pointer: string): JsonValue | undefined {
  if (pointer === '' || pointer === '/') return doc;
  let node: JsonValue | undefined = doc;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isJsonObject(node)) node = Object.prototype.hasOwnProperty.call(node, token) ? node[token] : undefined;
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

function invalid(path: string, problem: string) {
  return undecodable(`JSON schema${path ? ` of ${path}` : ''} ${problem}`);
}

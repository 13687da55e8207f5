/**
 * Everything that describes the config to the outside, derived only from the declarations in
 * config-definitions.ts (and, for the validate response, from validateConfig): the JSON Schema,
 * Kafka Connect's definition list and validate response, the CONFIG.md reference and the list of
 * sensitive keys.
 */
import {
  CONFIG_GROUPS,
  CONFIG_KEYS,
  CONFIG_PATTERNS,
  CONNECTOR_CLASS,
  CONNECTOR_CLASSES,
  CROSS_KEY_RULES,
  EXACTLY_ONE_OF,
  IGNORED_KEYS,
  SUPPORTED_CONVERTERS,
  configKey,
  displayValue,
  type ConfigKeyDefinition,
  type ConfigLookup,
} from './config-definitions';
import { describeRange, validateConfig, type ConfigProblem, type ValidateOptions } from './validate-config';

// ---- JSON Schema ----------------------------------------------------------------------------------

type JsonSchema = Record<string, unknown>;

function typedDefault(def: ConfigKeyDefinition): unknown {
  if (def.defaultValue === null) return undefined;
  switch (def.type) {
    case 'INT':
    case 'LONG':
    case 'DOUBLE':
      return Number(def.defaultValue);
    case 'BOOLEAN':
      return def.defaultValue === 'true';
    default:
      return def.defaultValue;
  }
}

function propertySchema(def: ConfigKeyDefinition): JsonSchema {
  const s: JsonSchema = { title: def.displayName, description: describeKey(def) };
  switch (def.type) {
    case 'INT':
    case 'LONG':
      // Connect values are strings; JSON files may also hold numbers. Ranges apply to the number form.
      Object.assign(s, { type: ['integer', 'string'], pattern: '^\\s*[+-]?\\d+\\s*$' });
      break;
    case 'DOUBLE':
      Object.assign(s, { type: ['number', 'string'] });
      break;
    case 'BOOLEAN':
      Object.assign(s, { type: ['boolean', 'string'], pattern: '^\\s*(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])\\s*$' });
      break;
    case 'LIST':
      Object.assign(s, { type: ['string', 'array'], items: { type: 'string' } });
      break;
    default:
      s.type = 'string';
  }
  const v = def.validator;
  if (v?.kind === 'enum') s.enum = [...v.values];
  if (v?.kind === 'range') {
    if (v.min !== undefined) s.minimum = v.min;
    if (v.max !== undefined) s.maximum = v.max;
  }
  if (def.required) s.minLength = 1;
  const d = typedDefault(def);
  if (d !== undefined) s.default = d;
  if (def.sensitive) s.writeOnly = true;
  Object.assign(s, { 'x-type': def.type, 'x-importance': def.importance, 'x-group': def.group, 'x-order': def.orderInGroup });
  return s;
}

/** JSON Schema (draft 2020-12) of the flat connector config map. */
export function configJsonSchema(): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:databend-kafka-sink:connector-config',
    title: 'Databend sink connector config',
    description:
      'Flat map of Kafka Connect config keys. Values are strings as in Kafka Connect (numbers and booleans are accepted too). Enum values are matched case-insensitively by the sink; the schema lists their canonical spelling. Unknown keys are allowed (the sink warns about them).',
    type: 'object',
    properties: Object.fromEntries(CONFIG_KEYS.map((def) => [def.name, propertySchema(def)])),
    patternProperties: Object.fromEntries(
      CONFIG_PATTERNS.map((p) => [`^${p.prefix.replace(/\./g, '\\.')}`, { type: ['string', 'number', 'boolean'], description: p.documentation, 'x-group': p.group }]),
    ),
    required: CONFIG_KEYS.filter((k) => k.required).map((k) => k.name),
    allOf: EXACTLY_ONE_OF.map((keys) => ({
      oneOf: keys.map((k) => ({ required: [k], properties: { [k]: { minLength: 1, minItems: 1 } } })),
    })),
    additionalProperties: true,
  };
}

// ---- Kafka Connect definitions --------------------------------------------------------------------

export interface ConfigKeyInfo {
  name: string;
  type: string;
  required: boolean;
  default_value: string | null;
  importance: string;
  documentation: string;
  group: string;
  order: number;
  width: string;
  display_name: string;
  dependents: string[];
}

function keyInfo(def: ConfigKeyDefinition): ConfigKeyInfo {
  return {
    name: def.name,
    type: def.type,
    required: def.required,
    default_value: def.defaultValue,
    importance: def.importance,
    documentation: def.documentation,
    group: def.group,
    order: def.orderInGroup,
    width: def.width,
    display_name: def.displayName,
    dependents: [...def.dependents],
  };
}

/** The keys as Kafka Connect's `GET /connector-plugins/{class}/config` lists them. */
export function configDefinitions(): ConfigKeyInfo[] {
  return CONFIG_KEYS.map(keyInfo);
}

// ---- Kafka Connect validate response -------------------------------------------------------------

export interface ConfigValueInfo {
  name: string;
  value: string | null;
  recommended_values: string[];
  errors: string[];
  visible: boolean;
}

export interface ValidateResponse {
  /** The connector class, as Kafka Connect reports it. */
  name: string;
  error_count: number;
  groups: string[];
  configs: { definition: ConfigKeyInfo; value: ConfigValueInfo }[];
}

function recommendedValues(def: ConfigKeyDefinition): string[] {
  if (def.validator?.kind === 'enum') return [...def.validator.values];
  if (def.name === 'key.converter' || def.name === 'value.converter') return [...SUPPORTED_CONVERTERS];
  if (def.name === 'connector.class') return [...CONNECTOR_CLASSES];
  if (def.type === 'BOOLEAN') return ['true', 'false'];
  return [];
}

/**
 * Kafka Connect's `PUT /connector-plugins/{class}/config/validate` answer for a raw config:
 * one entry per declared key (plus any undeclared key that has a problem), sensitive values
 * shown as `[hidden]`, every problem listed under its key.
 */
export function validateResponse(raw: Readonly<Record<string, string>>, options: ValidateOptions = {}): ValidateResponse & { warnings: ConfigProblem[]; notes: ConfigProblem[] } {
  const { problems, warnings, notes } = validateConfig(raw, options);
  const configured = (key: string): string | undefined => raw[key] ?? (key === 'name' ? options.name : undefined);
  const lookup: ConfigLookup = (key) => configured(key) ?? configKey(key)?.defaultValue ?? undefined;
  const errorsOf = (key: string) => problems.filter((p) => p.key === key).map((p) => p.message);
  const configs = CONFIG_KEYS.map((def) => ({
    definition: keyInfo(def),
    value: {
      name: def.name,
      value: displayValue(def.name, configured(def.name) ?? def.defaultValue),
      recommended_values: recommendedValues(def),
      errors: errorsOf(def.name),
      visible: def.visibleWhen ? def.visibleWhen(lookup) : true,
    },
  }));
  const undeclared = [...new Set(problems.map((p) => p.key).filter((k) => !configKey(k)))];
  for (const key of undeclared) {
    const group = CONFIG_PATTERNS.find((p) => key.startsWith(p.prefix))?.group ?? 'Common';
    configs.push({
      definition: {
        name: key,
        type: 'STRING',
        required: false,
        default_value: null,
        importance: 'LOW',
        documentation: CONFIG_PATTERNS.find((p) => key.startsWith(p.prefix))?.documentation ?? '',
        group,
        order: 0,
        width: 'NONE',
        display_name: key,
        dependents: [],
      },
      value: { name: key, value: displayValue(key, raw[key]), recommended_values: [], errors: errorsOf(key), visible: true },
    });
  }
  return {
    name: CONNECTOR_CLASS,
    error_count: problems.length,
    groups: CONFIG_GROUPS.filter((g) => configs.some((c) => c.definition.group === g)),
    configs,
    warnings,
    notes,
  };
}

// ---- CONFIG.md --------------------------------------------------------------------------------------

/** Valid values of a key in words, for the docs. */
export function allowedValues(def: ConfigKeyDefinition): string {
  const v = def.validator;
  if (v?.kind === 'enum') return `${v.values.join(', ')} (case-insensitive)`;
  if (v?.kind === 'range') return describeRange(v);
  if (v?.kind === 'custom') return v.allowed;
  switch (def.type) {
    case 'BOOLEAN':
      return 'true, false';
    case 'LIST':
      return 'comma-separated list';
    case 'INT':
      return 'integer';
    case 'LONG':
      return 'integer';
    case 'DOUBLE':
      return 'number';
    default:
      return 'any string';
  }
}

function describeKey(def: ConfigKeyDefinition): string {
  return `${def.documentation} Valid values: ${allowedValues(def)}.`;
}

function defaultText(def: ConfigKeyDefinition): string {
  if (def.defaultDescription) return def.defaultDescription;
  if (def.required) return '– (required)';
  if (def.defaultValue === null) return 'unset';
  if (def.defaultValue === '') return '"" (empty)';
  return `\`${def.defaultValue}\``;
}

/** Markdown prose: keep `*`, `<…>` and leading `_` literal (backticked spans are left alone). */
const md = (s: string) =>
  s
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') ? part : part.replace(/([*<])/g, '\\$1').replace(/(^|[^\w\\])_/g, '$1\\_')))
    .join('');
const cell = (s: string) => md(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const anchor = (s: string) => s.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');

/** The generated reference, docs/CONFIG.md. */
export function configMarkdown(): string {
  const out: string[] = [];
  out.push('# Configuration reference', '');
  out.push('<!-- Generated from src/config/config-definitions.ts by `npm run docs:config`. Do not edit by hand: a unit test fails when this file is stale. -->', '');
  out.push(
    'A connector config is a flat map of string keys to string values, as Kafka Connect uses. Give it as JSON — flat, or Confluent\'s ' +
      '`{"name": …, "config": {…}}` shape — or as a Java `.properties` file. In JSON, numbers and booleans may be written bare; a list of scalars ' +
      'becomes a comma-separated value; `null` leaves a key unset.',
    '',
    '`databend-sink validate --config <file>` reports every problem at once, each with the key, the value (sensitive values as `[hidden]`) and ' +
      'what is allowed; it exits 0 when the config is valid and 2 when it is not. A key that is neither declared here nor in the families and lists below is an error, ' +
      'with the closest known key suggested ("did you mean"). Enum values are case-insensitive.',
    '',
  );
  out.push('## Groups', '');
  for (const g of CONFIG_GROUPS) out.push(`- [${g}](#${anchor(g)})`);
  out.push('- [Key families](#key-families)', '- [Accepted and ignored keys](#accepted-and-ignored-keys)', '- [Rules across keys](#rules-across-keys)', '- [Sensitive keys](#sensitive-keys)', '');
  for (const g of CONFIG_GROUPS) {
    const keys = CONFIG_KEYS.filter((k) => k.group === g);
    out.push(`## ${g}`, '');
    out.push('| key | type | default | valid values | importance |', '|---|---|---|---|---|');
    for (const k of keys) out.push(`| [\`${k.name}\`](#${anchor(k.name)}) | ${k.type} | ${cell(defaultText(k))} | ${cell(allowedValues(k))} | ${k.importance} |`);
    out.push('');
    for (const k of keys) {
      out.push(`### \`${k.name}\``, '');
      out.push(`**${md(k.displayName)}.** ${md(k.documentation)}`, '');
      out.push(`- Type: ${k.type}${k.sensitive ? ' (sensitive: never printed, logged or written)' : ''}`);
      out.push(`- Required: ${k.required ? 'yes' : 'no'}`);
      out.push(`- Default: ${md(defaultText(k))}`);
      out.push(`- Valid values: ${md(allowedValues(k))}`);
      out.push(`- Importance: ${k.importance}`);
      if (k.dependents.length > 0) out.push(`- Dependents: ${k.dependents.map((d) => `\`${d}\``).join(', ')}`);
      out.push('');
    }
  }
  out.push('## Key families', '');
  for (const p of CONFIG_PATTERNS) out.push(`- \`${p.pattern}\` (${p.group}): ${md(p.documentation)}`);
  out.push('');
  out.push('## Accepted and ignored keys', '', 'These Kafka Connect keys are accepted with a warning and have no effect:', '');
  for (const [key, reason] of Object.entries(IGNORED_KEYS)) out.push(`- \`${key}\`: ${md(reason)}.`);
  out.push('', 'Any other key is an error ("not a key of this sink nor of the Java connector"), with "did you mean" naming the closest known key.', '');
  out.push('## Rules across keys', '');
  for (const rule of CROSS_KEY_RULES) out.push(`- ${rule}`);
  out.push('');
  out.push('## Sensitive keys', '', 'Shown as `[hidden]` everywhere (validate output, logs, dead letter queue headers):', '');
  for (const k of sensitiveKeys()) out.push(`- \`${k}\``);
  out.push(
    '',
    'Any other key whose name mentions a password, secret, token, credential, JAAS or user info is masked as well, and passwords inside URLs ' +
      '(`//user:password@host`, `?password=`) are hidden in every value shown.',
    '',
  );
  return out.join('\n');
}

/** Every declared sensitive key (PASSWORD keys and keys carrying credentials), for upload metadata. */
export function sensitiveKeys(): string[] {
  return CONFIG_KEYS.filter((k) => k.sensitive).map((k) => k.name);
}

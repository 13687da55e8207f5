/**
 * Reads a connector config file into the flat string map Kafka Connect uses. Two formats:
 * - JSON (`.json`, or any file whose first non-blank character is `{`): a flat object, or
 *   Confluent's `{"name": …, "config": {…}}`. Numbers and booleans become strings as written
 *   (`10000`, `true`); an array of scalars becomes a comma-separated list; `null` leaves the key
 *   unset; an object value is an error.
 * - Java `.properties` (anything else): `=`, `:` or whitespace separators, `#`/`!` comments, line
 *   continuations and `\` escapes including `\uXXXX`, parsed by properties-file. A repeated key
 *   keeps its last value, as in Java, and is reported in `duplicateKeys`.
 * Errors are SinkError CONFIG_INVALID naming the file (and the line for .properties syntax).
 * Neither the file's text nor any value is ever put into an error message.
 */
import * as fs from 'node:fs';
import { Properties } from 'properties-file/parser';
import { SinkError } from '../errors';

export interface LoadedConfig {
  /** The outer `name` of the `{"name", "config"}` shape. */
  name?: string;
  raw: Record<string, string>;
  /** Keys given more than once in a .properties file (the last one wins). */
  duplicateKeys: string[];
}

export function loadConfig(file: string): LoadedConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SinkError('CONFIG_INVALID', `${file}: cannot read the config file (${code ?? (err as Error).message})`, undefined, { cause: err });
  }
  return parseConfigText(text, file);
}

/** Parses file contents; `file` names the source in errors and picks the format by extension. */
export function parseConfigText(text: string, file: string): LoadedConfig {
  const body = text.replace(/^\uFEFF/, '');
  const isJson = /\.json$/i.test(file) || (!/\.properties$/i.test(file) && body.trimStart().startsWith('{'));
  return isJson ? parseJsonConfig(body, file) : parsePropertiesConfig(body, file);
}

function fail(file: string, message: string): never {
  throw new SinkError('CONFIG_INVALID', `${file}: ${message}`);
}

function parseJsonConfig(text: string, file: string): LoadedConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    // V8 reports a position ("at position 12"); turn it into a line, never echo the text.
    const pos = /position (\d+)/.exec((err as Error).message);
    const where = pos ? ` at line ${text.slice(0, Number(pos[1])).split('\n').length}` : '';
    fail(file, `is not valid JSON${where}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail(file, 'must hold a JSON object (flat, or {"name": …, "config": {…}})');
  const top = doc as Record<string, unknown>;
  const wrapped = typeof top.config === 'object' && top.config !== null && !Array.isArray(top.config);
  if (!wrapped && 'config' in top) fail(file, '"config" must be an object of connector keys');
  let name: string | undefined;
  if (wrapped) {
    const others = Object.keys(top).filter((k) => k !== 'name' && k !== 'config');
    if (others.length > 0) fail(file, `unexpected top-level key(s) ${others.map((k) => JSON.stringify(k)).join(', ')} beside "name" and "config"`);
    if (top.name !== undefined && typeof top.name !== 'string') fail(file, '"name" must be a string');
    name = top.name as string | undefined;
  }
  const entries = wrapped ? (top.config as Record<string, unknown>) : top;
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(entries)) {
    const s = toConfigString(value);
    if (s === undefined) fail(file, `value of ${JSON.stringify(key)} must be a string, number, boolean or list of them`);
    if (s !== null) raw[key] = s;
  }
  return { ...(name !== undefined ? { name } : {}), raw, duplicateKeys: [] };
}

/** Kafka Connect values are strings; null = unset, undefined = not representable. */
function toConfigString(value: unknown): string | null | undefined {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return value.map(String).join(',');
  return undefined;
}

function parsePropertiesConfig(text: string, file: string): LoadedConfig {
  let props: Properties;
  try {
    props = new Properties(text);
  } catch {
    const line = findMalformedEscapeLine(text);
    fail(file, `${line !== undefined ? `line ${line}: ` : ''}malformed \\uXXXX escape (expected four hex digits)`);
  }
  const raw: Record<string, string> = {};
  for (const node of props.getProperties()) {
    if (node.key === '') fail(file, `line ${node.startingLineNumber}: a property has an empty key`);
    raw[node.key] = node.value;
  }
  return { raw, duplicateKeys: props.getKeyCollisions().map((c) => c.key) };
}

/**
 * The 1-based line of the first `\u` escape without four hex digits, outside comment lines.
 * (properties-file reports the escape but not where it is.)
 */
export function findMalformedEscapeLine(text: string): number | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  let continued = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const isComment: boolean = !continued && /^[ \t\f]*[#!]/.test(line);
    if (!isComment) {
      for (let j = 0; j < line.length; j++) {
        if (line[j] !== '\\') continue;
        if (line[j + 1] === 'u' && !/^[0-9a-fA-F]{4}$/.test(line.slice(j + 2, j + 6))) return i + 1;
        j++; // skip the escaped character
      }
    }
    const trailing = /\\*$/.exec(line)?.[0].length ?? 0;
    continued = !isComment && trailing % 2 === 1;
  }
  return undefined;
}

/**
 * A registered Protobuf schema (the .proto text, its schema references and the well-known files a
 * Confluent registry resolves by itself) parsed with protobufjs into one resolved `Root`, and the
 * map from Confluent's message indexes to the message types of the registered file.
 *
 * Imports are resolved by name: a schema reference of that name first (its text comes from the
 * registry, `schema-registry-client.ts`), else protobufjs's copy of the google/protobuf well-known
 * files, else `google/type/date.proto` below. Any other import is left alone: a file imported
 * only for its options (Confluent's `confluent/meta.proto`) is not needed to decode, and a type
 * that is really missing makes resolution fail, naming it.
 */
import * as protobuf from 'protobufjs';
import type { RegisteredSchema } from './schema-registry-client';

/** Field names as written in the .proto (protobufjs would camelCase them): they name the columns. */
const PARSE_OPTIONS: protobuf.IParseOptions = { keepCase: true };

/** google/type files the sink knows without a reference (Confluent's registry ships these built in). */
const GOOGLE_TYPE_FILES: Readonly<Record<string, string>> = {
  'google/type/date.proto': 'syntax = "proto3";\npackage google.type;\nmessage Date {\n  int32 year = 1;\n  int32 month = 2;\n  int32 day = 3;\n}\n',
};

export interface ProtobufFile {
  /** Every type of the schema, its references and the well-known files, resolved. */
  readonly root: protobuf.Root;
  /** The message type a message-index path names, or undefined when the file has none there. */
  messageAt(indexes: readonly number[]): protobuf.Type | undefined;
  /** Full names of the file's top-level messages, for messages. */
  readonly topLevelNames: readonly string[];
}

/** Throws what protobufjs throws for text that does not parse or types that do not resolve. */
export function parseProtobufSchema(registered: RegisteredSchema): ProtobufFile {
  // The registered file alone: its declaration order is what message indexes count.
  const own = protobuf.parse(registered.schema, new protobuf.Root(), PARSE_OPTIONS);
  const ownPackage = own.package ? own.root.lookup(own.package) : own.root;
  const topLevel = ownPackage instanceof protobuf.Namespace ? messagesIn(ownPackage) : [];

  const root = new protobuf.Root();
  const referenced = new Set(registered.references.map((r) => r.name));
  const imports = new Set<string>();
  for (const ref of registered.references) addImports(imports, protobuf.parse(ref.schema, root, PARSE_OPTIONS));
  addImports(imports, protobuf.parse(registered.schema, root, PARSE_OPTIONS));
  for (const file of imports) {
    if (referenced.has(file)) continue;
    const wellKnown = protobuf.common.get(file);
    if (wellKnown) root.addJSON(wellKnown.nested ?? {});
    else if (GOOGLE_TYPE_FILES[file] !== undefined) protobuf.parse(GOOGLE_TYPE_FILES[file], root, PARSE_OPTIONS);
  }
  root.resolveAll();

  return {
    root,
    topLevelNames: topLevel.map((t) => t.fullName.slice(1)),
    messageAt(indexes) {
      let candidates = topLevel;
      let found: protobuf.Type | undefined;
      for (const index of indexes) {
        found = candidates[index];
        if (found === undefined) return undefined;
        candidates = messagesIn(found);
      }
      return found === undefined ? undefined : root.lookupType(found.fullName);
    },
  };
}

/** The message types declared directly in a namespace, in declaration order (enums are not counted). */
function messagesIn(namespace: protobuf.NamespaceBase): protobuf.Type[] {
  return namespace.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);
}

function addImports(into: Set<string>, parsed: protobuf.IParserResult): void {
  for (const file of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) into.add(file);
}

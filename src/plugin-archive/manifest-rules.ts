/**
 * The rules of a Confluent Hub component manifest (`manifest.json`), in one place: the packager
 * checks its template with them before writing anything, and `verify-archive` checks any
 * component archive — ours or a vendor's Java connector — with the same code.
 */
import { error, warning, type Finding } from './finding';

/** `owner.username`: also the first part of the component folder and file name. */
export const OWNER_USERNAME = /^[a-z0-9_]{2,255}$/;
/** `name`: the second part of the folder name; a `-` inside is why the name is never parsed back. */
export const COMPONENT_NAME = /^[a-z0-9_-]+$/;
const VERSION = /^[0-9A-Za-z][0-9A-Za-z._+-]*$/;
const RELEASE_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const COMPONENT_TYPES = ['sink', 'source', 'converter', 'transform'] as const;
export const DELIVERY_GUARANTEES = ['at_least_once', 'at_most_once', 'exactly_once'] as const;
const OWNER_TYPES = ['organization', 'user'];
const FEATURE_FLAGS = ['single_message_transforms', 'confluent_control_center_integration', 'kafka_connect_api'] as const;

/** Every field an author writes, in the order the packager writes them. */
export const MANIFEST_FIELDS = [
  'name',
  'version',
  'title',
  'description',
  'owner',
  'support',
  'tags',
  'requirements',
  'features',
  'logo',
  'documentation_url',
  'source_url',
  'docker_image',
  'license',
  'component_types',
  'release_date',
] as const;

/** Fields a hub adds when it publishes a component; an author's manifest has none of them. */
export const HUB_FIELDS = ['archive', 'checksum', 'checksums', 'confluent_verified', 'signatures', 'verification'] as const;

/** Logos live flat in this folder of the component. */
export const ASSETS_FOLDER = 'assets/';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

function isHttpUrl(v: string): boolean {
  try {
    const url = new URL(v);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function isCalendarDate(v: string): boolean {
  if (!RELEASE_DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/**
 * `{owner.username}-{name}-{version}`: the component folder inside the zip and the stem of the
 * file name; undefined when one of the three is not valid.
 */
export function componentFolderName(manifest: unknown): string | undefined {
  if (!isObject(manifest) || !isObject(manifest.owner)) return undefined;
  const { name, version } = manifest;
  const username = manifest.owner.username;
  if (typeof username !== 'string' || !OWNER_USERNAME.test(username)) return undefined;
  if (typeof name !== 'string' || !COMPONENT_NAME.test(name)) return undefined;
  if (typeof version !== 'string' || !VERSION.test(version)) return undefined;
  return `${username}-${name}-${version}`;
}

/**
 * Every problem of a manifest. `files` holds the paths inside the component folder (`assets/logo.svg`)
 * so that logo references can be checked. Findings name the field (`owner.username`, or `` for
 * the manifest as a whole); callers prefix the file they read it from.
 */
export function checkManifest(manifest: unknown, files: ReadonlySet<string>): Finding[] {
  if (!isObject(manifest)) return [error('', 'must be a JSON object')];
  const findings: Finding[] = [];
  const m = manifest;
  const requireText = (field: string, value: unknown) => {
    if (value === undefined) findings.push(error(field, 'is required'));
    else if (!isText(value)) findings.push(error(field, 'must be a non-empty string'));
  };
  const optionalUrl = (field: string, value: unknown, missing?: Finding) => {
    if (value === undefined) {
      if (missing) findings.push(missing);
    } else if (typeof value !== 'string' || !isHttpUrl(value)) findings.push(error(field, `must be an http(s) URL, got ${JSON.stringify(value)}`));
  };
  const logo = (field: string, value: unknown) => {
    if (value === undefined) return;
    if (typeof value !== 'string' || value === '') findings.push(error(field, 'must be a path under assets/'));
    else if (!value.startsWith(ASSETS_FOLDER) || value.slice(ASSETS_FOLDER.length).includes('/') || value.includes('..') || value === ASSETS_FOLDER) {
      findings.push(error(field, `"${value}" must name a file directly in assets/ (e.g. assets/logo.png)`));
    } else if (!files.has(value)) findings.push(error(field, `"${value}" is not in the component`));
  };

  if (m.name === undefined) findings.push(error('name', 'is required'));
  else if (typeof m.name !== 'string' || !COMPONENT_NAME.test(m.name)) findings.push(error('name', `${JSON.stringify(m.name)} must be lowercase letters, digits, "-" and "_"`));
  if (m.version === undefined) findings.push(error('version', 'is required'));
  else if (typeof m.version !== 'string' || !VERSION.test(m.version)) findings.push(error('version', `${JSON.stringify(m.version)} must be letters, digits, ".", "_", "+" and "-", starting with a letter or digit`));
  requireText('title', m.title);
  requireText('description', m.description);

  if (m.owner === undefined) findings.push(error('owner', 'is required'));
  else if (!isObject(m.owner)) findings.push(error('owner', 'must be an object {username, type, name, url, logo}'));
  else {
    const o = m.owner;
    if (o.username === undefined) findings.push(error('owner.username', 'is required'));
    else if (typeof o.username !== 'string' || !OWNER_USERNAME.test(o.username)) {
      findings.push(error('owner.username', `${JSON.stringify(o.username)} must be 2–255 lowercase letters, digits and "_"`));
    }
    if (o.type === undefined) findings.push(warning('owner.type', `is missing (${OWNER_TYPES.join(' or ')})`));
    else if (typeof o.type !== 'string' || !OWNER_TYPES.includes(o.type)) findings.push(error('owner.type', `${JSON.stringify(o.type)} must be ${OWNER_TYPES.join(' or ')}`));
    requireText('owner.name', o.name);
    optionalUrl('owner.url', o.url);
    logo('owner.logo', o.logo);
  }

  if (m.support === undefined) findings.push(warning('support', 'is missing: say who supports the component {provider_name, summary, url, logo}'));
  else if (!isObject(m.support)) findings.push(error('support', 'must be an object {provider_name, summary, url, logo}'));
  else {
    const s = m.support;
    for (const field of ['provider_name', 'summary'] as const) {
      if (s[field] === undefined) findings.push(warning(`support.${field}`, 'is missing'));
      else if (!isText(s[field])) findings.push(error(`support.${field}`, 'must be a non-empty string'));
    }
    optionalUrl('support.url', s.url, warning('support.url', 'is missing'));
    logo('support.logo', s.logo);
  }

  if (m.tags === undefined) findings.push(warning('tags', 'are missing'));
  else if (!Array.isArray(m.tags) || !m.tags.every(isText)) findings.push(error('tags', 'must be an array of non-empty strings'));
  else {
    const tags = m.tags as string[];
    if (new Set(tags).size !== tags.length) findings.push(warning('tags', 'contain duplicates'));
    if (tags.some((t, i) => i > 0 && tags[i - 1] > t)) findings.push(warning('tags', 'are not sorted'));
  }

  if (m.requirements === undefined) findings.push(warning('requirements', 'are missing (e.g. the runtime and database versions)'));
  else if (!Array.isArray(m.requirements) || !m.requirements.every(isText)) findings.push(error('requirements', 'must be an array of non-empty strings'));

  checkFeatures(m.features, findings);
  logo('logo', m.logo);
  optionalUrl('documentation_url', m.documentation_url, warning('documentation_url', 'is missing'));
  optionalUrl('source_url', m.source_url);
  if (m.docker_image !== undefined && !isObject(m.docker_image)) findings.push(error('docker_image', 'must be an object'));
  checkLicense(m.license, findings);

  if (m.component_types === undefined) findings.push(error('component_types', 'is required'));
  else if (!Array.isArray(m.component_types) || m.component_types.length === 0) findings.push(error('component_types', `must be a non-empty array of ${COMPONENT_TYPES.join(', ')}`));
  else {
    m.component_types.forEach((t, i) => {
      if (!(COMPONENT_TYPES as readonly unknown[]).includes(t)) findings.push(error(`component_types[${i}]`, `${JSON.stringify(t)} must be one of ${COMPONENT_TYPES.join(', ')}`));
    });
    if (new Set(m.component_types).size !== m.component_types.length) findings.push(error('component_types', 'contain duplicates'));
  }

  if (m.release_date === undefined) findings.push(warning('release_date', 'is missing'));
  else if (typeof m.release_date !== 'string' || !isCalendarDate(m.release_date)) findings.push(error('release_date', `${JSON.stringify(m.release_date)} must be a date YYYY-MM-DD`));

  for (const field of Object.keys(m)) {
    if ((HUB_FIELDS as readonly string[]).includes(field)) findings.push(warning(field, 'is added by a hub when it publishes the component; an author does not write it'));
    else if (!(MANIFEST_FIELDS as readonly string[]).includes(field)) findings.push(warning(field, 'is not a manifest field'));
  }
  return findings;
}

function checkFeatures(features: unknown, findings: Finding[]): void {
  if (features === undefined) {
    findings.push(warning('features', 'are missing'));
    return;
  }
  if (!isObject(features)) {
    findings.push(error('features', 'must be an object'));
    return;
  }
  const encodings = features.supported_encodings;
  if (encodings === undefined) findings.push(warning('features.supported_encodings', 'are missing'));
  else if (!Array.isArray(encodings) || encodings.length === 0 || !encodings.every(isText)) findings.push(error('features.supported_encodings', 'must be a non-empty array of strings'));
  for (const flag of FEATURE_FLAGS) {
    if (features[flag] === undefined) findings.push(warning(`features.${flag}`, 'is missing'));
    else if (typeof features[flag] !== 'boolean') findings.push(error(`features.${flag}`, 'must be true or false'));
  }
  const guarantees = features.delivery_guarantee;
  if (guarantees === undefined) findings.push(warning('features.delivery_guarantee', 'is missing'));
  else if (!Array.isArray(guarantees) || guarantees.length === 0) findings.push(error('features.delivery_guarantee', `must be a non-empty array of ${DELIVERY_GUARANTEES.join(', ')}`));
  else {
    guarantees.forEach((g, i) => {
      if (!(DELIVERY_GUARANTEES as readonly unknown[]).includes(g)) findings.push(error(`features.delivery_guarantee[${i}]`, `${JSON.stringify(g)} must be one of ${DELIVERY_GUARANTEES.join(', ')}`));
    });
  }
}

function checkLicense(license: unknown, findings: Finding[]): void {
  if (license === undefined) {
    findings.push(error('license', 'is required: an array of {name, url}'));
    return;
  }
  if (!Array.isArray(license) || license.length === 0) {
    findings.push(error('license', 'must be a non-empty array of {name, url}'));
    return;
  }
  license.forEach((entry, i) => {
    const at = `license[${i}]`;
    if (!isObject(entry)) {
      findings.push(error(at, 'must be an object {name, url}'));
      return;
    }
    if (!isText(entry.name)) findings.push(error(`${at}.name`, 'must be a non-empty string'));
    if (entry.url === undefined) findings.push(warning(`${at}.url`, 'is missing'));
    else if (typeof entry.url !== 'string' || !isHttpUrl(entry.url)) findings.push(error(`${at}.url`, `must be an http(s) URL, got ${JSON.stringify(entry.url)}`));
  });
}

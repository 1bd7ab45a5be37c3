// Validates a model.json against contract/model-config.schema.json, the one source of the config
// rules. A small interpreter of the JSON Schema keywords that file uses (type, const, enum,
// minimum, maximum, exclusiveMinimum, not/multipleOf, minLength, minItems, maxItems, items,
// required, properties, $ref) plus its three x- cross-field rules. training/mila/config_schema.py
// is the same interpreter in Python, with the same messages; contract/fixtures/ checks both.
import schemaJson from '../../contract/model-config.schema.json' with { type: 'json' };

export interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  not?: { multipleOf?: number };
  minLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: SchemaNode;
  required?: string[];
  properties?: Record<string, SchemaNode>;
  default?: unknown;
  'x-multipleOfField'?: string;
  'x-sameLengthAs'?: string;
  'x-minimumLengthOf'?: string;
  $defs?: Record<string, SchemaNode>;
}

export const MODEL_CONFIG_SCHEMA = schemaJson as unknown as SchemaNode;

/** One broken rule: where, what the field must be, and the value found (undefined: missing). */
export interface SchemaViolation {
  path: string;
  want: string;
  got: unknown;
}

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const plural = (n: number) => `${n} item${n === 1 ? '' : 's'}`;

function typeMatches(type: string, v: Json): boolean {
  switch (type) {
    case 'object': return isObject(v);
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'boolean': return typeof v === 'boolean';
    case 'null': return v === null;
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    default: throw new Error(`model-config schema: unsupported type "${type}"`);
  }
}

/** What a value must be, in words (the same words as config_schema.py's `describe`). */
export function describe(node: SchemaNode): string {
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum) return `one of ${node.enum.join(', ')}`;
  const types = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
  const main = types.filter((t) => t !== 'null');
  const orNull = types.includes('null') ? ' or null' : '';
  const t = main[0];
  if (t === 'integer') {
    const odd = node.not?.multipleOf === 2 ? 'an odd integer' : 'an integer';
    return `${odd} in [${node.minimum}, ${node.maximum}]${orNull}`;
  }
  if (t === 'number') return node.exclusiveMinimum !== undefined ? `a number > ${node.exclusiveMinimum}` : 'a finite number';
  if (t === 'string') return (node.minLength ?? 0) > 0 ? 'a non-empty string' : 'a string';
  if (t === 'boolean') return 'a boolean';
  if (t === 'array') {
    if (node.minItems !== undefined && node.minItems === node.maxItems) return `an array of ${plural(node.minItems)}`;
    if (node.minItems !== undefined) return `an array of at least ${plural(node.minItems)}`;
    return 'an array';
  }
  if (t === 'object') return `an object${orNull}`;
  throw new Error('model-config schema: a node without type, const or enum');
}

function resolve(node: SchemaNode, root: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const name = node.$ref.replace(/^#\/\$defs\//, '');
  const target = root.$defs?.[name];
  if (!target) throw new Error(`model-config schema: unresolved $ref ${node.$ref}`);
  return target;
}

/** Value at a dotted path of the document ("segmentation.classes"). */
function at(doc: Json, dotted: string): Json {
  return dotted.split('.').reduce<Json>((o, k) => (isObject(o) ? o[k] : undefined), doc);
}

interface Deferred {
  node: SchemaNode;
  value: Json;
  path: string;
}

class Walker {
  readonly deferred: Deferred[] = [];
  constructor(private readonly root: SchemaNode) {}

  check(raw: SchemaNode, v: Json, path: string): SchemaViolation | null {
    const node = resolve(raw, this.root);
    const bad = (): SchemaViolation => ({ path, want: describe(node), got: v });
    if (node.type !== undefined) {
      const types = Array.isArray(node.type) ? node.type : [node.type];
      if (!types.some((t) => typeMatches(t, v))) return bad();
      if (v === null) return null;
    }
    if (node.const !== undefined && v !== node.const) return bad();
    if (node.enum && !node.enum.includes(v)) return bad();
    if (typeof v === 'string' && node.minLength !== undefined && v.length < node.minLength) return bad();
    if (typeof v === 'number') {
      if (node.minimum !== undefined && v < node.minimum) return bad();
      if (node.maximum !== undefined && v > node.maximum) return bad();
      if (node.exclusiveMinimum !== undefined && v <= node.exclusiveMinimum) return bad();
      if (node.not?.multipleOf !== undefined && v % node.not.multipleOf === 0) return bad();
    }
    if (Array.isArray(v)) {
      if (node.minItems !== undefined && v.length < node.minItems) return bad();
      if (node.maxItems !== undefined && v.length > node.maxItems) return bad();
      if (node.items) {
        for (let i = 0; i < v.length; i++) {
          const e = this.check(node.items, v[i], `${path}[${i}]`);
          if (e) return e;
        }
      }
    }
    if (isObject(v) && node.properties) {
      for (const [key, child] of Object.entries(node.properties)) {
        const childPath = path ? `${path}.${key}` : key;
        if (v[key] === undefined) {
          if (node.required?.includes(key)) return { path: childPath, want: describe(resolve(child, this.root)), got: undefined };
          continue;
        }
        const e = this.check(child, v[key], childPath);
        if (e) return e;
      }
    }
    if (node['x-multipleOfField'] || node['x-sameLengthAs'] || node['x-minimumLengthOf']) this.deferred.push({ node, value: v, path });
    return null;
  }

  /** The cross-field rules, once every field has its type (so the referenced fields are sound). */
  crossCheck(doc: Json): SchemaViolation | null {
    for (const { node, value, path } of this.deferred) {
      const ofField = node['x-multipleOfField'];
      if (ofField !== undefined) {
        const m = at(doc, ofField) as number;
        if ((value as number) % m !== 0) return { path, want: `a multiple of ${ofField} (${m})`, got: value };
      }
      const sameAs = node['x-sameLengthAs'];
      if (sameAs !== undefined) {
        const n = (at(doc, sameAs) as Json[]).length;
        if ((value as Json[]).length !== n) return { path, want: `an array of ${plural(n)} (one per entry of ${sameAs})`, got: value };
      }
      const atLeast = node['x-minimumLengthOf'];
      if (atLeast !== undefined) {
        const n = (at(doc, atLeast) as Json[]).length;
        if ((value as number) < n) return { path, want: `at least ${n}, the length of ${atLeast} (it must not be a class index)`, got: value };
      }
    }
    return null;
  }
}

/** The first broken rule of `doc` (fields in schema order, then the cross-field rules), or null. */
export function findViolation(doc: Json, schema: SchemaNode = MODEL_CONFIG_SCHEMA): SchemaViolation | null {
  const walker = new Walker(schema);
  const structural = walker.check(schema, doc, '');
  if (structural) return { ...structural, path: structural.path || '(root)' };
  return walker.crossCheck(doc);
}

/** `field "ila.window" must be an odd integer in [1, 31] (got 4)`: the words both languages use. */
export function violationText(v: SchemaViolation): string {
  const shown = v.got === undefined ? 'missing' : JSON.stringify(v.got)?.slice(0, 80);
  return `field "${v.path}" must be ${v.want} (got ${shown})`;
}

/** The schema's `default` of a field given by its property path, e.g. ['segmentation', 'ignoreIndex']. */
export function schemaDefault(keys: string[], schema: SchemaNode = MODEL_CONFIG_SCHEMA): unknown {
  let node = schema;
  for (const k of keys) {
    const child = resolve(node, schema).properties?.[k];
    if (!child) throw new Error(`model-config schema: no field ${keys.join('.')}`);
    node = child;
  }
  return resolve(node, schema).default;
}

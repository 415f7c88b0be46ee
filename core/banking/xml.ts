/**
 * Untrusted XML in, a plain tree out — safely. Bank statements arrive as uploads, so: a size cap
 * before anything else, no DOCTYPE or entity declarations at all (no XXE, no entity expansion),
 * a strict well-formedness check, and only the five predefined entities and character references
 * decoded (by us, not the parser). Namespace prefixes are dropped from element names.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { StatementError } from './statement-error';

export const MAX_STATEMENT_BYTES = 10 * 1024 * 1024;

/** An element: child elements by local name, attributes as "@_name", text as "#text". */
export interface XmlElement {
  [name: string]: XmlValue;
}
export type XmlValue = string | XmlElement | XmlValue[];

export interface XmlDocument {
  /** Local name of the root element. */
  rootName: string;
  /** Namespace URI of the root element, if declared. */
  namespace: string | undefined;
  root: XmlElement;
}

function invalid(detail: string): StatementError {
  return new StatementError('statement-invalid', detail);
}

export function byteLength(input: string | Uint8Array): number {
  return typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
}

/** Bytes -> text, honouring a BOM or the XML declaration's encoding (some banks still send Latin-1). */
function decode(bytes: Uint8Array): string {
  let label = 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) label = 'utf-16be';
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) label = 'utf-16le';
  else {
    const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
    const declared = /^(?:\uFEFF|\u00EF\u00BB\u00BF)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
    if (declared) label = declared[1]!;
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw invalid(`The file declares the character encoding ${JSON.stringify(label)}, which is not supported.`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw invalid(`The file is not valid ${decoder.encoding} text.`);
  }
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_][\w.-]*);/g, (_all, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw invalid(`Invalid character reference &${ref};.`);
      return String.fromCodePoint(code);
    }
    const value = PREDEFINED[ref];
    if (value === undefined) throw invalid(`The entity &${ref}; is not declared (only XML's five predefined entities are allowed).`);
    return value;
  });
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

/** Rebuilds the parser's tree with local names, decoded text and null prototypes (no pollution). */
function normalise(value: unknown): XmlValue {
  if (Array.isArray(value)) return value.map(normalise);
  if (value === null || typeof value !== 'object') return decodeEntities(String(value ?? ''));
  const out = Object.create(null) as XmlElement;
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    if (key === '#cdata') continue; // joined into #text below, literally
    const name = key.startsWith('@_') || key === '#text' ? key : localName(key);
    const next = normalise(raw);
    const prior = out[name];
    // Two prefixes mapping to one local name: keep both, in order.
    out[name] = prior === undefined ? next : ([] as XmlValue[]).concat(prior, next);
  }
  const cdata = (value as Record<string, unknown>)['#cdata'];
  if (cdata !== undefined) {
    const parts = (Array.isArray(cdata) ? cdata : [cdata]).map((c) => String(c));
    const text = typeof out['#text'] === 'string' ? out['#text'] : '';
    out['#text'] = text + parts.join('');
  }
  return out;
}

/**
 * Parses a statement upload. `repeatable` lists the local names that may occur more than once, so
 * that they always come back as arrays (one <Ntry> or twenty, the code reads them the same way).
 */
export function parseXml(input: string | Uint8Array, repeatable: ReadonlySet<string>): XmlDocument {
  // Cheap first: a string has at least one byte per UTF-16 unit.
  if ((typeof input === 'string' && input.length > MAX_STATEMENT_BYTES) || byteLength(input) > MAX_STATEMENT_BYTES) {
    throw new StatementError('statement-too-large', `The file is larger than ${MAX_STATEMENT_BYTES / 1024 / 1024} MB.`);
  }
  const text = (typeof input === 'string' ? input : decode(input)).replace(/^\uFEFF/, '');
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw invalid('The file contains a DOCTYPE or ENTITY declaration; bank statements never need one, so it is refused.');
  }
  if (text.trim() === '') throw invalid('The file is empty.');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw invalid(`Not well-formed XML (line ${valid.err.line}, column ${valid.err.col}): ${valid.err.msg}`);

  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignorePiTags: true,
    cdataPropName: '#cdata',
    isArray: (name, _jPath, _isLeaf, isAttribute) => !isAttribute && repeatable.has(localName(name)),
  });
  let tree: Record<string, unknown>;
  try {
    tree = parser.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw invalid(`Not well-formed XML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const roots = Object.keys(tree).filter((key) => !key.startsWith('?') && !key.startsWith('#'));
  if (roots.length !== 1) throw invalid('An XML document has exactly one root element.');
  const rawName = roots[0]!;
  const rawRoot = [tree[rawName]].flat()[0];
  const root = normalise(typeof rawRoot === 'object' && rawRoot !== null ? rawRoot : {}) as XmlElement;
  const prefix = rawName.includes(':') ? rawName.slice(0, rawName.indexOf(':')) : undefined;
  const declared = root[prefix === undefined ? '@_xmlns' : `@_xmlns:${prefix}`];
  return { rootName: localName(rawName), namespace: typeof declared === 'string' ? declared : undefined, root };
}

// Readers that do not care whether an element came once or several times.

export function children(el: XmlElement | undefined, name: string): XmlValue[] {
  const value = el?.[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Every <name> child as an element; an empty or text-only one becomes { "#text": … }. */
export function elements(el: XmlElement | undefined, name: string): XmlElement[] {
  return children(el, name).flatMap((v) => (typeof v === 'string' ? [{ '#text': v } as XmlElement] : Array.isArray(v) ? [] : [v]));
}

/** The first <name> child as an element; a text-only child becomes { "#text": … }. */
export function child(el: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let current = el;
  for (const name of path) {
    const first = children(current, name)[0];
    if (first === undefined || Array.isArray(first)) return undefined;
    current = typeof first === 'string' ? ({ '#text': first } as XmlElement) : first;
  }
  return current;
}

export function textOf(value: XmlValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (value === undefined || Array.isArray(value)) return undefined;
  const t = value['#text'];
  return typeof t === 'string' ? t : undefined;
}

/** Text of the element at `path`, trimmed; undefined when absent or empty. */
export function text(el: XmlElement | undefined, ...path: string[]): string | undefined {
  const t = textOf(path.length === 0 ? el : child(el, ...path))?.trim();
  return t === '' ? undefined : t;
}

/** Texts of every <name> child (e.g. all Ustrd lines). */
export function texts(el: XmlElement | undefined, name: string): string[] {
  return children(el, name)
    .map((v) => textOf(v)?.trim())
    .filter((t): t is string => t !== undefined && t !== '');
}

export function attribute(el: XmlElement | undefined, name: string): string | undefined {
  const value = el?.[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

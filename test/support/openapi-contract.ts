import type { ObservedResponse } from '../../server/http/contract';

/** The parts of an OpenAPI document the contract check reads. */
interface Doc {
  paths: Record<string, Record<string, { responses?: Record<string, DocResponse> }>>;
  components?: { responses?: Record<string, DocResponse> };
}
interface DocResponse {
  $ref?: string;
  description?: string;
  content?: Record<string, unknown>;
}

/** A response object, following a `$ref` to components.responses. */
export function resolveResponse(doc: Doc, response: DocResponse | undefined): DocResponse | undefined {
  const ref = response?.$ref;
  if (ref === undefined) return response;
  const name = /^#\/components\/responses\/(.+)$/.exec(ref)?.[1];
  return name === undefined ? undefined : doc.components?.responses?.[name];
}

/** `/api/v1/links/:id` -> `/api/v1/links/{id}` */
export const toTemplate = (route: string): string => route.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

/** The media type of a Content-Type header, lower case, without parameters. */
export const mediaType = (contentType: string | undefined): string | undefined => contentType?.split(';')[0]!.trim().toLowerCase() || undefined;

export interface Undeclared {
  operation: string;
  status: number;
  contentType: string | undefined;
  why: string;
}

/**
 * Checks one response against the document: its status code must be declared for the operation
 * (exactly, or as a range such as 4XX), and its media type among that response's content types
 * (no content declared: no body expected). Undefined when it is declared, or when the route is not
 * in the document (hidden pages, assets, /healthz) or no route matched (a 404 for an unknown path).
 */
export function checkResponse(doc: Doc, r: Pick<ObservedResponse, 'method' | 'route' | 'status' | 'contentType'>): Undeclared | undefined {
  if (r.route === undefined) return undefined;
  const path = doc.paths[toTemplate(r.route)];
  const method = r.method === 'HEAD' ? 'get' : r.method.toLowerCase();
  const operation = path?.[method];
  if (!operation) return undefined;
  const name = `${method.toUpperCase()} ${toTemplate(r.route)}`;
  const responses = operation.responses ?? {};
  const declared = resolveResponse(doc, responses[String(r.status)] ?? responses[`${String(r.status)[0]}XX`] ?? responses.default);
  const media = mediaType(r.contentType);
  if (!declared) return { operation: name, status: r.status, contentType: media, why: 'status not declared' };
  if (declared.content) {
    if (media !== undefined && !Object.keys(declared.content).some((k) => k.toLowerCase() === media)) {
      return { operation: name, status: r.status, contentType: media, why: `content type not declared (declared: ${Object.keys(declared.content).join(', ')})` };
    }
  } else if (media !== undefined && r.method !== 'HEAD') {
    return { operation: name, status: r.status, contentType: media, why: 'declared without content, but a body was sent' };
  }
  return undefined;
}

/** Every distinct undeclared response among `log`, each app's responses against that app's document. */
export function undeclaredResponses(log: ObservedResponse[]): Undeclared[] {
  const docs = new Map<ObservedResponse['document'], Doc>();
  const found = new Map<string, Undeclared>();
  for (const r of log) {
    let doc = docs.get(r.document);
    if (!doc) {
      doc = r.document() as Doc;
      docs.set(r.document, doc);
    }
    const wrong = checkResponse(doc, r);
    if (wrong) found.set(`${wrong.operation} ${wrong.status} ${wrong.contentType ?? ''}`, wrong);
  }
  return [...found.values()];
}

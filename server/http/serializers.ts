import { createHash } from 'node:crypto';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type SerializerFactory = ReturnType<typeof SerializerSelector>;
type Serializer = ReturnType<ReturnType<SerializerFactory>>;

const select = SerializerSelector();
const built = new Map<string, Serializer>();
const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value) ?? '').digest('base64url');

/**
 * Fastify's response serializers (fast-json-stringify), built once per process for each schema
 * instead of once per app. Building them is most of an app's start (about a second for this
 * API's routes), and a process may build the same app many times: the test suite starts hundreds,
 * the desktop app restarts its server when settings change. A serializer is a pure function of
 * its schema, the shared schemas and the options, so all three are the key (as JSON, which is
 * all fast-json-stringify reads of them). The same role as the validators' AjvCompiler pool.
 */
export const buildSerializer: SerializerFactory = (externalSchemas, options) => {
  const compile = select(externalSchemas, options);
  const context = digest([externalSchemas, options]);
  return (route) => {
    const key = `${context}.${digest(route.schema)}`;
    let serializer = built.get(key);
    if (!serializer) {
      serializer = compile(route);
      built.set(key, serializer);
    }
    return serializer;
  };
};

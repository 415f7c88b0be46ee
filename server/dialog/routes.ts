import type { FastifyPluginAsync } from 'fastify';
import type { Core } from '../../core/index';

/** Placeholder: the customer dialog plugin (being written). */
export function dialogRoutes(_core: Core): FastifyPluginAsync {
  return async () => {};
}

import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/index';
import { SettingsPatchBody } from '../schemas/settings';

export function settingsRoutes(core: Core): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const SettingsRef = Type.Ref('Settings');
    app.get('/settings', { schema: { tags: ['settings'], response: { 200: SettingsRef } } }, async () => core.settings.all());
    app.patch('/settings', { schema: { tags: ['settings'], body: SettingsPatchBody, response: { 200: SettingsRef } } }, async (request) =>
      core.settings.update(request.body),
    );
  };
}

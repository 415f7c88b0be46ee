import { configFromEnv } from './config';

// React (which renders the customer dialog and emails) picks its build when first imported: make
// it the production one unless told otherwise. Hence the dynamic import of the app below.
process.env.NODE_ENV ??= 'production';

/**
 * `npm run serve`: the whole app headless. Prints where it listens and, on the very first
 * start, the generated admin API key (once; only its hash is kept).
 */
async function main(): Promise<void> {
  const config = configFromEnv();
  const { createApp } = await import('./create-app');
  const app = await createApp({
    ...config,
    logger: { level: process.env.COUNTERLINK_LOG_LEVEL ?? 'info', redact: ['req.headers.authorization', 'req.headers.cookie'] },
  });
  const baseUrl = await app.listen();
  const address = app.server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // The shop's tills find this hub on the LAN (first-start screen of the desktop app).
  const { announceApp } = await import('./lan/announce');
  const announcer = await announceApp(app, { env: process.env, host: config.host, port, log: (line) => console.warn(line) });
  const lines = [`Counterlink is running: ${baseUrl}`, `  data:     ${config.dataDir}`, `  API docs: ${baseUrl}/api/docs`];
  if (announcer.announced) lines.push(`  LAN:      announced as "${announcer.announced.name}" (tills find it when joining; COUNTERLINK_ANNOUNCE=0 turns this off)`);
  if (app.generatedApiKey) {
    lines.push('', '  Your admin API keys (shown once, store them somewhere safe):', `  live: ${app.generatedApiKey}`);
    if (app.generatedTestApiKey) lines.push(`  test: ${app.generatedTestApiKey}`);
  }
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: shutting down…`);
    await announcer.stop();
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

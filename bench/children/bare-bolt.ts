/**
 * The floor the `ack` benchmark compares the app with: a bare Bolt app (the same @slack/bolt,
 * HTTP receiver, signature verification, processBeforeResponse) whose only listener, for every
 * event, either stores it with the same single-row INSERT the app uses, before acknowledging
 * (BENCH_BOLT_MODE=insert: the least any bot that loses nothing must do), or does nothing
 * (BENCH_BOLT_MODE=empty: what Bolt itself costs).
 */
import { App, LogLevel } from '@slack/bolt';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Pool } from 'pg';

async function main(): Promise<void> {
  const mode = process.env.BENCH_BOLT_MODE;
  if (mode !== 'insert' && mode !== 'empty') throw new Error(`BENCH_BOLT_MODE must be insert or empty, not ${mode}`);
  const pool = mode === 'insert'
    ? new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_MAX ?? 5), application_name: 'bench-floor' })
    : null;
  const app = new App({
    token: process.env.SLACK_BOT_TOKEN,
    signingSecret: process.env.SLACK_SIGNING_SECRET,
    processBeforeResponse: true,
    signatureVerification: true,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  });
  app.event(/.+/, async ({ body }) => {
    if (!pool) return;
    await pool.query(
      'INSERT INTO slack_events (event_id, type, payload) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING',
      [body.event_id, body.event.type, JSON.stringify(body)],
    );
  });
  const server = (await app.start(0)) as Server;
  const port = (server.address() as AddressInfo).port;
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'stop') void app.stop().then(() => pool?.end()).finally(() => process.exit(0));
  });
  process.send!({ type: 'ready', url: `http://127.0.0.1:${port}` });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench bolt app failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

/**
 * The Slack emulator: a local Web API of one workspace (SlackEmulator) and a response_url sink,
 * for tests and demos. server.ts is the HTTP side, state.ts the workspace, faults.ts and tiers.ts
 * what goes wrong on purpose, methods/ one file per Web API method family.
 */
export { SlackEmulator } from './server';
export { ResponseUrlSink, type ReceivedResponse } from './response-url-sink';
export * from './types';

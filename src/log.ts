import pino, { type Logger } from 'pino';

/**
 * JSON lines with context. Tokens and secrets never reach a log line: known fields are redacted
 * by path, and any string that looks like a Slack token is masked wherever it appears.
 */
const TOKEN_PATTERN = /\b(xox[abposr]|xapp)-[A-Za-z0-9-]+/g;

export function maskSecrets(text: string): string {
  return text.replace(TOKEN_PATTERN, (_m, prefix: string) => `${prefix}-[redacted]`);
}

const REDACT_PATHS = [
  'token', '*.token', 'botToken', '*.botToken', 'appToken', '*.appToken', 'signingSecret', '*.signingSecret',
  'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization',
  'headers["x-slack-signature"]', 'databaseUrl', '*.databaseUrl', 'password', '*.password',
];

export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'smokejumper' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        // Error messages from the Slack client and pg can quote a token or a URL with a password.
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskSecrets(a) : a));
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
      serializers: {
        err: (err: Error) => {
          const serialized = pino.stdSerializers.err(err);
          if (serialized.message) serialized.message = maskSecrets(serialized.message);
          if (serialized.stack) serialized.stack = maskSecrets(serialized.stack);
          return serialized;
        },
      },
    },
    destination,
  );
}

export type { Logger };

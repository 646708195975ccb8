import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { BackendError } from './backend';
import { ConfigError, loadConfig } from './config';
import { formatBanner, startServer } from './start';

// Hex, because base64url can contain "__", which the protocol reserves for key modifiers.
const generateKey = (): string => `demo-${randomBytes(16).toString('hex')}`;

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env, { generateKey });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`captask: ${error.message}\n`);
  process.exit(2);
}

// A synchronous destination keeps log lines in order and loses none at process.exit().
const logger = pino({ level: config.logLevel }, pino.destination({ dest: 1, sync: true }));
let running: Awaited<ReturnType<typeof startServer>>;
try {
  running = await startServer(config, { logger });
} catch (error) {
  if (!(error instanceof BackendError)) throw error;
  process.stderr.write(`captask: ${error.message}\n`);
  process.exit(1);
}
process.stdout.write(formatBanner(config, running.url));
const upstream =
  config.upstream === undefined ? {} : { upstream: new URL(config.upstream.url).origin };
logger.info(
  { url: running.url, mode: config.mode, store: config.store, ...upstream },
  'server started',
);

let stopping = false;
const stop = async (signal: NodeJS.Signals): Promise<void> => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'server stopping');
  try {
    await running.close();
    logger.info({}, 'server stopped');
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'server failed to stop cleanly');
    process.exit(1);
  }
};
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));

import { describe, expect, it } from 'vitest';
import { createSandboxSolver } from './sandbox-solver';
import { createTaskServer } from './task-server';
import type { Logger } from './types';

/** Creates a logger that records info messages and enables `info` while `level` is info. */
function createLevelLogger(): Logger & { level: string; messages: string[] } {
  const logger = {
    level: 'info',
    messages: [] as string[],
    isLevelEnabled: (level: string): boolean => level === 'info' && logger.level === 'info',
    debug(): void {},
    info(_context: Record<string, unknown>, message: string): void {
      logger.messages.push(message);
    },
    warn(): void {},
    error(): void {},
  };
  return logger;
}

const balanceRequest = (): Request =>
  new Request('http://localhost/getBalance', {
    method: 'POST',
    body: JSON.stringify({ clientKey: 'log-key' }),
  });

describe('request log', () => {
  it('follows the level at each request', async () => {
    const logger = createLevelLogger();
    const server = createTaskServer({
      clientKeys: ['log-key'],
      solvers: createSandboxSolver(),
      logger,
    });
    await server(balanceRequest());
    expect(logger.messages).toEqual(['request']);

    logger.level = 'warn';
    await server(balanceRequest());
    expect(logger.messages).toEqual(['request']);

    logger.level = 'info';
    await server(balanceRequest());
    expect(logger.messages).toEqual(['request', 'request']);
    await server.close();
  });

  it('logs through a logger without isLevelEnabled', async () => {
    const messages: string[] = [];
    const logger: Logger = {
      debug() {},
      info: (_context, message) => messages.push(message),
      warn() {},
      error() {},
    };
    const server = createTaskServer({
      clientKeys: ['log-key'],
      solvers: createSandboxSolver(),
      logger,
    });
    await server(balanceRequest());
    expect(messages).toEqual(['request']);
    await server.close();
  });
});

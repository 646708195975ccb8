/**
 * The parts of the Deno and Bun globals that this package uses, declared here so the package
 * needs neither runtime's type definitions. Both are read from `globalThis` at call time.
 */

/** Address of a Deno TCP listener. */
export interface DenoNetAddr {
  hostname: string;
  port: number;
}

/** The server that `Deno.serve` returns. */
export interface DenoHttpServer {
  readonly addr: DenoNetAddr;
  shutdown(): Promise<void>;
  readonly finished: Promise<void>;
}

/** The options of `Deno.serve` that this package sets. */
export interface DenoServeOptions {
  port: number;
  hostname: string;
  handler: (request: Request) => Response | Promise<Response>;
  onListen: (addr: DenoNetAddr) => void;
  onError: (error: unknown) => Response | Promise<Response>;
}

/** The `Deno` global, reduced to `serve` and `env.get`. */
export interface DenoGlobal {
  serve(options: DenoServeOptions): DenoHttpServer;
  env: { get(name: string): string | undefined };
}

/** The server that `Bun.serve` returns. */
export interface BunServer {
  readonly port: number;
  readonly hostname: string;
  stop(closeActiveConnections?: boolean): Promise<void> | void;
}

/** The options of `Bun.serve` that this package sets. */
export interface BunServeOptions {
  port: number;
  hostname: string;
  development: boolean;
  fetch: (request: Request) => Response | Promise<Response>;
  error: (error: Error) => Response | Promise<Response>;
}

/** The `Bun` global, reduced to `serve` and `env`. */
export interface BunGlobal {
  serve(options: BunServeOptions): BunServer;
  env: Record<string, string | undefined>;
}

/** Returns the `Deno` global, or undefined outside Deno. */
export function denoGlobal(): DenoGlobal | undefined {
  return (globalThis as { Deno?: DenoGlobal }).Deno;
}

/** Returns the `Bun` global, or undefined outside Bun. */
export function bunGlobal(): BunGlobal | undefined {
  return (globalThis as { Bun?: BunGlobal }).Bun;
}

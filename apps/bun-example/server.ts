// The env-configured server of @captask/serve as a module for `bun run`, which serves a default
// export with a `fetch` method by itself: the protocol at the root, the sandbox solver, and
// the client keys from CAPTASK_CLIENT_KEYS. Bun takes the port from PORT (default 3000).
export { default } from '@captask/serve';

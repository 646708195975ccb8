// The env-configured server of @captask/serve as a module for `deno serve`: the protocol at
// the root, the sandbox solver, and the client keys from CAPTASK_CLIENT_KEYS.
export { default } from '@captask/serve';

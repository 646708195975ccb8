const MASK = '[redacted]';
const MAX_CAUSE_DEPTH = 4;

/** Copied from a foreign error onto its sanitized copy when they are primitives. */
const COPIED_FIELDS = ['code', 'errno', 'syscall', 'address', 'port', 'status'] as const;

/**
 * Removes secrets (the clientKey, proxy passwords) from text and errors before they reach an
 * error message, a `cause` or a log line.
 */
export interface Redactor {
  text(value: string): string;
  /** Returns a sanitized copy of a thrown value, with its cause chain copied the same way. */
  cause(value: unknown): unknown;
  /** Returns a redactor that also removes `secrets`. */
  with(secrets: readonly unknown[]): Redactor;
}

/**
 * Builds a redactor for the given secrets. Each secret is also removed in its JSON-escaped
 * and URL-encoded forms, because request bodies and URLs carry those.
 *
 * NOTE: Secrets shorter than 4 characters are not removed, because masking every occurrence
 * of such a short string would garble the rest of the message.
 */
export function createRedactor(secrets: readonly unknown[]): Redactor {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < 4) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  // Longer forms first, so that a secret containing another one is masked whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);

  const text = (value: string): string => {
    let result = value;
    for (const form of ordered) result = result.split(form).join(MASK);
    return result;
  };

  return {
    text,
    cause: (value) => sanitize(value, text, 0),
    with: (more) => createRedactor([...secrets, ...more]),
  };
}

function sanitize(value: unknown, text: (value: string) => string, depth: number): unknown {
  if (typeof value === 'string') return text(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_CAUSE_DEPTH) return undefined;

  if (!(value instanceof Error)) {
    // A foreign object may hold the request body or headers; keep only its type name.
    return new Error(`non-error value of type ${value.constructor?.name ?? 'Object'}`);
  }

  const cause = 'cause' in value ? sanitize(value.cause, text, depth + 1) : undefined;
  const copy = new Error(text(value.message), cause === undefined ? undefined : { cause });
  copy.name = text(value.name);
  copy.stack = value.stack === undefined ? undefined : text(value.stack);
  for (const field of COPIED_FIELDS) {
    const fieldValue: unknown = (value as unknown as Record<string, unknown>)[field];
    if (typeof fieldValue === 'string') Object.assign(copy, { [field]: text(fieldValue) });
    if (typeof fieldValue === 'number') Object.assign(copy, { [field]: fieldValue });
  }
  return copy;
}

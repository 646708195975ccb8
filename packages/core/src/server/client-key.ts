/** A clientKey with its `__` suffix modifiers split off. */
export interface SplitClientKey {
  /** The account key used for authentication. */
  key: string;
  /** Modifiers in the order given, such as `nocache`, `solvemedia`, `recognizingthreshold_70`. */
  modifiers: string[];
}

/**
 * Splits a clientKey on double underscores: `KEY__nocache__recognizingthreshold_70` gives the key
 * `KEY` and the modifiers `nocache` and `recognizingthreshold_70`. Empty segments are dropped.
 *
 * @example
 * splitClientKey('abc__solvemedia'); // { key: 'abc', modifiers: ['solvemedia'] }
 */
export function splitClientKey(raw: string): SplitClientKey {
  const [key = '', ...rest] = raw.split('__');
  return { key, modifiers: rest.filter((modifier) => modifier.length > 0) };
}

/** Task options that clientKey modifiers select. */
export interface KeyModifierOptions {
  /** Set by `__nocache`. */
  nocache?: true;
  /** Set by `__<module>` (any modifier that is not `nocache` or a threshold); the last one wins. */
  capMonsterModule?: string;
  /** Set by `__recognizingthreshold_<0-100>`. */
  recognizingThreshold?: number;
}

/** Result of reading modifiers: options, or the first invalid modifier. */
export type KeyModifierParse =
  | { ok: true; options: KeyModifierOptions }
  | { ok: false; reason: string };

const THRESHOLD = /^recognizingthreshold_(\d{1,3})$/i;

/**
 * Reads clientKey modifiers into task options. A threshold outside 0..100 is invalid.
 *
 * @example
 * parseKeyModifiers(['nocache', 'recognizingthreshold_70']);
 * // { ok: true, options: { nocache: true, recognizingThreshold: 70 } }
 */
export function parseKeyModifiers(modifiers: readonly string[]): KeyModifierParse {
  const options: KeyModifierOptions = {};
  for (const modifier of modifiers) {
    if (modifier.toLowerCase() === 'nocache') {
      options.nocache = true;
      continue;
    }
    const threshold = THRESHOLD.exec(modifier);
    if (threshold !== null) {
      const value = Number(threshold[1]);
      if (value > 100) {
        return { ok: false, reason: `recognizingthreshold must be 0 to 100, got ${value}.` };
      }
      options.recognizingThreshold = value;
      continue;
    }
    if (/^recognizingthreshold/i.test(modifier)) {
      return {
        ok: false,
        reason: 'The recognizingthreshold key modifier must look like recognizingthreshold_70.',
      };
    }
    options.capMonsterModule = modifier;
  }
  return { ok: true, options };
}

/**
 * Applies modifier options to a validated task. Fields the task already sets win over the key.
 * `capMonsterModule` and `recognizingThreshold` exist only on ImageToTextTask, so other types
 * ignore them; `nocache` applies to every type.
 */
export function applyKeyModifiers(
  task: Record<string, unknown>,
  canonicalType: string,
  options: KeyModifierOptions,
): Record<string, unknown> {
  const result = { ...task };
  if (options.nocache === true && result.nocache === undefined) result.nocache = true;
  if (canonicalType !== 'ImageToTextTask') return result;
  if (options.capMonsterModule !== undefined && result.capMonsterModule === undefined) {
    result.capMonsterModule = options.capMonsterModule;
  }
  if (options.recognizingThreshold !== undefined && result.recognizingThreshold === undefined) {
    result.recognizingThreshold = options.recognizingThreshold;
  }
  return result;
}

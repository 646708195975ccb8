import { taskClassOf } from '../protocol/task-specs';

/**
 * Price of one solved task, in the account balance's currency, per class of `taskClassOf`.
 * A price in `types` (keyed by canonical type, such as `TurnstileTask`) wins over the class price.
 */
export interface PriceTable {
  /** Price of image tasks: ImageToTextTask and ComplexImageTask. */
  image: number;
  /** Price of fast token tasks such as reCAPTCHA v3, GeeTest and Turnstile. */
  token: number;
  /** Price of slow tasks such as reCAPTCHA v2, hCaptcha and CustomTask. */
  slow: number;
  types?: Readonly<Record<string, number>>;
}

/** Default prices: small fixed amounts that make balances move in a sandbox. */
export const DEFAULT_PRICES: PriceTable = { image: 0.0003, token: 0.002, slow: 0.003 };

/** Returns the price of a solved task of a canonical type. */
export function priceOf(prices: PriceTable, canonicalType: string): number {
  const byType = prices.types?.[canonicalType];
  if (byType !== undefined) return byType;
  return prices[taskClassOf(canonicalType)];
}

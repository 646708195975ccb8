/**
 * Small statistics helpers. Percentiles use the nearest-rank method: the p-th percentile of
 * n sorted values is the value at rank ceil(p / 100 * n).
 */

/** @param {readonly number[]} values */
export function mean(values) {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** @param {readonly number[]} values @param {number} p from 0 to 100 */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** @param {readonly number[]} values */
export function max(values) {
  let result = Number.NEGATIVE_INFINITY;
  for (const value of values) if (value > result) result = value;
  return result;
}

/** @param {readonly number[]} values */
export function median(values) {
  return percentile(values, 50);
}

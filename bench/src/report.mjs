/** Markdown helpers for RESULTS.md. */

/**
 * Renders a Markdown table.
 *
 * @param {readonly string[]} headers
 * @param {readonly (readonly (string | number)[])[]} rows
 * @returns {string}
 */
export function table(headers, rows) {
  const lines = [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/** Formats a number with a fixed count of decimals, or `n/a` when it is not finite. */
export function fixed(value, decimals = 0) {
  return Number.isFinite(value) ? value.toFixed(decimals) : 'n/a';
}

/** Formats a ratio such as 0.87 as `0.87`. */
export function ratio(value) {
  return fixed(value, 2);
}

/** Formats an integer with thousands separators, such as `12,345`. */
export function integer(value) {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
}

/** Formats a byte count in KiB with one decimal. */
export function kib(bytes) {
  return `${fixed(bytes / 1024, 1)} KiB`;
}

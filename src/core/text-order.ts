/**
 * Sorts names and ISO timestamps by their characters (code units: "B" before "a"). What the
 * read-only commands sort needs no locale, and the first localeCompare initialises ICU's
 * collator, ~10 ms of a command's start-up.
 */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "1 file", "3 files"; `many` for irregular words ("2 entries"). */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

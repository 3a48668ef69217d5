/**
 * Staff reorder a list by sending every id in the new order. Anything but a permutation of the
 * current ids is refused rather than guessed at: a missing id would otherwise fall to an arbitrary
 * place, and a stale admin page (someone added an item meanwhile) must reload instead of silently
 * overwriting. Returns a readable problem, or undefined when `proposed` is a permutation.
 */
export function permutationProblem(current: readonly number[], proposed: readonly number[]): string | undefined {
  const known = new Set(current);
  const seen = new Set<number>();
  const duplicates: number[] = [];
  const unknown: number[] = [];
  for (const id of proposed) {
    if (seen.has(id)) duplicates.push(id);
    seen.add(id);
    if (!known.has(id)) unknown.push(id);
  }
  const missing = current.filter((id) => !seen.has(id));
  const problems: string[] = [];
  if (duplicates.length > 0) problems.push(`listed more than once: ${list(duplicates)}`);
  if (unknown.length > 0) problems.push(`not in this list: ${list(unknown)}`);
  if (missing.length > 0) problems.push(`missing: ${list(missing)}`);
  if (problems.length === 0) return undefined;
  return `the order must list each of the ${current.length} ids exactly once (${problems.join('; ')}); reload and try again`;
}

// An error message stays short even if a client sends thousands of ids.
function list(ids: number[]): string {
  const unique = [...new Set(ids)];
  return unique.length > 10 ? `${unique.slice(0, 10).join(', ')} … (${unique.length})` : unique.join(', ');
}

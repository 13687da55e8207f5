/**
 * "Did you mean …" for a misspelt name: the closest known name by edit distance, compared with
 * case and the separators `.`, `_`, `-` ignored (so `connection.query.timeout` finds
 * `connection.query_timeout` and `Auto_Create` finds `auto.create`). Used for config keys and for
 * the CLI's options, so both say it the same way.
 */
import { distance } from 'fastest-levenshtein';

const normal = (s: string) => s.toLowerCase().replace(/[._-]/g, '.');

/** Largest distance still taken for a misspelling: 2, or a quarter of the name for long names. */
function tolerance(name: string): number {
  return Math.max(2, Math.floor(name.length / 4));
}

/** The closest of `known` to `name` within the tolerance, or undefined. */
export function closestName(name: string, known: Iterable<string>, maxDistance = tolerance(name)): string | undefined {
  const n = normal(name);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    if (candidate === name) continue;
    const d = distance(n, normal(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= maxDistance ? best : undefined;
}

/** `; did you mean X?`, or '' when nothing is close. */
export function didYouMean(name: string, known: Iterable<string>, maxDistance?: number): string {
  const found = closestName(name, known, maxDistance);
  return found === undefined ? '' : `; did you mean ${found}?`;
}

/**
 * Returns the Levenshtein edit distance between two strings: the minimum number of
 * single-character insertions, deletions and substitutions that turn `a` into `b`.
 * Compares UTF-16 code units, which is exact for the ASCII names it is used on.
 */
export function levenshteinDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;

  // One row of the dynamic-programming table at a time: previous[j] is the distance
  // between the first i-1 characters of a and the first j characters of b.
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      const deletion = (previous[j] ?? 0) + 1;
      const insertion = (current[j - 1] ?? 0) + 1;
      current.push(Math.min(substitution, deletion, insertion));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Returns the candidate closest to `word`, or undefined when none is close enough to be a
 * likely typo. Letter case is ignored except that a candidate differing only in case
 * counts as one edit. A candidate qualifies when its distance is at most a third of the
 * longer string's length, but never less than 1 or more than 3. Ties go to the earlier candidate.
 */
export function suggestClosest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;

  for (const candidate of candidates) {
    if (candidate === word) continue;
    const distance = Math.max(1, levenshteinDistance(word.toLowerCase(), candidate.toLowerCase()));
    const limit = Math.min(3, Math.max(1, Math.floor(Math.max(word.length, candidate.length) / 3)));
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

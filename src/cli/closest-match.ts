/** Levenshtein distance, for "did you mean" suggestions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The candidate closest to `input`, if it is close enough to be a plausible typo (or a prefix of it). */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = candidate.startsWith(input) && input.length >= 3 ? 0 : editDistance(input, candidate);
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  const tolerance = Math.max(2, Math.floor(input.length / 3));
  return best && best.distance <= tolerance ? best.candidate : undefined;
}

/**
 * Mulberry32: a tiny seeded generator, so the classifier's training order (and the bench's generated
 * articles) come out the same for the same seed. It lives in src/match because training depends on
 * it: the matcher-code hash behind the model cache covers this folder.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

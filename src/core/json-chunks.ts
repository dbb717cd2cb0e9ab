/** Characters per chunk: small enough to stay in V8's young generation, large enough that a consumer is called seldom. */
export const JSON_CHUNK = 32 * 1024;

/** Elements of an array written by one JSON.stringify call: its fast path, on a small array. */
const SLICE = 64;

/**
 * JSON.stringify(items) of an array, in chunks of about `size` characters: the same text, for
 * consumers that take it in parts (a hash, a file). Whole, the text of a large array is one
 * string allocated outside the young generation, and a run that makes many of them (a digest per
 * campaign, a kept outcome's record) grows the heap it peaks with.
 */
export function* jsonArrayChunks(items: Iterable<unknown>, size = JSON_CHUNK): Generator<string> {
  let chunk = '[';
  let first = true;
  const add = (json: string) => {
    chunk += first ? json : `,${json}`;
    first = false;
  };
  if (Array.isArray(items)) {
    for (let at = 0; at < items.length; at += SLICE) {
      // '[a,b]' without its brackets; JSON writes an undefined element as null, as it does whole.
      add(JSON.stringify(items.slice(at, at + SLICE)).slice(1, -1));
      if (chunk.length >= size) {
        yield chunk;
        chunk = '';
      }
    }
  } else {
    for (const item of items) {
      add(JSON.stringify(item) ?? 'null');
      if (chunk.length >= size) {
        yield chunk;
        chunk = '';
      }
    }
  }
  yield `${chunk}]`;
}

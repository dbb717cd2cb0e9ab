/** Ids become file names under out/: no separators, no leading dot, so `../x` cannot escape. */
export const SLUG = /^[a-z0-9][a-z0-9_-]*$/i;
export const SLUG_MAX = 64;

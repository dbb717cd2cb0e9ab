/** Text and attribute values for HTML: every user string (headline, prompt, file name) goes through here. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A relative file path as a URL that works from file:// (each segment percent-encoded, slashes kept). */
export function fileHref(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

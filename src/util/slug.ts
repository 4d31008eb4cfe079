/**
 * A readable, name-safe slug: lowercase alphanumerics separated by single dashes, at most `max` chars,
 * never starting or ending with a dash; `fallback` when nothing is left. Used for Docker tags and trial ids.
 */
export function slug(s: string, max: number, fallback: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, max)
      .replace(/-+$/, '') || fallback
  );
}

/** Registry IDs (`AI-0001`) and review IDs (`R-0001`): sequential, never reused. */
export function formatId(prefix: 'AI' | 'R', n: number): string {
  return `${prefix}-${String(n).padStart(4, '0')}`;
}

export function parseId(prefix: 'AI' | 'R', id: unknown): number | null {
  if (typeof id !== 'string') return null;
  const m = new RegExp(`^${prefix}-(\\d{4,})$`).exec(id.trim());
  return m ? Number(m[1]) : null;
}

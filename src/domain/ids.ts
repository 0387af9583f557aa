/** Registry IDs (`AI-0001`) and review IDs (`R-0001`): sequential, never reused. */
export function formatId(prefix: 'AI' | 'R', n: number): string {
  return `${prefix}-${String(n).padStart(4, '0')}`;
}

export function parseId(prefix: 'AI' | 'R', id: unknown): number | null {
  if (typeof id !== 'string') return null;
  const m = new RegExp(`^${prefix}-(\\d{4,})$`).exec(id.trim());
  return m ? Number(m[1]) : null;
}

/** "3,5-9" ↔ [3,5,6,7,8,9]: compact storage of ID numbers in a document property. */
export function compressNumbers(numbers: readonly number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

export function expandNumbers(text: string | null): number[] {
  if (!text) return [];
  return text.split(',').flatMap((part) => {
    const [a, b = a] = part.split('-').map(Number);
    if (!Number.isInteger(a) || !Number.isInteger(b) || b < a || b - a > 1e6) return [];
    return Array.from({ length: b - a + 1 }, (_, k) => a + k);
  });
}

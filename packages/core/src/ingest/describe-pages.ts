/** "page 3", "pages 3 and 5", "pages 2–22" or "pages 1, 3 and 5–7". */
export function describePages(numbers: number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let index = 0; index < sorted.length;) {
    let end = index;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end]! + 1) end++;
    ranges.push(
      end - index >= 2 ? `${sorted[index]}–${sorted[end]}` : sorted.slice(index, end + 1).join(', '),
    );
    index = end + 1;
  }
  const parts = ranges.join(', ').split(', ');
  const list =
    parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0]!;
  return `${sorted.length > 1 ? 'pages' : 'page'} ${list}`;
}

/**
 * The one text table the tools print (plan verdicts, verify results): each column padded to
 * its widest cell up to a maximum (longer cells are clipped with "…"), the last column free,
 * wrapped to the line width when one is given. A cell's style (colour) is applied after
 * padding, so styled rows still line up with the header.
 */
export interface Column {
  header: string;
  /** Widest a cell may be before it is clipped; the last column is never clipped. */
  max?: number;
}

export interface TableOptions {
  /** Wrap the last column so lines fit this width; unset, it runs on. */
  width?: number;
  /** A dashed rule under the header. */
  rule?: boolean;
  /** Styles a padded cell (e.g. colour); must not change its visible width. */
  style?: (row: number, column: number, padded: string) => string;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function wrap(text: string, width: number): string[] {
  if (width < 20) return [text];
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

export function renderTable(columns: readonly Column[], rows: readonly string[][], opts: TableOptions = {}): string[] {
  const last = columns.length - 1;
  const one = (s: string) => s.replace(/\s*\n\s*/g, " ");
  const widths = columns.slice(0, last).map((c, i) => Math.min(c.max ?? Infinity, Math.max(c.header.length, ...rows.map((r) => one(r[i] ?? "").length))));
  const lead = widths.reduce((n, w) => n + w + 2, 0);
  const lastWidth = opts.width ? Math.max(20, opts.width - lead) : Infinity;
  const line = (cells: string[], row: number) =>
    cells
      .map((cell, i) => {
        const padded = i === last ? cell : clip(cell, widths[i]).padEnd(widths[i]);
        return opts.style && row >= 0 ? opts.style(row, i, padded) : padded;
      })
      .join("  ")
      .trimEnd();
  const out = [
    line(
      columns.map((c) => c.header),
      -1,
    ),
  ];
  if (opts.rule) out.push(line([...widths.map((w) => "-".repeat(w)), "-".repeat(Math.min(40, lastWidth))], -1));
  rows.forEach((r, row) => {
    const [first, ...more] = lastWidth === Infinity ? [one(r[last] ?? "")] : wrap(one(r[last] ?? ""), lastWidth);
    out.push(line([...r.slice(0, last).map(one), first], row));
    for (const m of more) out.push(" ".repeat(lead) + m);
  });
  return out;
}

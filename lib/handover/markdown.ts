/**
 * Small Markdown building blocks for the handover document. Pure and
 * deterministic: the same input always gives the same text.
 */

/**
 * Makes a value safe inside a GitHub-flavoured Markdown table cell: `|` would end
 * the cell (also inside code spans, where GFM still honours `\|`), and a line
 * break would end the row.
 */
export function escapeCell(value: string): string {
  return value.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** Inline code for a table cell or a sentence. Backticks in the value are doubled around. */
export function code(value: string): string {
  if (!value.includes("`")) return `\`${value}\``;
  return `\`\` ${value} \`\``;
}

/** A table; every cell is escaped. Cells already holding Markdown (e.g. `code()`) stay readable. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(" | ")} |`;
  return [line(headers), `|${headers.map(() => "---").join("|")}|`, ...rows.map(line)].join("\n");
}

/** A fenced shell block, for commands a founder pastes as they are. */
export function shell(lines: readonly string[]): string {
  return ["```sh", ...lines, "```"].join("\n");
}

export function heading(level: 1 | 2 | 3, text: string): string {
  return `${"#".repeat(level)} ${text}`;
}

export function bullets(items: readonly string[]): string {
  return items.map((i) => `- ${i}`).join("\n");
}

/** A numbered list; `start` continues a list interrupted by a code block. */
export function numbered(items: readonly string[], start = 1): string {
  return items.map((item, i) => `${start + i}. ${item}`).join("\n");
}

/** Joins blocks with one blank line between them, dropping empty ones. */
export function blocks(...parts: ReadonlyArray<string | undefined | false>): string {
  return parts.filter((p): p is string => typeof p === "string" && p.length > 0).join("\n\n");
}

export function yesNo(value: boolean): string {
  return value ? "yes" : "no";
}

/** "1 hour", "5 minutes", "1 day": how long a TTL or period is, for people. */
export function humanSeconds(seconds: number): string {
  const units: Array<[number, string]> = [
    [31536000, "year"],
    [86400, "day"],
    [3600, "hour"],
    [60, "minute"],
  ];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) {
      const n = seconds / size;
      return `${n} ${name}${n === 1 ? "" : "s"}`;
    }
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

/** Shortens long values (DKIM keys) for a table; the full value is in the stack output. */
export function truncate(value: string, max = 72): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/** A lead-in line with its list right under it (GFM lets a list start without a blank line). */
export function lead(text: string, list: string): string {
  return `${text}\n${list}`;
}

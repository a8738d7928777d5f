/**
 * Writes what adoption found into the stack file as a text edit, so everything else in it
 * (comments, order, quoting, flow style) stays byte for byte: the `yaml` library locates the
 * `zone` mapping and any `existingRecords` / `existingRulesets` already there; those blocks are
 * rewritten with the old entries kept and the new ones added (comments inside those two blocks
 * are not kept), or appended to the mapping. `replace` writes the entries given instead
 * (`npm run adopt -- --finish` turns each `{ id, live }` into its id).
 */
import { isMap, isScalar, parseDocument, stringify, type Pair, type YAMLMap } from "yaml";

/** One adopted entry as the stack file keeps it: the bare id (phase one over) or `{ id, live }` (phase one). */
export type AdoptedEntry = string | { id: string; live: unknown };

const q = (s: string) => JSON.stringify(s);

function block(indent: string, field: string, entries: Record<string, AdoptedEntry>): string {
  const lines = [`${indent}${field}:`];
  for (const [key, entry] of Object.entries(entries)) {
    if (typeof entry === "string") {
      lines.push(`${indent}  ${q(key)}: ${q(entry)}`);
      continue;
    }
    // The live values as a block mapping a reviewer can read in a pull request; strings double-quoted as the ids are.
    const body = stringify(entry, { lineWidth: 0, defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" }).trimEnd();
    lines.push(`${indent}  ${q(key)}:`, ...body.split("\n").map((l) => `${indent}    ${l}`));
  }
  return lines.join("\n");
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** The end of the line a node ends on (a block node's range includes its last line break; a comment may follow a scalar). */
function contentEnd(text: string, offset: number): number {
  while (offset > 0 && /\s/.test(text[offset - 1])) offset--;
  const eol = text.indexOf("\n", offset);
  return eol < 0 ? text.length : eol;
}

export function withAdoption(
  text: string,
  adopt: { records: Record<string, AdoptedEntry>; rulesets: Record<string, AdoptedEntry> },
  namespace: string,
  opts: { replace?: boolean } = {},
): string {
  const doc = parseDocument(text);
  const zone = doc.getIn(["config", `${namespace}:zone`], true) as YAMLMap | undefined;
  if (!isMap(zone) || zone.items.length === 0 || zone.flow) throw new Error(`the stack file has no block mapping ${namespace}:zone under config`);
  const first = zone.items[0].key as { range?: [number, number, number] };
  const indent = " ".repeat(first.range![0] - lineStart(text, first.range![0]));
  const edits: Array<{ from: number; to: number; insert: string }> = [];
  const appended: string[] = [];
  const last = zone.items[zone.items.length - 1] as Pair<{ range?: [number, number, number] }, { range?: [number, number, number] } | null>;
  const end = contentEnd(text, (last.value ?? last.key)!.range![1]);
  for (const [field, entries] of [
    ["existingRecords", adopt.records],
    ["existingRulesets", adopt.rulesets],
  ] as const) {
    if (Object.keys(entries).length === 0) continue;
    const pair = zone.items.find((p) => isScalar(p.key) && p.key.value === field) as Pair<{ range?: [number, number, number] }, unknown> | undefined;
    if (pair) {
      const kept = isMap(pair.value) && !opts.replace ? (pair.value.toJSON() as Record<string, AdoptedEntry>) : {};
      const value = pair.value as { range?: [number, number, number] } | null;
      edits.push({
        from: lineStart(text, pair.key!.range![0]),
        to: contentEnd(text, (value ?? pair.key)!.range![1]),
        insert: block(indent, field, { ...kept, ...entries }),
      });
    } else {
      appended.push(`\n${block(indent, field, entries)}`);
    }
  }
  if (appended.length) edits.push({ from: end, to: end, insert: appended.join("") });
  let out = text;
  for (const e of edits.sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.insert + out.slice(e.to);
  return out;
}

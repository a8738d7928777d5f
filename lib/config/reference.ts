/**
 * The stack config reference, generated from the zod schemas (lib/config/schema.ts) through
 * their JSON Schema, so it cannot drift from what the program accepts: every key, nested
 * ones included (email.senders[].dkim[], edge.rateLimits[], uptime.endpoints[]...), with its
 * shape, allowed values, default and whether it is required. Pure: the tool writes the file.
 */
import { z } from "zod";
import { CONFIG_KEYS, stackConfigSchema } from "./schema";

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

export interface ReferenceRow {
  /** e.g. "email.senders[].dkim[].selector", "zone.existingRecords.<key>" */
  path: string;
  shape: string;
  default?: string;
  required: boolean;
}

const code = (v: unknown) => `\`${typeof v === "string" ? v : JSON.stringify(v)}\``;

/** One line for a value's shape: its type and what narrows it. */
function shapeOf(s: JsonSchema): string {
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map(shapeOf).join(" or ");
  if (s.const !== undefined) return code(s.const);
  if (s.enum) return `one of ${s.enum.map(code).join(", ")}`;
  const type = Array.isArray(s.type) ? s.type.join(" or ") : (s.type ?? "any");
  const bounds = [
    s.format ? `${s.format}` : "",
    // A named format (ipv4, email...) says it better than the regular expression zod writes for it.
    s.pattern && !s.format ? `matching ${code(s.pattern)}` : "",
    // z.number().int() says "a safe integer" as these bounds: nothing a founder needs to read.
    s.minimum !== undefined && s.minimum > Number.MIN_SAFE_INTEGER ? `>= ${s.minimum}` : "",
    s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? `<= ${s.maximum}` : "",
    s.minLength === 1 ? "not empty" : s.minLength !== undefined ? `at least ${s.minLength} characters` : "",
    s.maxLength !== undefined ? `at most ${s.maxLength} characters` : "",
    s.minItems === 1 ? "not empty" : s.minItems !== undefined ? `at least ${s.minItems} items` : "",
    s.maxItems !== undefined ? `at most ${s.maxItems} items` : "",
  ].filter(Boolean);
  const kind = type === "array" ? `list of ${s.items ? shapeOf(s.items) : "any"}` : type === "object" ? mappingOf(s) : type;
  return bounds.length ? `${kind} (${bounds.join(", ")})` : kind;
}

function mappingOf(s: JsonSchema): string {
  if (s.properties) return `mapping { ${Object.keys(s.properties).join(", ")} }`;
  if (typeof s.additionalProperties === "object") return `mapping of name to ${shapeOf(s.additionalProperties)}`;
  return "mapping";
}

/** Every key below `path`, depth first: a list's items as `path[]`, a mapping's entries as `path.<name>`. */
function rowsOf(s: JsonSchema, path: string, required: boolean, out: ReferenceRow[]): void {
  // A mapping defaulted to {} (zod's prefault) takes each key's own default, listed below it.
  const emptyMapping = s.default !== null && typeof s.default === "object" && !Array.isArray(s.default) && Object.keys(s.default).length === 0 && s.properties;
  const shown = emptyMapping ? { default: "each key's default" } : s.default !== undefined ? { default: code(s.default) } : {};
  out.push({ path, shape: shapeOf(s), ...shown, required });
  const alternatives = (s.anyOf ?? s.oneOf ?? []).filter((a) => a.properties || a.items || typeof a.additionalProperties === "object");
  for (const a of alternatives.filter((x) => x.properties))
    for (const [k, v] of Object.entries(a.properties!)) rowsOf(v, `${path}.${k}`, a.required?.includes(k) ?? false, out);
  if (s.properties) for (const [k, v] of Object.entries(s.properties)) rowsOf(v, `${path}.${k}`, s.required?.includes(k) ?? false, out);
  if (s.items && (s.items.properties || s.items.anyOf)) {
    const items = s.items;
    if (items.properties) for (const [k, v] of Object.entries(items.properties)) rowsOf(v, `${path}[].${k}`, items.required?.includes(k) ?? false, out);
    else rowsOf(items, `${path}[]`, true, out);
  }
  if (typeof s.additionalProperties === "object" && (s.additionalProperties.properties || s.additionalProperties.anyOf)) {
    rowsOf(s.additionalProperties, `${path}.<name>`, false, out);
  }
}

/** The rows of every config key, in the order the program documents them. */
export function configReferenceRows(): ReferenceRow[] {
  const schema = z.toJSONSchema(stackConfigSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const out: ReferenceRow[] = [];
  for (const key of CONFIG_KEYS) rowsOf(schema.properties![key], key, schema.required?.includes(key) ?? false, out);
  // A key reached twice (through two alternatives) is listed once.
  return out.filter((r, i) => out.findIndex((x) => x.path === r.path) === i);
}

const cell = (s: string) => s.replace(/\|/g, "\\|");

/** The reference as Markdown, each key under the project's namespace (`<namespace>:zone`). */
export function configReferenceMarkdown(namespace: string): string {
  const rows = configReferenceRows();
  const out = [
    "# Stack config reference",
    "",
    `Generated from the program's schemas (lib/config/schema.ts) by \`npm run config-reference\`; a test fails when it differs from them.`,
    `Every key lives under the project's namespace, e.g. \`${namespace}:zone\` in \`Pulumi.<stack>.yaml\`. A list's items are shown as \`key[]\`,`,
    "a mapping's entries as `key.<name>`; a default is what the program uses when the key is left out. README's \"Stack configuration\" says what each key is for.",
    "",
  ];
  for (const key of CONFIG_KEYS) {
    out.push(`## \`${namespace}:${key}\``, "", "| key | shape | default | required |", "| --- | --- | --- | --- |");
    for (const r of rows.filter((x) => x.path === key || x.path.startsWith(`${key}.`) || x.path.startsWith(`${key}[`)))
      out.push(`| \`${cell(r.path)}\` | ${cell(r.shape)} | ${r.default ? cell(r.default) : ""} | ${r.required ? "yes" : ""} |`);
    out.push("");
  }
  return out.join("\n");
}

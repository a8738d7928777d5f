/**
 * Turns the raw stack config into a validated config and site plan, or a
 * ConfigError listing every problem (config key, what is wrong, the fix).
 * Nothing here touches Pulumi: index.ts reads the config and calls this first,
 * before it declares any resource.
 */
import { closest, distance } from "fastest-levenshtein";
import { z } from "zod";
import { ConfigIssue, planSite, SitePlan } from "../site-plan";
import { CONFIG_KEYS, SHAPES, stackConfigSchema, StackConfig } from "./schema";
import { referencedSecretNames, secretUses } from "./secret-refs";
import { configKey, removeCommand, setSecretCommand } from "./project";
import { expandFlatKeys, FLAT_KEY_NAMES, flatOrigin, type FlatKeyName } from "./flat-keys";

/** The keys the program reads itself: the structured ones and the flat ones `pulumi new` sets. */
export const OWN_KEYS: readonly string[] = [...CONFIG_KEYS, ...FLAT_KEY_NAMES];

export class ConfigError extends Error {
  constructor(
    readonly stack: string,
    readonly issues: ConfigIssue[],
  ) {
    super(formatIssues(stack, issues));
    this.name = "ConfigError";
  }
}

export function formatIssues(stack: string, issues: readonly ConfigIssue[]): string {
  const lines = issues.map((i) => `  - ${i.key}: ${i.message}`);
  return `the config of stack "${stack}" has ${issues.length} problem${issues.length === 1 ? "" : "s"}; nothing was created or changed:\n${lines.join("\n")}`;
}

/** What the stack holds under the project namespace, beyond the values themselves. */
export interface ConfigLookup {
  /** Whether the stack holds this key (under the project namespace). */
  has(key: string): boolean;
  /**
   * Whether it is stored as a secret (`pulumi config set --secret`). For a structured key
   * this is true when any value inside it is (`--secret --path`): the engine marks only
   * whole keys (lib/provider-facts/engine.json facts.configSecretWholeKey).
   */
  isSecret(key: string): boolean;
  /** Every key the stack sets under the project namespace, without it; unset: not checked. */
  keys?(): string[];
}

export interface ValidatedStack {
  config: StackConfig;
  plan: SitePlan;
}

/**
 * Validates everything and throws one ConfigError with all problems. `raw` maps each of the
 * program's keys (OWN_KEYS, without namespace) to its parsed YAML value; `project` is the
 * namespace they live under (Pulumi.yaml `name`), which every message names.
 */
export function validateStackConfig(raw: Record<string, unknown>, stack: string, secrets: ConfigLookup, project: string): ValidatedStack {
  const qualify = (issue: ConfigIssue): ConfigIssue => ({ ...issue, key: issue.key ? configKey(project, issue.key) : project });
  const referenced = referencedSecretNames(raw);
  const expanded = expandFlatKeys(raw);
  const keyIssues = [
    ...encryptedStructuredKeys(raw, stack, secrets, project),
    ...unknownKeys(referenced, secrets, stack, project),
    ...expanded.issues.map(qualify),
  ];
  // reportInput lets messages say what type was given; messages never print the input itself.
  const parsed = stackConfigSchema.safeParse(expanded.config, { reportInput: true });
  if (!parsed.success) throw new ConfigError(stack, [...keyIssues, ...zodIssues(parsed.error, expanded.origins).map(qualify)]);
  const fullNames = fullNameIssues(parsed.data, expanded.origins);
  if (fullNames.length) throw new ConfigError(stack, [...keyIssues, ...fullNames.map(qualify)]);
  const plan = planSite(parsed.data, stack, project);
  const issues = [...keyIssues, ...plan.problems.map((p) => qualify({ ...p, key: flatOrigin(expanded.origins, p.key) ?? p.key }))];
  const unused = (secrets.keys?.() ?? []).filter((k) => !OWN_KEYS.includes(k) && !referenced.includes(k) && secrets.isSecret(k));
  for (const { key, usedBy } of secretUses(plan)) {
    if (!secrets.has(key)) {
      const near = unused.length ? closest(key, unused) : undefined;
      const hint = near && distance(key, near) <= 3 ? ` (the stack holds "${near}": a typo?)` : "";
      issues.push({
        key: configKey(project, key),
        message: `is not set; ${usedBy} needs it${hint}: ${setSecretCommand(project, key, stack)} (it prompts for the value)`,
      });
    } else if (!secrets.isSecret(key)) {
      issues.push({
        key: configKey(project, key),
        message: `is stored in plain text in Pulumi.${stack}.yaml; re-set it encrypted: ${setSecretCommand(project, key, stack)} (it prompts for the value), and rotate it: it was readable`,
      });
    }
  }
  if (issues.length) throw new ConfigError(stack, issues);
  if (unused.length)
    plan.notes.push({
      topic: "secrets",
      text: `Secret config keys no { secret: ... } reference reads (kept, unused): ${unused.map((k) => configKey(project, k)).join(", ")}. Remove them with pulumi config rm once nothing needs them.`,
    });
  return { config: parsed.data, plan };
}

/**
 * The program's keys written under another project's name (`acme:zone` in a project named
 * mybot): the program reads none of them. A namespace counts when it holds `zone` or `hosting`, which
 * no provider's config has. `keys`: every key the stack sets, qualified.
 */
export function foreignNamespaceIssues(keys: readonly string[], project: string): ConfigIssue[] {
  const split = keys.flatMap((k) => (k.includes(":") ? [{ ns: k.slice(0, k.indexOf(":")), key: k.slice(k.indexOf(":") + 1), full: k }] : []));
  const foreign = new Set(split.filter((k) => k.ns !== project && (k.key === "zone" || k.key === "hosting")).map((k) => k.ns));
  return split
    .filter((k) => foreign.has(k.ns) && OWN_KEYS.includes(k.key))
    .map((k) => ({
      key: k.full,
      message: `is under "${k.ns}", but this project is named "${project}" (Pulumi.yaml name), so the program reads ${configKey(project, k.key)}: rename the key to ${configKey(project, k.key)} in the stack file (or name the project ${k.ns})`,
    }));
}

/**
 * The program's own keys must be plain. Pulumi marks a whole key secret when any value inside
 * it is encrypted and does not say which (lib/provider-facts/engine.json facts.configSecretWholeKey), so the program could
 * not keep that value secret: it would reach resources, and the state, in plain text.
 */
function encryptedStructuredKeys(raw: Record<string, unknown>, stack: string, secrets: ConfigLookup, project: string): ConfigIssue[] {
  return OWN_KEYS.filter((key) => raw[key] !== undefined && secrets.isSecret(key)).map((key) => ({
    key: configKey(project, key),
    message:
      "holds an encrypted value (pulumi config set --secret, or --secret --path inside it): Pulumi then marks all of it secret without saying which value, " +
      `so this program cannot keep that value out of the state. Keep each secret in a key of its own (${setSecretCommand(project, "<name>", stack)}, which prompts for the value), ` +
      `reference it as { secret: <name> } (env values and alert webhook URLs take one), and set ${configKey(project, key)} again without --secret`,
  }));
}

/** Keys in the project namespace that are neither the program's nor a referenced secret: a typo drops a whole section. */
function unknownKeys(referenced: readonly string[], secrets: ConfigLookup, stack: string, project: string): ConfigIssue[] {
  return (secrets.keys?.() ?? [])
    .filter((k) => !OWN_KEYS.includes(k) && !referenced.includes(k) && !secrets.isSecret(k))
    .map((k) => {
      const near = closest(k, [...OWN_KEYS]);
      const remove = removeCommand(project, k, stack);
      const fix =
        distance(k, near) <= Math.max(2, Math.floor(k.length / 3))
          ? `did you mean ${configKey(project, near)}? Move the value there and remove this key (${remove})`
          : `this program reads ${CONFIG_KEYS.join(", ")} (and the flat keys pulumi new sets: ${FLAT_KEY_NAMES.join(", ")}); remove it (${remove})`;
      return { key: configKey(project, k), message: `is not a key of this program, so its value would be ignored: ${fix}` };
    });
}

/** Names under the zone written as full names (app.example.com where "app" belongs). */
function fullNameIssues(config: StackConfig, origins: ReadonlyMap<string, FlatKeyName>): ConfigIssue[] {
  const zone = config.zone.name;
  const named: Array<[string, string | undefined]> = [
    ["site.name", config.site.name],
    ...config.subdomains.map((s, i): [string, string] => [`subdomains[${i}].name`, s.name]),
    ...(config.email?.senders ?? []).flatMap((s, i): Array<[string, string | undefined]> => [
      [`email.senders[${i}].domain`, s.domain],
      [`email.senders[${i}].mailFrom`, s.mailFrom],
      ...s.records.map((r, j): [string, string] => [`email.senders[${i}].records[${j}].name`, r.name]),
    ]),
    ...(config.email?.lockDown ?? []).map((n, i): [string, string] => [`email.lockDown[${i}]`, n]),
    ...config.uptime.endpoints.map((e, i): [string, string | undefined] => [`uptime.endpoints[${i}].host`, e.host]),
  ];
  return named.flatMap(([path, name]) => {
    if (name === undefined || (name !== zone && !name.endsWith(`.${zone}`))) return [];
    const relative = name === zone ? "@" : name.slice(0, -(zone.length + 1));
    return [
      { key: flatOrigin(origins, path) ?? path, message: `"${name}" is a full name: names here are relative to the zone ${zone}, so write "${relative}"` },
    ];
  });
}

/** Issues with paths below the namespace: a value a flat key set is reported under that key. */
function zodIssues(error: z.ZodError, origins: ReadonlyMap<string, FlatKeyName>): ConfigIssue[] {
  return error.issues.map((issue) => {
    const path = pathText(issue.path);
    const origin = flatOrigin(origins, path);
    return { key: origin ?? path, message: withShape(describe(issue), issue) };
  });
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");
}

/**
 * The shape of the value at this path (schema.ts SHAPES); for a key missing from a mapping or a list
 * item, the shape of what holds it: "email.senders[0].kind is required" names what a sender needs.
 */
function shapeOf(path: readonly PropertyKey[], missing: boolean): string | undefined {
  const generic = path.map((p) => (typeof p === "number" ? "[]" : String(p)));
  const text = (parts: string[]) => {
    const joined = parts.join(".").replace(/\.\[\]/g, "[]");
    // Extra rules sit under any phase name: edge.extraRules.<phase>[].
    return parts[0] === "edge" && parts[1] === "extraRules" && parts.length > 2 ? joined.replace(/^edge\.extraRules\.[^.[]+/, "edge.extraRules.*") : joined;
  };
  const exact = SHAPES[text(generic)];
  if (exact || !missing) return exact;
  for (let end = generic.length - 1; end > 0; end--) {
    const shape = SHAPES[text(generic.slice(0, end))];
    if (shape) return shape;
    if (generic[end - 1] === "[]") break;
  }
  return undefined;
}

/** A key given no value (reportInput says so whatever the schema: a type, an enum, a union). */
function isMissing(issue: z.core.$ZodIssue): boolean {
  return issue.code !== "custom" && "input" in issue && issue.input === undefined;
}

/** A missing key or a value of the wrong type gets the shape it needs. */
function withShape(message: string, issue: z.core.$ZodIssue): string {
  if (issue.code !== "invalid_type" && issue.code !== "unrecognized_keys" && !isMissing(issue)) return message;
  const shape = shapeOf(issue.path, isMissing(issue) || issue.code === "unrecognized_keys");
  return shape && !message.includes(shape) ? `${message}: ${shape}` : message;
}

function describe(issue: z.core.$ZodIssue): string {
  if (isMissing(issue)) return "is required";
  if (issue.code === "invalid_type") {
    return `must be ${withArticle(TYPE_WORDS[issue.expected] ?? issue.expected)}, not ${withArticle(typeWord(issue.input))}`;
  }
  if (issue.code === "unrecognized_keys")
    return `has unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}: check the spelling against README's config reference`;
  return issue.message;
}

const TYPE_WORDS: Record<string, string> = {
  array: "list",
  object: "mapping (key: value)",
  string: "string",
  number: "number",
  boolean: "boolean (true or false)",
};

/** The YAML-level type of a given value, never the value. */
function typeWord(input: unknown): string {
  if (Array.isArray(input)) return "list";
  if (input === null) return "null (an empty value)";
  if (typeof input === "object") return "mapping (key: value)";
  if (typeof input === "string") return "string";
  return TYPE_WORDS[typeof input] ?? typeof input;
}

function withArticle(word: string): string {
  return /^(null|true)/.test(word) ? word : `${/^[aeiou]/.test(word) ? "an" : "a"} ${word}`;
}

export { CONFIG_KEYS };

/**
 * The program's own keys (OWN_KEYS) read from a stack's config as the engine hands them to a
 * program: a structured value arrives as JSON text, a plain string (`environment: production`) as
 * itself, and a flat key always as the string it is (an all-digit id stays text).
 */
export function rawStackConfig(read: (key: string) => string | undefined): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const key of OWN_KEYS) {
    const value = read(key);
    if (value === undefined) continue;
    if ((FLAT_KEY_NAMES as readonly string[]).includes(key)) {
      raw[key] = value;
      continue;
    }
    try {
      raw[key] = JSON.parse(value);
    } catch {
      raw[key] = value;
    }
  }
  return raw;
}

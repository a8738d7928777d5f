/**
 * Turns the raw stack config into a validated config and site plan, or a
 * ConfigError listing every problem (config key, what is wrong, the fix).
 * Nothing here touches Pulumi: index.ts reads the config and calls this first,
 * before it declares any resource.
 */
import { closest, distance } from "fastest-levenshtein";
import { z } from "zod";
import { ConfigIssue, planSite, SitePlan } from "../site-plan";
import { CONFIG_KEYS, PROJECT, stackConfigSchema, StackConfig } from "./schema";
import { referencedSecretNames, secretUses } from "./secret-refs";

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
 * Validates everything and throws one ConfigError with all problems. `raw` maps each
 * key of CONFIG_KEYS (without namespace) to its parsed YAML value.
 */
export function validateStackConfig(raw: Record<string, unknown>, stack: string, secrets: ConfigLookup): ValidatedStack {
  const referenced = referencedSecretNames(raw);
  const keyIssues = [...encryptedStructuredKeys(raw, stack, secrets), ...unknownKeys(referenced, secrets, stack)];
  // reportInput lets messages say what type was given; messages never print the input itself.
  const parsed = stackConfigSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new ConfigError(stack, [...keyIssues, ...zodIssues(parsed.error)]);
  const fullNames = fullNameIssues(parsed.data);
  if (fullNames.length) throw new ConfigError(stack, [...keyIssues, ...fullNames]);
  const plan = planSite(parsed.data, stack);
  const issues = [...keyIssues, ...plan.problems];
  const unused = (secrets.keys?.() ?? []).filter((k) => !(CONFIG_KEYS as readonly string[]).includes(k) && !referenced.includes(k) && secrets.isSecret(k));
  for (const { key, usedBy } of secretUses(plan)) {
    if (!secrets.has(key)) {
      const near = unused.length ? closest(key, unused) : undefined;
      const hint = near && distance(key, near) <= 3 ? ` (the stack holds "${near}": a typo?)` : "";
      issues.push({
        key: `${PROJECT}:${key}`,
        message: `is not set; ${usedBy} needs it${hint}: pulumi config set --secret ${PROJECT}:${key} <value> --stack ${stack}`,
      });
    } else if (!secrets.isSecret(key)) {
      issues.push({
        key: `${PROJECT}:${key}`,
        message: `is stored in plain text in Pulumi.${stack}.yaml; re-set it encrypted: pulumi config set --secret ${PROJECT}:${key} <value> --stack ${stack}`,
      });
    }
  }
  if (issues.length) throw new ConfigError(stack, issues);
  if (unused.length)
    plan.env.notes.push(
      `Secret config keys no { secret: ... } reference reads (kept, unused): ${unused.map((k) => `${PROJECT}:${k}`).join(", ")}. Remove them with pulumi config rm once nothing needs them.`,
    );
  return { config: parsed.data, plan };
}

/**
 * The program's own keys must be plain. Pulumi marks a whole key secret when any value inside
 * it is encrypted and does not say which (lib/provider-facts/engine.json facts.configSecretWholeKey), so the program could
 * not keep that value secret: it would reach resources, and the state, in plain text.
 */
function encryptedStructuredKeys(raw: Record<string, unknown>, stack: string, secrets: ConfigLookup): ConfigIssue[] {
  return CONFIG_KEYS.filter((key) => raw[key] !== undefined && secrets.isSecret(key)).map((key) => ({
    key: `${PROJECT}:${key}`,
    message:
      "holds an encrypted value (pulumi config set --secret, or --secret --path inside it): Pulumi then marks all of it secret without saying which value, " +
      `so this program cannot keep that value out of the state. Keep each secret in a key of its own (pulumi config set --secret <name> <value> --stack ${stack}), ` +
      `reference it as { secret: <name> } (env values and alert webhook URLs take one), and set ${PROJECT}:${key} again without --secret`,
  }));
}

/** Keys in the project namespace that are neither the program's nor a referenced secret: a typo drops a whole section. */
function unknownKeys(referenced: readonly string[], secrets: ConfigLookup, stack: string): ConfigIssue[] {
  const known: readonly string[] = CONFIG_KEYS;
  return (secrets.keys?.() ?? [])
    .filter((k) => !known.includes(k) && !referenced.includes(k) && !secrets.isSecret(k))
    .map((k) => {
      const near = closest(k, [...known]);
      const remove = `pulumi config rm ${PROJECT}:${k} --stack ${stack}`;
      const fix =
        distance(k, near) <= Math.max(2, Math.floor(k.length / 3))
          ? `did you mean ${PROJECT}:${near}? Move the value there and remove this key (${remove})`
          : `this program reads ${known.join(", ")}; remove it (${remove})`;
      return { key: `${PROJECT}:${k}`, message: `is not a key of this program, so its value would be ignored: ${fix}` };
    });
}

/** Names under the zone written as full names (app.example.com where "app" belongs). */
function fullNameIssues(config: StackConfig): ConfigIssue[] {
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
    return [{ key: `${PROJECT}:${path}`, message: `"${name}" is a full name: names here are relative to the zone ${zone}, so write "${relative}"` }];
  });
}

function zodIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => {
    const [top, ...rest] = issue.path;
    const path = rest.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
    const key = top === undefined ? PROJECT : `${PROJECT}:${String(top)}${path}`;
    return { key, message: describe(issue) };
  });
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") {
    if (issue.input === undefined) return "is required";
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
 * The program's own keys (CONFIG_KEYS) read from a stack's config as the engine hands them to a
 * program: a structured value arrives as JSON text, a plain string (`environment: production`) as itself.
 */
export function rawStackConfig(read: (key: string) => string | undefined): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const value = read(key);
    if (value === undefined) continue;
    try {
      raw[key] = JSON.parse(value);
    } catch {
      raw[key] = value;
    }
  }
  return raw;
}

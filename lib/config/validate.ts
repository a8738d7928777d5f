/**
 * Turns the raw stack config into a validated config and site plan, or a
 * ConfigError listing every problem (config key, what is wrong, the fix).
 * Nothing here touches Pulumi: index.ts reads the config and calls this first,
 * before it declares any resource.
 */
import { z } from "zod";
import { ConfigIssue, planSite, SitePlan } from "../site-plan";
import { CONFIG_KEYS, PROJECT, stackConfigSchema, StackConfig } from "./schema";

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

/** How to check the secret config keys the env vars reference. */
export interface SecretLookup {
  /** Whether the stack holds this key (under the project namespace). */
  has(key: string): boolean;
  /** Whether it is stored as a secret (`pulumi config set --secret`). */
  isSecret(key: string): boolean;
}

export interface ValidatedStack {
  config: StackConfig;
  plan: SitePlan;
}

/**
 * Validates everything and throws one ConfigError with all problems. `raw` maps each
 * key of CONFIG_KEYS (without namespace) to its parsed YAML value.
 */
export function validateStackConfig(raw: Record<string, unknown>, stack: string, secrets: SecretLookup): ValidatedStack {
  const parsed = stackConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(stack, zodIssues(parsed.error));
  const plan = planSite(parsed.data, stack);
  const issues = [...plan.problems];
  for (const { key, target, envKey } of plan.env.secretKeys) {
    if (!secrets.has(key)) {
      issues.push({ key: `${PROJECT}:${key}`, message: `is not set; ${envKey} (${target}) needs it: pulumi config set --secret ${PROJECT}:${key} <value> --stack ${stack}` });
    } else if (!secrets.isSecret(key)) {
      issues.push({ key: `${PROJECT}:${key}`, message: `is stored in plain text in Pulumi.${stack}.yaml; re-set it encrypted: pulumi config set --secret ${PROJECT}:${key} <value> --stack ${stack}` });
    }
  }
  if (issues.length) throw new ConfigError(stack, issues);
  return { config: parsed.data, plan };
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
  if (issue.code === "invalid_type" && issue.input === undefined) return "is required";
  if (issue.code === "unrecognized_keys") return `has unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}: check the spelling against README's config reference`;
  if (issue.code === "invalid_union") return `${issue.message}: expected one of "vercel", { cname: host }, { ipv4: addr }, { ipv6: addr } (targets) or a string / { secret: configKey } (env values)`;
  return issue.message;
}

export { CONFIG_KEYS };

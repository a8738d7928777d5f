/**
 * Which secrets the stack holds and where: each Vercel env var whose value comes
 * from an encrypted Pulumi config key ("secret-config"). Names only, never values.
 *
 * The config key of a variable is the domain map entry's `configKey`, which the
 * program sets on every secret-config entry. A map without it (outputs from an
 * older deploy) leaves the key unknown: the document then says where to look
 * instead of guessing a key that may not exist.
 */
import { DomainMap, ENV_TARGETS, EnvTarget } from "../domain-map";
import { configKey, setQualifiedSecretCommand } from "../config/project";

export const TARGETS: readonly EnvTarget[] = ENV_TARGETS;

export type EnvEntry = DomainMap["hosting"]["env"][EnvTarget][number];

/** The config key holding an env var's value, e.g. "openaiApiKeyProduction"; undefined when the map does not name it. */
export function secretConfigKey(entry: EnvEntry): string | undefined {
  return entry.configKey || undefined;
}

export interface StackSecret {
  /** Config key without the project prefix; undefined when the domain map does not name it. */
  configKey?: string;
  /** The Vercel env var names this key feeds, with their targets. */
  uses: Array<{ envKey: string; target: EnvTarget }>;
}

/** Every secret-config env var, grouped by the config key that holds it. Unknown keys stay one per variable. */
export function stackSecrets(map: DomainMap): StackSecret[] {
  const byKey = new Map<string, StackSecret>();
  for (const target of TARGETS) {
    for (const entry of map.hosting.env[target] ?? []) {
      if (entry.source !== "secret-config") continue;
      const configKey = secretConfigKey(entry);
      const group = configKey ?? `?${target}/${entry.key}`;
      const secret = byKey.get(group) ?? { configKey, uses: [] };
      secret.uses.push({ envKey: entry.key, target });
      byKey.set(group, secret);
    }
  }
  return [...byKey.values()].sort(compareSecrets);
}

/** Production first, then preview, then development; by variable name within a target. */
function compareSecrets(a: StackSecret, b: StackSecret): number {
  const [ua, ub] = [a.uses[0], b.uses[0]];
  return TARGETS.indexOf(ua.target) - TARGETS.indexOf(ub.target) || ua.envKey.localeCompare(ub.envKey) || (a.configKey ?? "").localeCompare(b.configKey ?? "");
}

/** Stands in for a config key the document does not know; safe to paste (no shell metacharacters). */
export const UNKNOWN_KEY = "CONFIG_KEY";

/** `<project>:<key>`, or `<project>:CONFIG_KEY` when the key is unknown. */
export function qualifiedKey(project: string, secret: StackSecret): string {
  return configKey(project, secret.configKey ?? UNKNOWN_KEY);
}

/** `pulumi config set --secret <project>:<key> --stack <stack>`: it prompts for the value. */
export function configSetCommand(project: string, stack: string, secret: StackSecret): string {
  return setQualifiedSecretCommand(qualifiedKey(project, secret), stack);
}

/** The first rotation step: where to get a new value, by the env var's name. */
export function newValueStep(envKey: string): string {
  const issuedBy = (where: string) => `Create a new value in ${where}. Keep the old one working for now.`;
  const steps: Array<[RegExp, string]> = [
    [/^OPENAI_/, issuedBy("the OpenAI dashboard (platform.openai.com, API keys)")],
    [/^ANTHROPIC_/, issuedBy("the Anthropic Console (console.anthropic.com, API keys)")],
    [/^STRIPE_WEBHOOK/, issuedBy("the Stripe dashboard (Developers, Webhooks, roll the signing secret)")],
    [/^STRIPE_/, issuedBy("the Stripe dashboard (Developers, API keys, roll key)")],
    [/^(DATABASE_URL|POSTGRES_|DB_)/, issuedBy("your database provider (a new user or password, and its connection string)")],
    [/^SUPABASE_/, issuedBy("the Supabase dashboard (Project settings, API)")],
    [/^RESEND_/, issuedBy("the Resend dashboard (API keys)")],
    [/^POSTMARK_/, issuedBy("the Postmark dashboard (Server, API tokens)")],
    [/^(AWS_|SES_)/, issuedBy("the AWS console (IAM, the user's security credentials)")],
    [/(AUTH_SECRET|SESSION_SECRET|JWT_SECRET)$/, "Make a new random value with `openssl rand -base64 32`. Everyone is signed out when it changes."],
  ];
  return steps.find(([re]) => re.test(envKey))?.[1] ?? issuedBy("the service that issued it");
}

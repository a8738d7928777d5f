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

/** Secret config keys that are not env vars: token-bearing alert webhook URLs (alerts.webhooks { secret: key }). */
export function alertSecrets(map: DomainMap): Array<{ configKey: string; webhook: string }> {
  return (map.alerts.webhookEndpoints ?? []).flatMap((w) => (w.secretKey ? [{ configKey: w.secretKey, webhook: w.name }] : []));
}

/** Every secret the stack's own config holds: the app's and the alert webhooks'. */
export function stackSecretCount(map: DomainMap): number {
  return stackSecrets(map).length + alertSecrets(map).length;
}

/** Where a new value of a secret comes from, by the env var's name. */
export function newValueSource(envKey: string): string {
  const sources: Array<[RegExp, string]> = [
    [/^OPENAI_/, "OpenAI dashboard (platform.openai.com, API keys)"],
    [/^ANTHROPIC_/, "Anthropic Console (console.anthropic.com, API keys)"],
    [/^STRIPE_WEBHOOK/, "Stripe dashboard (Developers, Webhooks, roll the signing secret)"],
    [/^STRIPE_/, "Stripe dashboard (Developers, API keys, roll key)"],
    [/^(DATABASE_URL|POSTGRES_|DB_)/, "your database provider (a new user or password, and its connection string)"],
    [/^SUPABASE_/, "Supabase dashboard (Project settings, API)"],
    [/^RESEND_/, "Resend dashboard (API keys)"],
    [/^POSTMARK_/, "Postmark dashboard (Server, API tokens)"],
    [/^(AWS_|SES_)/, "AWS console (IAM, the user's security credentials)"],
    [/(AUTH_SECRET|SESSION_SECRET|JWT_SECRET)$/, "`openssl rand -base64 32` (everyone is signed out when it changes)"],
  ];
  return sources.find(([re]) => re.test(envKey))?.[1] ?? "the service that issued it";
}

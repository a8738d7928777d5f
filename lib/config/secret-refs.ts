/**
 * Secret references: `{ secret: name }` anywhere in the config names a stack config key
 * set with `pulumi config set --secret`. Env values and alert webhook URLs take them.
 */
import type { SitePlan } from "../site-plan";

/**
 * Every `{ secret: name }` in raw, unvalidated config, wherever it sits: what the offline plan
 * must provide placeholders for and what unknown-key checks must not flag, even when the
 * rest of the config is still wrong.
 */
export function referencedSecretNames(raw: unknown): string[] {
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== "object" || v === null) return;
    const entries = Object.entries(v);
    if (entries.length === 1 && entries[0][0] === "secret" && typeof entries[0][1] === "string") names.add(entries[0][1]);
    else entries.forEach(([, x]) => walk(x));
  };
  walk(raw);
  return [...names];
}

/** Each secret config key the validated plan reads, and what reads it (for messages). */
export function secretUses(plan: Pick<SitePlan, "env" | "alertWebhooks">): Array<{ key: string; usedBy: string }> {
  return [
    ...plan.env.secretKeys.map(({ key, target, envKey }) => ({ key, usedBy: `${envKey} (${target})` })),
    ...plan.alertWebhooks.flatMap((w) => ("secretKey" in w.url ? [{ key: w.url.secretKey, usedBy: `the alert webhook "${w.key}"` }] : [])),
  ];
}

/**
 * Env var names per Vercel environment with where each value is stored, and ONE rotation
 * procedure with a table of every secret it applies to (the app's per environment, the alert
 * webhooks', the deploy credentials), instead of one near-identical block per secret.
 */
import type { DomainMap, EnvTarget } from "../../domain-map";
import { blocks, bullets, code, heading, numbered, shell, table } from "../markdown";
import { configKey, setQualifiedSecretCommand } from "../../config/project";
import { TARGETS, UNKNOWN_KEY, alertSecrets, newValueSource, stackSecrets, type EnvEntry } from "../secrets";

const TARGET_NAMES: Record<EnvTarget, string> = {
  production: "Production",
  preview: "Preview",
  development: "Development",
};

/** Where a variable that is not a secret of the stack config comes from (those are in "Rotating secrets"). */
function storedWhere(map: DomainMap, entry: EnvEntry): string {
  if (entry.source === "generated") {
    return `created by ${entry.generatedBy ?? "another resource"}, copied by Pulumi${entry.sensitive ? ", sensitive in Vercel (never in the stack file)" : ""}`;
  }
  return `plain text in ${code(`Pulumi.${map.stack}.yaml`)}`;
}

/** Variables grouped by name: one row per name, its environments listed (secrets are in "Rotating secrets"). */
export function envSection(map: DomainMap): string {
  const byName = new Map<string, Array<{ target: EnvTarget; entry: EnvEntry }>>();
  for (const target of TARGETS)
    for (const entry of map.hosting.env[target] ?? [])
      if (entry.source !== "secret-config") byName.set(entry.key, [...(byName.get(entry.key) ?? []), { target, entry }]);
  const rows = [...byName.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, uses]) => [
      code(name),
      uses.map((u) => TARGET_NAMES[u.target]).join(", "),
      [...new Set(uses.map((u) => storedWhere(map, u.entry)))].join("; "),
    ]);
  const count = TARGETS.reduce((n, t) => n + (map.hosting.env[t] ?? []).length, 0);
  const secrets = stackSecrets(map).reduce((n, x) => n + x.uses.length, 0);
  const intro = `The stack sets ${count} variable${count === 1 ? "" : "s"} on the Vercel project ${code(map.hosting.projectId)} (names only, never a value): ${secrets} from secrets, listed with their config keys in "Rotating secrets", and these${rows.length ? "" : " (none)"}. A secret is stored encrypted in ${code(`Pulumi.${map.stack}.yaml`)} (the source of truth) and in Vercel; production, preview and development never share one.`;
  return blocks(heading(2, "Environment variables"), intro, rows.length ? table(["Name", "Environments", "Value is stored in"], rows) : undefined);
}

/** What to redeploy after a new value, by where the secret is used. */
const REDEPLOY: Record<EnvTarget, string> = {
  production: "redeploy production (`vercel redeploy <current production deployment URL>`)",
  preview: "redeploy the preview deployments you still use",
  development: "each developer runs `vercel env pull` again",
};

/** One row per variable name, with its config key in each environment: the table the procedure applies to. */
function secretRows(map: DomainMap, project: string, targets: readonly EnvTarget[]): string[][] {
  const byName = new Map<string, Map<EnvTarget, string>>();
  for (const s of stackSecrets(map))
    for (const u of s.uses) byName.set(u.envKey, (byName.get(u.envKey) ?? new Map()).set(u.target, code(configKey(project, s.configKey ?? UNKNOWN_KEY))));
  return [...byName.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, keys]) => [code(name), ...targets.map((t) => keys.get(t) ?? "—"), newValueSource(name)]);
}

export function rotationSection(map: DomainMap, project: string): string {
  const s = map.stack;
  const unknown = stackSecrets(map).some((x) => !x.configKey);
  const turnstile = map.turnstile;
  const targets = TARGETS.filter((t) => stackSecrets(map).some((x) => x.uses.some((u) => u.target === t)));
  const others = [
    ...alertSecrets(map).map((a) => [
      `alert webhook ${code(a.webhook)}`,
      code(configKey(project, a.configKey)),
      "the alerting service's integration page (a new URL); `pulumi up` re-subscribes the topic",
    ]),
    ["Pulumi's Cloudflare token", code("cloudflare:apiToken"), "Cloudflare, My Profile, API Tokens (same permissions, this zone only)"],
    ["Pulumi's Vercel token", code("vercel:apiToken"), "Vercel account settings, Tokens"],
  ];
  return blocks(
    heading(2, "Rotating secrets"),
    "Rotate a secret when someone with access leaves, when it may have leaked, or on a schedule. The same four steps for each secret in the tables below:",
    numbered([
      "Create a new value where the table says. Keep the old one working for now.",
      `Store it (the command prompts for the value, so it stays out of your shell history; it rewrites ${code(`Pulumi.${s}.yaml`)}: commit it), then preview and apply:`,
    ]),
    shell([setQualifiedSecretCommand("<config-key>", s), `pulumi preview --stack ${s} --policy-pack policies`, `pulumi up --stack ${s}`]),
    numbered(
      [
        `Env var changes only reach new deployments: ${targets.map((t) => `${t}: ${REDEPLOY[t]}`).join("; ") || "nothing to redeploy"}.`,
        "Check the feature that uses it, then revoke the old value where it was issued.",
      ],
      3,
    ),
    targets.length
      ? table(["App secret", ...targets.map((t) => `${TARGET_NAMES[t]} config key`), "New value from"], secretRows(map, project, targets))
      : "The app gets no secret from the stack config.",
    table(["Other secret", "Config key", "New value from"], others),
    bullets([
      ...(unknown
        ? [
            `${code(configKey(project, UNKNOWN_KEY))}: this map does not name the key; it is the ${code("secret:")} name of that variable under ${code("hosting.env")} in ${code(`Pulumi.${s}.yaml`)}.`,
          ]
        : []),
      ...(turnstile
        ? [
            `${code(turnstile.secretVar)} is not in the stack config: rotate it in the Cloudflare dashboard (Turnstile, the widget, Rotate secret key), then ${code("pulumi refresh")} and ${code("pulumi up")} so Vercel gets it; redeploy.`,
          ]
        : []),
      "The AWS access key Pulumi runs with (a profile or environment variables): create a second key for the IAM user, switch to it, run a preview, then deactivate and delete the old one.",
    ]),
  );
}

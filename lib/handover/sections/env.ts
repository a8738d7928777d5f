/** Env var names per Vercel environment, where each secret is stored, and how to rotate it. */
import type { DomainMap, EnvTarget } from "../../domain-map";
import { blocks, bullets, code, heading, numbered, shell, table } from "../markdown";
import { configKey, setQualifiedSecretCommand } from "../../config/project";
import { TARGETS, UNKNOWN_KEY, configSetCommand, newValueStep, secretConfigKey, stackSecrets, type EnvEntry, type StackSecret } from "../secrets";

const TARGET_NAMES: Record<EnvTarget, string> = {
  production: "Production",
  preview: "Preview",
  development: "Development",
};

function storedWhere(map: DomainMap, entry: EnvEntry, target: EnvTarget, project: string): string {
  if (entry.source === "secret-config") {
    const key = secretConfigKey(entry);
    const where = key
      ? `Pulumi secret ${code(configKey(project, key))}`
      : `a Pulumi secret (key: see ${code(`hosting.env.${target}`)} in ${code(`Pulumi.${map.stack}.yaml`)})`;
    return `${where}, copied to Vercel${entry.sensitive ? " as a sensitive variable" : ""}`;
  }
  if (entry.source === "generated") {
    return `created by ${entry.generatedBy ?? "another resource"} and copied to Vercel by Pulumi${entry.sensitive ? " as a sensitive variable (never in the stack file)" : ""}`;
  }
  return `plain text in ${code(`Pulumi.${map.stack}.yaml`)}`;
}

function targetTable(map: DomainMap, target: EnvTarget, project: string): string {
  const entries = [...(map.hosting.env[target] ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  if (entries.length === 0) return blocks(heading(3, TARGET_NAMES[target]), "No variables.");
  const rows = entries.map((e) => [code(e.key), e.source === "secret-config" || e.sensitive ? "yes" : "no", storedWhere(map, e, target, project)]);
  return blocks(heading(3, `${TARGET_NAMES[target]} (${entries.length})`), table(["Name", "Secret", "Value is stored in"], rows));
}

/** `project`: the config namespace the stack's secrets live under (Pulumi.yaml `name`). */
export function envSection(map: DomainMap, project: string): string {
  const intro = [
    `The stack sets these variables on the Vercel project ${code(map.hosting.projectId)}. Names only: this document never holds a value.`,
    `Each secret is stored twice, encrypted both times: in the stack config ${code(`Pulumi.${map.stack}.yaml`)} (the source of truth) and in Vercel, where sensitive variables cannot be read back.`,
    "Production, preview and development never share a secret.",
  ].join(" ");
  return blocks(heading(2, "Environment variables"), intro, ...TARGETS.map((t) => targetTable(map, t, project)));
}

function usesLine(secret: StackSecret): string {
  return secret.uses.map((u) => `${code(u.envKey)} (${u.target})`).join(", ");
}

/** Env var changes only reach new deployments (and fresh `vercel env pull`s). */
function redeployStep(secret: StackSecret): string {
  const targets = new Set(secret.uses.map((u) => u.target));
  if (targets.has("production")) {
    return `Redeploy production so it uses the new value (env var changes only reach new deployments): ${code("vercel redeploy <current production deployment URL>")}.`;
  }
  if (targets.has("preview")) return "Redeploy the preview deployments you still use (env var changes only reach new deployments).";
  return `Ask each developer to run ${code("vercel env pull")} again (development values reach laptops only that way).`;
}

function rotationTitle(secret: StackSecret): string {
  const names = [...new Set(secret.uses.map((u) => u.envKey))].join(", ");
  const targets = [...new Set(secret.uses.map((u) => u.target))].join(", ");
  return `${names} (${targets})`;
}

function rotationSteps(map: DomainMap, secret: StackSecret, project: string): string {
  const stored = secret.configKey
    ? `Stored in the stack secret ${code(configKey(project, secret.configKey))}; feeds ${usesLine(secret)}.`
    : `Feeds ${usesLine(secret)}. Its config key is not known here: it is the ${code("secret:")} name under ${code(`hosting.env.${secret.uses[0].target}`)} in ${code(`Pulumi.${map.stack}.yaml`)}; put it in place of ${code(UNKNOWN_KEY)} below.`;
  return blocks(
    heading(3, rotationTitle(secret)),
    stored,
    numbered([newValueStep(secret.uses[0].envKey), `Store it in the stack and apply (this rewrites ${code(`Pulumi.${map.stack}.yaml`)}: commit it):`]),
    shell([configSetCommand(project, map.stack, secret), `pulumi preview --stack ${map.stack} --policy-pack policies`, `pulumi up --stack ${map.stack}`]),
    numbered([redeployStep(secret), "Check the feature that uses it, then revoke the old value where it was issued (if a service issued it)."], 3),
  );
}

export function rotationSection(map: DomainMap, project: string): string {
  const secrets = stackSecrets(map);
  const intro = [
    "Rotate a secret when someone with access leaves, when it may have leaked, or on a schedule.",
    `${code("pulumi config set --secret")} without a value asks for it, so it never lands in your shell history. ${code(`pulumi config --stack ${map.stack}`)} lists every key, values hidden.`,
  ].join(" ");
  const list = secrets.length === 0 ? "This stack gives the app no secrets." : blocks(intro, ...secrets.map((s) => rotationSteps(map, s, project)));
  return blocks(heading(2, "Rotating secrets"), list, deployCredentials(map));
}

function deployCredentials(map: DomainMap): string {
  const s = map.stack;
  return blocks(
    heading(3, "Deploy credentials (used by Pulumi, not by the app)"),
    bullets([
      `Cloudflare API token: the stack secret ${code("cloudflare:apiToken")} or the ${code("CLOUDFLARE_API_TOKEN")} environment variable. Create a new token with the same permissions, limited to this zone, then:`,
    ]),
    shell([setQualifiedSecretCommand("cloudflare:apiToken", s), `pulumi preview --stack ${s}`]),
    bullets([
      `Vercel API token: ${code("vercel:apiToken")} or ${code("VERCEL_API_TOKEN")}, created in Vercel account settings, Tokens; same steps with ${code(setQualifiedSecretCommand("vercel:apiToken", s))}.`,
      "AWS access key: whatever profile or environment variables Pulumi runs with. Create a second key for the IAM user, switch to it, run a preview, then deactivate and delete the old key.",
      "When the preview works with the new credential, delete the old one at the provider.",
    ]),
  );
}

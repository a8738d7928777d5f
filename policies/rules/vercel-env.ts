/**
 * Vercel environment variables: secrets are sensitive, never shipped to the browser,
 * and production secrets are not shared with preview/development deployments.
 * Messages name the variable and the *kind* of secret, never its value.
 */
import { createHash } from "crypto";
import { isClientExposed, isPublicByDesignName, looksSecretName, secretReason, secretValueKind, stripClientPrefix, withArticle } from "../shared/secret-detect";
import { LaunchPolicy, T, arr, forType, isUnknown, obj, stackResources, str } from "./util";

/** The per-variable resource, and the batch one (many variables) some hand-written stacks use. */
const ENV_TYPES = [T.vercelEnv, T.vercelEnvBatch] as const;

export interface EnvEntry {
  key: string;
  /** undefined when unknown at preview time or not a string. */
  value: string | undefined;
  valueUnknown: boolean;
  targets: string[];
  sensitive: boolean;
  projectId?: string;
}

export function envEntriesOf(type: string, props: Record<string, any>): EnvEntry[] {
  const one = (p: Record<string, any>, projectId?: string): EnvEntry | undefined => {
    const key = str(p.key);
    if (!key) return undefined;
    const targets = arr(p.targets ?? p.target).filter((t): t is string => typeof t === "string");
    return {
      key,
      value: str(p.value),
      valueUnknown: isUnknown(p.value),
      targets,
      sensitive: p.sensitive === true,
      projectId: str(p.projectId) ?? projectId,
    };
  };
  if (type === T.vercelEnv) return [one(props)].filter((e): e is EnvEntry => !!e);
  if (type === T.vercelEnvBatch) {
    return arr(props.variables)
      .map((v) => one(obj(v) ?? {}, str(props.projectId)))
      .filter((e): e is EnvEntry => !!e);
  }
  return [];
}

/** Why this variable is a secret (shared/secret-detect.ts secretReason, as the program's config check says it), or undefined. Never includes the value. */
const envSecretReason = (e: EnvEntry): string | undefined => secretReason(e.key, e.value);

const targetsText = (t: string[]) => (t.length ? t.join(", ") : "no target");

export const envSecretsSensitive: LaunchPolicy = {
  name: "vercel-env-secrets-sensitive",
  severity: "critical",
  remediationSteps:
    "Store the value with pulumi config set --secret <key> (it prompts for the value), reference it as { secret: <key> } in Launch Ready config hosting.env " +
    "(a hand-written stack sets sensitive: true and passes the secret config value), and rotate it if it was ever readable. " +
    "Vercel forbids sensitive on development-only variables, so keep real secrets out of development.",
  url: "https://vercel.com/docs/environment-variables/sensitive-environment-variables",
  description:
    "Secret-looking Vercel environment variables (keys, tokens, passwords, DSNs, connection strings, by name or by value shape) must be sensitive: " +
    "a sensitive value cannot be read back from the dashboard or API after it is written, so a leaked team token or a curious teammate cannot copy it.",
  enforcementLevel: "mandatory",
  validateResource: forType(ENV_TYPES, (props, args, report) => {
    for (const e of envEntriesOf(args.type, props)) {
      if (e.sensitive) continue;
      const onlyDevelopment = e.targets.length > 0 && e.targets.every((t) => t === "development");
      if (onlyDevelopment) continue;
      const why = envSecretReason(e);
      if (why) report(`${e.key} (${targetsText(e.targets)}) is not sensitive but ${why}: set sensitive: true.`);
    }
  }),
};

export const envNoClientSecrets: LaunchPolicy = {
  name: "vercel-env-no-client-exposed-secrets",
  severity: "critical",
  remediationSteps:
    "Rename the variable without the public prefix (NEXT_PUBLIC_, VITE_...), read it only on the server (call the API from a server route), " +
    "and rotate the secret: it has already shipped in a bundle.",
  url: "https://nextjs.org/docs/app/guides/environment-variables#bundling-environment-variables-for-the-browser",
  description:
    "No secret in a client-exposed variable (NEXT_PUBLIC_, VITE_, REACT_APP_, PUBLIC_, NUXT_PUBLIC_, EXPO_PUBLIC_, GATSBY_ ...): frameworks inline " +
    "these into the JavaScript bundle, so every visitor can read them. Keys that are public by design (publishable, anon, site keys, Sentry browser DSN) " +
    "are allowed unless the value is a definite secret.",
  enforcementLevel: "mandatory",
  validateResource: forType(ENV_TYPES, (props, args, report) => {
    for (const e of envEntriesOf(args.type, props)) {
      if (!isClientExposed(e.key)) continue;
      const shape = secretValueKind(e.value);
      const publicByDesign = isPublicByDesignName(e.key);
      const bare = stripClientPrefix(e.key);
      if (shape && (shape.certainty === "definite" || !publicByDesign)) {
        report(
          `${e.key} is shipped to the browser but its value looks like ${withArticle(shape.kind)}: move it to a server-only variable (without the public prefix).`,
        );
      } else if (!publicByDesign && looksSecretName(bare)) {
        report(`${e.key} is shipped to the browser but its name marks a secret (${bare}): move it to a server-only variable.`);
      } else if (e.sensitive && !publicByDesign) {
        report(`${e.key} is marked sensitive but its prefix ships it to the browser: drop the public prefix if it is a secret.`);
      }
    }
  }),
};

export const envSensitiveTargets: LaunchPolicy = {
  name: "vercel-env-sensitive-targets",
  severity: "medium",
  remediationSteps: "Target production and preview only with the sensitive variable, and give development its own non-sensitive, development-only value.",
  url: "https://vercel.com/docs/environment-variables/sensitive-environment-variables",
  description: "Vercel rejects sensitive variables that target development (sensitive values cannot be pulled to a laptop), so the deployment fails midway.",
  enforcementLevel: "mandatory",
  validateResource: forType(ENV_TYPES, (props, args, report) => {
    for (const e of envEntriesOf(args.type, props)) {
      if (e.sensitive && e.targets.includes("development")) {
        report(`${e.key} is sensitive and targets development, which Vercel refuses: remove "development" from its targets.`);
      }
    }
  }),
};

export const envProductionIsolated: LaunchPolicy = {
  name: "vercel-env-production-isolated",
  severity: "critical",
  remediationSteps:
    "Give preview and development their own variables and secret config keys (e.g. databaseUrlPreview) with their own credentials (a preview database, a restricted key), " +
    "so a branch deployment never reaches production data.",
  url: "https://vercel.com/docs/environment-variables",
  description:
    "Production secrets must not be shared with preview or development: preview deployments run unreviewed branches (and are reachable by anyone with the " +
    "URL), so a shared production database URL or API key lets any branch read or spend production data.",
  enforcementLevel: "mandatory",
  validateResource: forType(ENV_TYPES, (props, args, report) => {
    for (const e of envEntriesOf(args.type, props)) {
      if (!e.targets.includes("production")) continue;
      const shared = e.targets.filter((t) => t !== "production");
      if (shared.length === 0) continue;
      const why = e.sensitive ? "it is sensitive" : envSecretReason(e);
      if (why) report(`${e.key} targets production and ${shared.join(", ")} with one value and ${why}: give ${shared.join("/")} its own value.`);
    }
  }),
};

export const envProductionValuesNotReused: LaunchPolicy = {
  name: "vercel-env-production-values-not-reused",
  severity: "critical",
  remediationSteps: "Issue a separate credential for preview and development, store each under its own secret config key, and rotate the production one.",
  url: "https://vercel.com/docs/environment-variables",
  description:
    "A production secret's value must not be reused by a preview or development variable of the same project (declared as a separate variable): " +
    "that shares production credentials with unreviewed branches just as a shared target does.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const entries = stackResources(args).flatMap((r) => envEntriesOf(r.type, r.props).map((e) => ({ e, r })));
    if (entries.length === 0) args.notApplicable("no Vercel environment variables");
    const digest = (v: string) => createHash("sha256").update(v).digest("hex");
    const nonProd = new Map<string, { key: string; urn: string }[]>();
    for (const { e, r } of entries) {
      if (e.value === undefined || e.targets.every((t) => t === "production")) continue;
      const k = `${e.projectId ?? ""}|${digest(e.value)}`;
      nonProd.set(k, [...(nonProd.get(k) ?? []), { key: e.key, urn: r.urn }]);
    }
    for (const { e, r } of entries) {
      if (e.value === undefined || !e.targets.includes("production")) continue;
      if (!(e.sensitive || envSecretReason(e))) continue;
      const others = (nonProd.get(`${e.projectId ?? ""}|${digest(e.value)}`) ?? []).filter((o) => o.urn !== r.urn);
      if (others.length) {
        report(`production ${e.key} has the same value as ${others.map((o) => o.key).join(", ")} (preview/development): use separate credentials.`, r.urn);
      }
    }
  },
};

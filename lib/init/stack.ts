/**
 * From `npm run init`'s answers to a stack config (the keys of lib/config/schema.ts, without the
 * namespace), checked by the config check itself (validateStackConfig) before anything is written,
 * and the secrets the stack needs. A staging stack made from a production stack takes the zone,
 * team, alerts and DMARC reports from it and keeps every host apart (staging, staging-<name>).
 */
import type { Target } from "../config/schema";
import { CONFIG_KEYS, ConfigError, validateStackConfig, type ConfigLookup } from "../config/validate";
import { secretUses } from "../config/secret-refs";
import type { ConfigIssue, SitePlan } from "../site-plan";
import { senderEntry } from "../../policies/shared/senders";
import { secretKeyFor, type DkimAnswer, type InitAnswers } from "./answers";

export type RawConfig = Record<string, unknown>;

/** The site's own host in a staging stack (README: flat names, so Universal SSL covers them). */
export const STAGING_SITE = "staging";

/** A host name marked as an API: its p95 target is 500 ms and `npm run verify` checks CORS on it. */
const looksLikeApi = (name: string) => /^api($|-)|-api$/.test(name);

export function buildStackConfig(a: InitAnswers): RawConfig {
  const staging = a.environment === "staging";
  const config: RawConfig = {
    environment: a.environment,
    zone: {
      name: a.domain,
      id: a.zoneId,
      accountId: a.accountId,
      plan: a.zonePlan,
      ...(staging ? { manageZoneSettings: false } : {}),
    },
    site: staging ? { name: STAGING_SITE, redirectTwin: false, target: a.siteTarget } : { name: "@", canonical: a.canonical, target: a.siteTarget },
  };
  if (a.subdomains.length) config.subdomains = a.subdomains.map((s) => ({ name: s.name, target: s.target, ...(looksLikeApi(s.name) ? { api: true } : {}) }));
  config.email = emailConfig(a);
  config.hosting = {
    provider: "vercel",
    projectId: a.vercelProject,
    ...(a.vercelTeam ? { teamId: a.vercelTeam } : {}),
    ...(a.envSecrets.length ? { env: { production: Object.fromEntries(a.envSecrets.map((v) => [v, { secret: secretKeyFor(v, a.environment) }])) } } : {}),
  };
  const webhooks = [...a.alertWebhooks, ...a.alertWebhookSecrets.map((secret) => ({ secret }))];
  config.alerts = {
    ...(a.alertEmails.length ? { emails: a.alertEmails } : {}),
    ...(a.slackTeam || a.slackChannel ? { slack: { workspaceId: a.slackTeam, channelId: a.slackChannel } } : {}),
    ...(webhooks.length ? { webhooks } : {}),
  };
  return config;
}

/** DMARC always (with reports); a staging stack sends no mail, so its names are locked down (p=reject). */
function emailConfig(a: InitAnswers): RawConfig {
  const dmarc = { policy: a.environment === "staging" ? "reject" : "none", rua: a.dmarcEmails };
  if (a.environment === "staging") return { dmarc };
  const senders: RawConfig[] = [];
  let mx: Array<{ priority: number; host: string }> = [];
  if (a.inbound !== "none") {
    // The catalogue places what it can (Fastmail's DKIM CNAMEs and SPF); the tenant's own MX and keys come from the answers.
    const fixedMx = senderEntry(a.inbound)?.inbound?.mx;
    mx = fixedMx ?? (a.inboundMx ? [{ priority: 0, host: a.inboundMx }] : []);
    senders.push({
      name: a.inbound === "google-workspace" ? "google" : a.inbound === "microsoft-365" ? "microsoft" : "fastmail",
      kind: a.inbound,
      ...dkimOf(a.inboundDkim),
    });
  }
  if (a.sender !== "none") {
    senders.push({
      name: a.sender === "amazon-ses" ? "ses" : a.sender,
      kind: a.sender,
      ...(a.senderMailFrom ? { mailFrom: a.senderMailFrom } : {}),
      ...(a.senderMailFromTarget ? { mailFromTarget: a.senderMailFromTarget } : {}),
      ...(a.senderRegion ? { region: a.senderRegion } : {}),
      ...(a.senderSpfInclude ? { spfInclude: a.senderSpfInclude } : {}),
      ...dkimOf(a.senderDkim),
      ...(a.senderRecords.length ? { records: a.senderRecords } : {}),
    });
  }
  return { ...(senders.length ? { senders } : {}), dmarc, ...(mx.length ? { mx } : {}) };
}

const dkimOf = (keys: DkimAnswer[]) => (keys.length ? { dkim: keys } : {});

/**
 * What a staging stack takes from the production stack's config: the zone, the Vercel team,
 * who gets alerts and DMARC reports, and each of its Vercel hosts renamed staging-<name>
 * (hosts elsewhere, such as docs on GitBook, belong to production and are not copied).
 */
export function stagingDefaults(production: RawConfig): Partial<InitAnswers> {
  const zone = (production.zone ?? {}) as Record<string, string>;
  const site = (production.site ?? {}) as { target?: Target };
  const hosting = (production.hosting ?? {}) as { teamId?: string };
  const alerts = (production.alerts ?? {}) as { emails?: string[]; slack?: { workspaceId?: string; channelId?: string }; webhooks?: unknown[] };
  const email = (production.email ?? {}) as { dmarc?: { rua?: string[] } };
  const subdomains = (Array.isArray(production.subdomains) ? production.subdomains : []) as Array<{ name: string; target: Target }>;
  const webhooks = alerts.webhooks ?? [];
  return {
    domain: zone.name,
    zoneId: zone.id,
    accountId: zone.accountId,
    zonePlan: zone.plan as InitAnswers["zonePlan"],
    siteTarget: site.target ?? "vercel",
    subdomains: subdomains.filter((s) => s.target === "vercel").map((s) => ({ name: `${STAGING_SITE}-${s.name}`, target: "vercel" })),
    vercelTeam: hosting.teamId,
    alertEmails: alerts.emails ?? [],
    slackTeam: alerts.slack?.workspaceId,
    slackChannel: alerts.slack?.channelId,
    alertWebhooks: webhooks.filter((w): w is string => typeof w === "string"),
    alertWebhookSecrets: webhooks.flatMap((w) => (isSecretRef(w) ? [w.secret] : [])),
    dmarcEmails: email.dmarc?.rua ?? alerts.emails ?? [],
  };
}

const isSecretRef = (v: unknown): v is { secret: string } => typeof v === "object" && v !== null && typeof (v as { secret?: unknown }).secret === "string";

/**
 * The stack will hold every secret it names once the founder has set them (init never does), and
 * the program's own keys stay plain: so the check reports the config, not the secrets still to set.
 */
const secretsToBeSet: ConfigLookup = { has: () => true, isSecret: (key) => !(CONFIG_KEYS as readonly string[]).includes(key) };

export type CheckResult = { ok: true; plan: SitePlan } | { ok: false; issues: ConfigIssue[] };

/**
 * The config check (lib/config/validate.ts) on the generated config, plus what only init knows:
 * a staging stack made from a production stack must not share its Vercel project.
 */
export function checkStackConfig(config: RawConfig, stack: string, project: string, production?: RawConfig): CheckResult {
  const shared = sharedProjectIssue(config, production);
  try {
    const { plan } = validateStackConfig(config, stack, secretsToBeSet, project);
    return shared ? { ok: false, issues: [shared] } : { ok: true, plan };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { ok: false, issues: [...(shared ? [shared] : []), ...err.issues] };
  }
}

function sharedProjectIssue(config: RawConfig, production?: RawConfig): ConfigIssue | undefined {
  const projectOf = (c?: RawConfig) => (c?.hosting as { projectId?: string } | undefined)?.projectId;
  if (!production || projectOf(config) !== projectOf(production)) return undefined;
  return {
    key: "hosting.projectId",
    message: `is the production stack's Vercel project: a staging stack needs a Vercel project of its own, or its env vars would replace production's`,
  };
}

/** A config issue's key without its namespace ("launch-ready:zone.id" -> "zone.id"): where an answer went. */
export function issuePath(issue: ConfigIssue): string {
  const colon = issue.key.indexOf(":");
  return colon < 0 ? issue.key : issue.key.slice(colon + 1);
}

/**
 * The commands that store each secret the stack needs, without a value (the CLI prompts for it, so
 * it never lands in shell history): the providers' tokens, then each `{ secret: name }` the plan reads.
 */
export function secretCommands(plan: SitePlan, namespace: string, stack: string): string[] {
  const keys = ["cloudflare:apiToken", "vercel:apiToken", ...new Set(secretUses(plan).map((u) => `${namespace}:${u.key}`))];
  return keys.map((k) => `pulumi config set --secret ${k} --stack ${stack}`);
}

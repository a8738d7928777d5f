/**
 * The questions of `npm run init`, in the order they are asked, each with its flag, how its text is
 * read (./answers.ts), its default and the config keys it fills: a problem the config check finds
 * at one of those keys sends the founder back to that question (the longest key wins).
 */
import { PLAN_TIERS } from "../provider-facts/tiers";
import { senderEntry, sendsMail } from "../../policies/shared/senders";
import type { Target } from "../config/schema";
import {
  AnswerError,
  INBOUND_PROVIDERS,
  parseChoice,
  parseDkim,
  parseRecord,
  parseSubdomain,
  parseTarget,
  TRANSACTIONAL_KINDS,
  type DkimAnswer,
  type InitAnswers,
  type RecordAnswer,
} from "./answers";

type Answers = Partial<InitAnswers>;

export interface Question<K extends keyof InitAnswers = keyof InitAnswers> {
  id: K;
  /** The flag that gives the answer (repeated for a list). */
  flag: string;
  prompt: string;
  /** "words": several answers on one line; "lines": one per line until a blank line. */
  list?: "words" | "lines";
  /** Asked only when this holds; otherwise the answer is its preset or default. */
  when?(a: Answers): boolean;
  /** Only ever a flag (an advanced answer the file's comments explain). */
  flagOnly?: boolean;
  /** A blank answer is fine (an empty list or nothing). */
  optional?: boolean;
  default?(a: Answers): InitAnswers[K] | undefined;
  parse(values: string[]): InitAnswers[K];
  format(value: InitAnswers[K]): string;
  /** The config keys (below the namespace) this answer fills. */
  keys(a: Answers): string[];
}

const one = (values: string[]): string => {
  if (values.length > 1) throw new AnswerError(`takes one value, got ${values.length}`);
  return (values[0] ?? "").trim();
};
const optionalOne = (values: string[]): string | undefined => one(values) || undefined;
const same = (v: unknown) => (v === undefined ? "" : String(v));
const words = (v: unknown) => ((v as string[] | undefined) ?? []).join(" ");
const formatTarget = (t: Target) => (t === "vercel" ? "vercel" : "cname" in t ? t.cname : "ipv4" in t ? t.ipv4 : t.ipv6);
const formatDkim = (keys: DkimAnswer[]) => keys.map((k) => `${k.selector}:${k.type}:${k.value}`).join(" | ");
const formatRecords = (rs: RecordAnswer[]) =>
  rs.map((r) => (r.type === "MX" ? `${r.name}:MX:${r.priority}:${r.content}` : `${r.name}:${r.type}:${r.content}`)).join(" | ");

const production = (a: Answers) => a.environment !== "staging";
/** The index of the transactional sender among email.senders: after the mailbox provider's, when there is one. */
const senderIndex = (a: Answers) => (production(a) && a.inbound && a.inbound !== "none" ? 1 : 0);
const hasSender = (a: Answers) => production(a) && !!a.sender && a.sender !== "none";
/** The transactional sender's catalogue entry: what it needs asked. */
const senderOf = (a: Answers) => (a.sender && a.sender !== "none" ? senderEntry(a.sender) : undefined);
/** A mailbox provider that signs with keys only its admin console shows (not Fastmail, whose CNAMEs the catalogue writes). */
const mailboxNeedsKeys = (a: Answers) => {
  const entry = production(a) && a.inbound && a.inbound !== "none" ? senderEntry(a.inbound) : undefined;
  return !!entry && sendsMail(entry) && !entry.dkim?.cnameTargets;
};

function question<K extends keyof InitAnswers>(q: Question<K>): Question<K> {
  return q;
}

export const QUESTIONS: readonly Question[] = [
  question({
    id: "environment",
    flag: "environment",
    prompt: "Production or staging stack",
    default: () => "production" as const,
    parse: (v) => parseChoice(one(v), ["production", "staging"] as const),
    format: same,
    keys: () => ["environment"],
  }),
  question({
    id: "from",
    flag: "from",
    prompt: "The production stack this staging stack goes with (its zone, Vercel team, alerts and DMARC reports are reused; blank for none)",
    when: (a) => !production(a),
    optional: true,
    parse: (v) => (one(v) === "none" ? undefined : optionalOne(v)),
    format: same,
    keys: () => [],
  }),
  question({
    id: "stack",
    flag: "stack",
    prompt: "Stack name (the file is Pulumi.<name>.yaml)",
    default: (a) => (production(a) ? "prod" : "staging"),
    parse: (v) => {
      const name = one(v);
      if (!/^[A-Za-z0-9_-]{1,100}$/.test(name)) throw new AnswerError(`"${name}" must be a stack name: letters, digits, _ and -, such as prod or staging`);
      return name;
    },
    format: same,
    keys: () => [],
  }),
  question({
    id: "domain",
    flag: "domain",
    prompt: "Domain (the Cloudflare zone, e.g. mybot.ai)",
    when: (a) => !a.from,
    parse: (v) => one(v).toLowerCase().replace(/\.$/, ""),
    format: same,
    keys: () => ["zone.name"],
  }),
  question({
    id: "canonical",
    flag: "canonical",
    prompt: "Canonical host: apex (mybot.ai) or www (www.mybot.ai); the other one redirects to it",
    when: production,
    default: () => "apex" as const,
    parse: (v) => parseChoice(one(v), ["apex", "www"] as const),
    format: same,
    keys: () => ["site.canonical", "site.redirectTwin"],
  }),
  question({
    id: "siteTarget",
    flag: "site-target",
    prompt: "Where the site is served: vercel, a CNAME target host, or an IPv4 address",
    default: () => "vercel" as const,
    parse: (v) => parseTarget(one(v)),
    format: formatTarget,
    keys: () => ["site"],
  }),
  question({
    id: "subdomains",
    flag: "subdomain",
    prompt: "Subdomains as NAME=TARGET (app=vercel docs=hosting.gitbook.io legacy=203.0.113.10), blank or none for none",
    list: "words",
    optional: true,
    parse: (v) => v.map(parseSubdomain),
    format: (s) => s.map((x) => `${x.name}=${formatTarget(x.target)}`).join(" "),
    keys: () => ["subdomains"],
  }),
  question({
    id: "zonePlan",
    flag: "zone-plan",
    prompt: `The zone's Cloudflare plan (${PLAN_TIERS.join(", ")})`,
    when: (a) => !a.from,
    default: () => "free" as const,
    parse: (v) => parseChoice(one(v), PLAN_TIERS),
    format: same,
    keys: () => ["zone.plan"],
  }),
  question({
    id: "zoneId",
    flag: "zone-id",
    prompt: "Zone ID (Cloudflare dashboard > the domain > Overview > API)",
    when: (a) => !a.from,
    parse: one,
    format: same,
    keys: () => ["zone.id"],
  }),
  question({
    id: "accountId",
    flag: "account-id",
    prompt: "Account ID (same panel, under the Zone ID)",
    when: (a) => !a.from,
    parse: one,
    format: same,
    keys: () => ["zone.accountId"],
  }),
  question({
    id: "vercelProject",
    flag: "vercel-project",
    prompt: "Vercel project ID (prj_..., Project > Settings > General)",
    parse: one,
    format: same,
    keys: () => ["hosting.projectId", "hosting"],
  }),
  question({
    id: "vercelTeam",
    flag: "vercel-team",
    prompt: "Vercel team ID (team_..., blank for a personal account)",
    optional: true,
    parse: optionalOne,
    format: same,
    keys: () => ["hosting.teamId"],
  }),
  question({
    id: "envSecrets",
    flag: "env-secret",
    prompt: "Sensitive production env vars the app reads (names such as OPENAI_API_KEY DATABASE_URL; blank for none). Their values are never asked",
    list: "words",
    optional: true,
    parse: (v) => v.map((x) => x.trim()),
    format: words,
    keys: () => ["hosting.env"],
  }),
  question({
    id: "inbound",
    flag: "inbound",
    prompt: `Who receives mail at the domain (${INBOUND_PROVIDERS.join(", ")})`,
    when: production,
    default: () => "none" as const,
    parse: (v) => parseChoice(one(v), INBOUND_PROVIDERS),
    format: same,
    keys: () => [],
  }),
  question({
    id: "inboundMx",
    flag: "inbound-mx",
    prompt: "Microsoft 365's MX host for the domain (admin center > Settings > Domains, e.g. mybot-ai.mail.protection.outlook.com)",
    when: (a) => production(a) && a.inbound === "microsoft-365",
    parse: optionalOne,
    format: same,
    keys: () => ["email.mx"],
  }),
  question({
    id: "inboundDkim",
    flag: "inbound-dkim",
    prompt: "The mailbox provider's DKIM keys as SELECTOR:TYPE:VALUE (google:TXT:v=DKIM1; k=rsa; p=... or selector1:CNAME:...), one per line, blank when done",
    list: "lines",
    optional: true,
    when: mailboxNeedsKeys,
    parse: (v) => v.map(parseDkim),
    format: formatDkim,
    keys: () => ["email.senders[0].dkim"],
  }),
  question({
    id: "sender",
    flag: "sender",
    prompt: `Transactional mail sender (${TRANSACTIONAL_KINDS.join(", ")}, or none)`,
    when: production,
    default: () => "none" as const,
    parse: (v) => parseChoice(one(v), [...TRANSACTIONAL_KINDS, "none"] as const),
    format: same,
    keys: (a) => [`email.senders[${senderIndex(a)}]`, "email.senders"],
  }),
  question({
    id: "senderSpfInclude",
    flag: "sender-spf-include",
    prompt: "The sender's SPF include (e.g. spf.provider.com)",
    when: (a) => hasSender(a) && a.sender === "custom",
    optional: true,
    parse: optionalOne,
    format: same,
    keys: (a) => [`email.senders[${senderIndex(a)}].spfInclude`],
  }),
  question({
    id: "senderDkim",
    flag: "sender-dkim",
    prompt: "The sender's DKIM keys as SELECTOR:TYPE:VALUE, as its dashboard shows them, one per line, blank when done",
    list: "lines",
    optional: true,
    when: hasSender,
    parse: (v) => v.map(parseDkim),
    format: formatDkim,
    keys: (a) => [`email.senders[${senderIndex(a)}].dkim`],
  }),
  question({
    id: "senderMailFrom",
    flag: "sender-mail-from",
    prompt: "The sender's MAIL FROM subdomain (e.g. send or mail)",
    when: hasSender,
    flagOnly: true,
    optional: true,
    parse: optionalOne,
    format: same,
    keys: (a) => [`email.senders[${senderIndex(a)}].mailFrom`],
  }),
  question({
    id: "senderRegion",
    flag: "sender-region",
    prompt: "The sender's region, as its dashboard shows it (e.g. us-east-1 or eu-west-1): its bounce MX depends on it",
    when: (a) => hasSender(a) && !!senderOf(a)?.returnPath?.mx?.some((m) => m.host.includes("{region}")),
    optional: true,
    parse: optionalOne,
    format: same,
    keys: (a) => [`email.senders[${senderIndex(a)}].region`],
  }),
  question({
    id: "senderMailFromTarget",
    flag: "sender-mail-from-target",
    prompt: "The CNAME target of the sender's return-path name, as its dashboard shows it (e.g. u3310492.wl.sendgrid.net)",
    when: (a) => hasSender(a) && senderOf(a)?.returnPath?.record === "cname" && !senderOf(a)?.returnPath?.cnameTarget,
    optional: true,
    parse: optionalOne,
    format: same,
    keys: (a) => [`email.senders[${senderIndex(a)}].mailFromTarget`],
  }),
  question({
    id: "senderRecords",
    flag: "sender-record",
    prompt: "Other records the sender asks for",
    list: "lines",
    when: hasSender,
    flagOnly: true,
    optional: true,
    parse: (v) => v.map(parseRecord),
    format: formatRecords,
    keys: (a) => [`email.senders[${senderIndex(a)}].records`],
  }),
  question({
    id: "alertEmails",
    flag: "alert-email",
    prompt: "Alert email addresses (blank for none)",
    list: "words",
    optional: true,
    parse: (v) => v.map((x) => x.trim()),
    format: words,
    keys: () => ["alerts.emails", "alerts"],
  }),
  question({
    id: "slackTeam",
    flag: "slack-team",
    prompt: "Slack workspace ID for alerts (T..., blank for no Slack)",
    optional: true,
    parse: optionalOne,
    format: same,
    keys: () => ["alerts.slack.workspaceId", "alerts.slack"],
  }),
  question({
    id: "slackChannel",
    flag: "slack-channel",
    prompt: "Slack channel ID (C...)",
    when: (a) => !!a.slackTeam,
    optional: true,
    parse: optionalOne,
    format: same,
    keys: () => ["alerts.slack.channelId"],
  }),
  question({
    id: "alertWebhooks",
    flag: "alert-webhook",
    prompt: "Alert webhook URLs (https://..., blank for none)",
    list: "words",
    optional: true,
    parse: (v) => v.map((x) => x.trim()),
    format: words,
    keys: () => ["alerts.webhooks"],
  }),
  question({
    id: "alertWebhookSecrets",
    flag: "alert-webhook-secret",
    prompt: "Secret config keys holding alert webhook URLs that carry a token",
    list: "words",
    flagOnly: true,
    optional: true,
    parse: (v) => v.map((x) => x.trim()),
    format: words,
    keys: () => ["alerts.webhooks"],
  }),
  question({
    id: "dmarcEmails",
    flag: "dmarc-email",
    prompt: "Who receives DMARC reports (email addresses)",
    list: "words",
    default: (a) => (a.alertEmails?.length ? a.alertEmails : undefined),
    parse: (v) => v.map((x) => x.trim()),
    format: words,
    keys: () => ["email.dmarc", "email"],
  }),
];

/** The question a config problem at `path` (below the namespace) sends the founder back to. */
export function questionFor(path: string, answers: Answers, questions: readonly Question[] = QUESTIONS): Question | undefined {
  let best: { q: Question; length: number } | undefined;
  for (const q of questions) {
    for (const k of q.keys(answers)) {
      const covers = path === k || path.startsWith(`${k}.`) || path.startsWith(`${k}[`);
      if (covers && (!best || k.length > best.length)) best = { q, length: k.length };
    }
  }
  return best?.q;
}

/** Valid stand-ins for what is not answered yet, so a problem found while checking one answer is that answer's. */
export const STAND_INS: InitAnswers = {
  environment: "production",
  stack: "prod",
  domain: "example.com",
  canonical: "apex",
  siteTarget: "vercel",
  subdomains: [],
  zonePlan: "free",
  zoneId: "0".repeat(32),
  accountId: "0".repeat(32),
  vercelProject: "prj_StandIn",
  envSecrets: [],
  inbound: "none",
  inboundDkim: [],
  sender: "none",
  senderDkim: [],
  senderRecords: [],
  alertEmails: ["alerts@example.com"],
  // A channel asked after the emails and Slack, so that leaving those blank is not refused for want of a channel before it is asked.
  alertWebhooks: ["https://alerts.example.com/stand-in"],
  alertWebhookSecrets: [],
  dmarcEmails: ["dmarc@example.com"],
};

/** What the mailbox provider's MX comes from, for the summary (its DKIM keys are checked with the rest of the config). */
export function inboundNote(a: InitAnswers): string | undefined {
  if (a.environment === "staging" || a.inbound === "none") return undefined;
  const entry = senderEntry(a.inbound);
  if (!entry?.inbound) return undefined;
  const mx = entry.inbound.mx ? entry.inbound.mx.map((m) => `${m.host} (${m.priority})`).join(", ") : "as its admin center gives it";
  return `${entry.name}: MX ${mx} (${entry.inbound.source}).`;
}

/**
 * The answers `npm run init` asks for (or takes as flags), and how each answer's text is read:
 * the same parser serves a prompt's line and a flag's value, so a typo gets one message whichever
 * way it came. Whether a value is acceptable is the config check's to say (./stack.ts validates
 * the stack config built from the answers); these parsers only split the text into its parts.
 */
import { SENDER_KINDS, type Target } from "../config/schema";
import { PLAN_TIERS } from "../provider-facts/tiers";

export const INBOUND_PROVIDERS = ["google-workspace", "microsoft-365", "fastmail", "none"] as const;
export type InboundProvider = (typeof INBOUND_PROVIDERS)[number];

/** Transactional senders: every sender kind but the mailbox providers, which come with the inbound answer. */
export const TRANSACTIONAL_KINDS = SENDER_KINDS.filter((k) => k !== "google-workspace" && k !== "microsoft-365");
export type TransactionalKind = (typeof TRANSACTIONAL_KINDS)[number];

export interface DkimAnswer {
  selector: string;
  type: "CNAME" | "TXT";
  value: string;
}
export interface RecordAnswer {
  name: string;
  type: "TXT" | "MX" | "CNAME";
  content: string;
  priority?: number;
}

export interface InitAnswers {
  environment: "production" | "staging";
  /** The production stack a staging stack starts from (its zone, team, alerts, DMARC reports). */
  from?: string;
  stack: string;
  domain: string;
  canonical: "apex" | "www";
  siteTarget: Target;
  subdomains: Array<{ name: string; target: Target }>;
  zonePlan: (typeof PLAN_TIERS)[number];
  zoneId: string;
  accountId: string;
  vercelProject: string;
  vercelTeam?: string;
  /** Sensitive production env vars (names), each read from a secret config key of its own. */
  envSecrets: string[];
  inbound: InboundProvider;
  /** The tenant's own MX host (Microsoft 365 shows it in its admin center). */
  inboundMx?: string;
  inboundDkim: DkimAnswer[];
  sender: TransactionalKind | "none";
  senderDkim: DkimAnswer[];
  senderMailFrom?: string;
  /** The CNAME target of the return-path name (SendGrid's em<digits> link), from the sender's dashboard. */
  senderMailFromTarget?: string;
  /** The sender's region where its bounce MX depends on it (Resend, Amazon SES). */
  senderRegion?: string;
  senderRecords: RecordAnswer[];
  senderSpfInclude?: string;
  alertEmails: string[];
  slackTeam?: string;
  slackChannel?: string;
  alertWebhooks: string[];
  /** Names of secret config keys holding webhook URLs that carry a token. */
  alertWebhookSecrets: string[];
  dmarcEmails: string[];
}

/** A bad answer's text: what was expected, with an example. */
export class AnswerError extends Error {}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** "vercel", an IPv4 address, or a CNAME target host. */
export function parseTarget(text: string): Target {
  const t = text.trim();
  if (t === "vercel") return "vercel";
  if (IPV4.test(t)) return { ipv4: t };
  if (t === "") throw new AnswerError('needs a target: "vercel", a CNAME target such as hosting.gitbook.io, or an IPv4 address');
  return { cname: t.replace(/\.$/, "") };
}

/** "app=vercel", "docs=hosting.gitbook.io", "legacy=203.0.113.10". */
export function parseSubdomain(text: string): { name: string; target: Target } {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new AnswerError(`"${text}" must be NAME=TARGET, e.g. app=vercel, docs=hosting.gitbook.io or legacy=203.0.113.10`);
  return { name: text.slice(0, eq).trim(), target: parseTarget(text.slice(eq + 1)) };
}

/** "SELECTOR:TYPE:VALUE", e.g. "google:TXT:v=DKIM1; k=rsa; p=MIIB..." or "s1:CNAME:s1.domainkey.u123.wl.sendgrid.net". */
export function parseDkim(text: string): DkimAnswer {
  const m = /^([^:\s]+):(CNAME|TXT):(.+)$/i.exec(text.trim());
  if (!m) throw new AnswerError(`"${clip(text)}" must be SELECTOR:TYPE:VALUE with TYPE CNAME or TXT, e.g. resend:TXT:p=MIGfMA0G... as the provider shows it`);
  return { selector: m[1], type: m[2].toUpperCase() as DkimAnswer["type"], value: m[3].trim() };
}

/** "NAME:TXT:CONTENT", "NAME:CNAME:HOST" or "NAME:MX:PRIORITY:HOST": a record the sender asks for. */
export function parseRecord(text: string): RecordAnswer {
  const mx = /^([^:\s]+):MX:(\d+):(\S+)$/i.exec(text.trim());
  if (mx) return { name: mx[1], type: "MX", priority: Number(mx[2]), content: mx[3] };
  const other = /^([^:\s]+):(TXT|CNAME):(.+)$/i.exec(text.trim());
  if (!other)
    throw new AnswerError(
      `"${clip(text)}" must be NAME:TXT:CONTENT, NAME:CNAME:HOST or NAME:MX:PRIORITY:HOST, e.g. send:MX:10:feedback-smtp.us-east-1.amazonses.com`,
    );
  return { name: other[1], type: other[2].toUpperCase() as RecordAnswer["type"], content: other[3].trim() };
}

/** One of a closed set of words. */
export function parseChoice<T extends string>(text: string, choices: readonly T[]): T {
  const t = text.trim() as T;
  if (!choices.includes(t)) throw new AnswerError(`"${clip(text)}" is not one of ${choices.join(", ")}`);
  return t;
}

/** A list typed at a prompt: items separated by spaces or commas ("none" or nothing: an empty list). */
export function splitList(text: string): string[] {
  const t = text.trim();
  return t === "" || t === "none" ? [] : t.split(/[\s,]+/).filter(Boolean);
}

/** Long values (a DKIM key) are shortened in messages. */
function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The secret config key of a sensitive env var: OPENAI_API_KEY in production -> openaiApiKeyProduction. */
export function secretKeyFor(envVar: string, environment: InitAnswers["environment"]): string {
  const words = envVar
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const camel = words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join("");
  return `${camel}${environment === "production" ? "Production" : "Staging"}`;
}

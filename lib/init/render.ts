/**
 * The stack file `npm run init` writes: the config under the project's namespace, each key with
 * a comment saying what it does (the `yaml` Document API puts them before their keys).
 */
import { Document, isMap, isScalar, isSeq, type Node, type Scalar } from "yaml";
import type { RawConfig } from "./stack";

/** What each key does, by its path below the namespace ("[]" for every item of a list). */
const COMMENTS: Record<string, string> = {
  "aws:region": "AWS region of the provider (the uptime alarms and their SNS topic live in us-east-1 whatever it says).",
  environment: "production or staging: a staging stack may only declare hosts marked staging, production none.",
  zone: "The Cloudflare zone (dashboard > the domain > Overview > API).",
  "zone.name": "The apex domain.",
  "zone.id": "Zone ID.",
  "zone.accountId": "Account ID of the account that owns the zone.",
  "zone.plan": "The zone's plan: it decides how many rules of each kind Cloudflare accepts (free, pro, business, enterprise).",
  "zone.manageZoneSettings":
    "false: the production stack owns the zone's settings and its one ruleset per phase; this stack inherits its SSL, WAF, cache and rate-limit rules.",
  site: "The website.",
  "site.name": 'Its host relative to the zone: "@" is the apex.',
  "site.canonical": "Which host is canonical, apex or www; the other one 301-redirects to it.",
  "site.redirectTwin": "No www twin: the redirect would need the zone's redirect ruleset, which the production stack owns.",
  "site.target": 'Where it is served: vercel (the Vercel project below), { cname: host } or { ipv4: address }. Monitored at "/" (site.healthPath).',
  subdomains: "More hosts, proxied through Cloudflare (WAF, cache, rate limits); each is monitored at its healthPath (default /).",
  "subdomains[].api": "An API: its latency target is 500 ms, and npm run verify checks its CORS.",
  "subdomains[].target":
    "vercel, { cname: host } or { ipv4: address }. A provider that needs DNS-only gets proxied: false and caIssuers (README, Stack configuration).",
  email: "Email authentication: one SPF per sending name, DKIM per sender, DMARC with reports; names that send nothing are locked down.",
  "email.senders": "Who sends mail as this domain: each sender's SPF include and DKIM keys (dkim: a list of { selector, type, value }).",
  "email.senders[].dkim": "DKIM keys as the provider shows them: TXT keys or CNAMEs into the provider's DNS.",
  "email.senders[].mailFrom": "The envelope (Return-Path) subdomain: the sender's SPF goes there.",
  "email.senders[].records": "Other records the provider asks for (its MAIL FROM MX, a verification TXT...).",
  "email.dmarc": "DMARC: start at p=none with reports, move to quarantine then reject once the reports are clean.",
  "email.dmarc.rua": "Who receives the aggregate reports.",
  "email.mx": "Inbound mail for the apex; without it the apex gets a null MX (receives no mail).",
  hosting: "The Vercel project (Project > Settings > General): its domains and env vars.",
  "hosting.teamId": "The team that owns the project.",
  "hosting.env":
    "Env vars per Vercel target (production, preview, development). A secret is { secret: configKey }, its value set with pulumi config set --secret.",
  alerts: "Who is told when a monitor fails: emails (each confirms AWS's subscription mail once), Slack through AWS Chatbot, HTTPS webhooks.",
  "alerts.slack": "Slack workspace (T...) and channel (C...); authorise the workspace once in the AWS Chatbot console.",
  "alerts.webhooks": "HTTPS endpoints (PagerDuty, Opsgenie...); a URL that carries a token is { secret: configKey }.",
};

export interface StackFileText {
  /** Where the file came from (the answers, the production stack), for its header. */
  header: string[];
  namespace: string;
  config: RawConfig;
}

export function renderStackFile({ header, namespace, config }: StackFileText): string {
  const doc = new Document(
    { config: { "aws:region": "us-east-1", ...Object.fromEntries(Object.entries(config).map(([k, v]) => [`${namespace}:${k}`, v])) } },
    // The same list in two keys (alert and DMARC addresses) is written twice, never as a YAML alias.
    { aliasDuplicateObjects: false },
  );
  doc.commentBefore = header.map((l) => ` ${l}`).join("\n");
  const root = doc.get("config", true) as Node;
  annotate(doc, root, "", namespace, new Set());
  return doc.toString({ lineWidth: 0 });
}

/** Puts each key's comment before it, once (at a list's first item that has the key), walking maps and lists ("[]" stands for any item). */
function annotate(doc: Document, node: unknown, at: string, namespace: string, done: Set<string>): void {
  if (isSeq(node)) {
    for (const item of node.items) annotate(doc, item, `${at}[]`, namespace, done);
    return;
  }
  if (!isMap(node)) return;
  // { secret: name } and { cname: host } read as one value, as README writes them.
  if (node.items.length === 1 && isScalar(node.items[0].value)) node.flow = true;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? pair.key : (doc.createNode(pair.key) as Scalar);
    pair.key = key;
    const name = String(key.value);
    const path = at === "" ? (name.startsWith(`${namespace}:`) ? name.slice(namespace.length + 1) : name) : `${at}.${name}`;
    const comment = COMMENTS[path];
    if (comment && !done.has(path)) key.commentBefore = ` ${comment}`;
    done.add(path);
    annotate(doc, pair.value, path, namespace, done);
  }
}

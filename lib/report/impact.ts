/**
 * What breaks for the business when a finding is not fixed, in a founder's words, and how bad
 * it is. One row per policy of the pack (a test holds the table to the pack's list, so a new
 * policy cannot ship without saying what it protects) and one per verify category.
 *
 * Severity: a mandatory policy's violation is always a launch blocker (`pulumi up` refuses it);
 * an advisory one is a trust issue unless the table calls it cleanup.
 */
import type { Severity } from "./types";

export interface Impact {
  /** What breaks, for whom. */
  impact: string;
  /** For an advisory policy: "trust" unless the bar says it is housekeeping. */
  advisory?: Extract<Severity, "trust" | "cleanup">;
}

export const POLICY_IMPACT: Readonly<Record<string, Impact>> = {
  "cloudflare-ssl-encrypts-origin": {
    impact: "visitor traffic to the app travels unencrypted, or loops between Cloudflare and Vercel (the site does not load)",
  },
  "cloudflare-ssl-strict": { impact: "anyone on the path between Cloudflare and the origin can pose as the app and read logins" },
  "cloudflare-always-use-https": { impact: "visitors who type the address land on an unencrypted page; sessions can be stolen on public Wi-Fi" },
  "cloudflare-min-tls-version": { impact: "old, broken TLS versions stay allowed: card and login traffic is weaker than the bar" },
  "cloudflare-hsts": { impact: "browsers may fall back to http on a hostile network: sessions can be stolen" },
  "cloudflare-zone-baseline-declared": { impact: "the zone's security settings are whatever the dashboard says today, and drift unseen" },
  "dns-no-unproxied-origin": { impact: "the origin's address is public: attackers skip Cloudflare's WAF, rate limits and DDoS protection" },
  "dns-no-wildcard-origin": { impact: "every made-up subdomain reaches the origin: phishing pages and scanners hit the app directly" },
  "spf-record-valid": { impact: "receivers treat the domain's mail as unauthenticated: signup and password-reset mail lands in spam" },
  "spf-one-record-per-name": { impact: "two SPF records make SPF fail everywhere: the domain's mail lands in spam or bounces" },
  "dkim-for-spf-senders": { impact: "a sender's mail is unsigned: it fails DMARC once the policy tightens, and password resets are rejected" },
  "dmarc-record-valid": { impact: "receivers ignore the DMARC record: anyone can send mail as the domain, and no report says so" },
  "dmarc-at-apex": { impact: "no DMARC at the domain: spoofed mail in the product's name reaches customers" },
  "dmarc-enforcing-policy": { impact: "mail forged in the domain's name is still delivered (p=none only reports it)" },
  "cache-no-sensitive-paths": { impact: "one user's private page, API answer or session can be served to another from the edge cache" },
  "ratelimit-ruleset-effective": { impact: "the rate limits never act: bots can brute-force logins and flood the chat endpoint" },
  "ratelimit-for-sensitive-routes": {
    impact: "login, signup, chat or webhooks have no limit: credential stuffing, fake signups and an AI bill that bots run up overnight",
  },
  "ratelimit-not-loosened": { impact: "a route's limit is looser than configured (or gone) on this plan: bots get more tries than you chose" },
  "ddos-protection-not-disabled": { impact: "a flood takes the site down" },
  "waf-managed-rules-not-disabled": { impact: "known attacks (injection, exploits of common frameworks) reach the app" },
  "waf-managed-ruleset-deployed": { impact: "only Cloudflare's free rules stand between known exploits and the app" },
  "bot-fight-mode": { impact: "automated traffic is not filtered: scrapers and bots reach the app and its AI endpoints" },
  "ssl-expiry-notifications": { impact: "a failed certificate renewal is noticed only when browsers refuse the site" },
  "canonical-redirect": { impact: "the site answers on two addresses: split search ranking, cookies and OAuth callbacks that fail on one of them" },
  "vercel-env-secrets-sensitive": { impact: "a secret can be read back from the Vercel dashboard by anyone on the team" },
  "vercel-env-no-client-exposed-secrets": { impact: "a secret is shipped to every visitor's browser: anyone can use the key and run up the bill" },
  "vercel-env-sensitive-targets": { impact: "a secret reaches builds that should not have it" },
  "vercel-env-production-isolated": { impact: "preview deployments (any branch) run with production credentials and data" },
  "vercel-env-production-values-not-reused": { impact: "a leaked preview credential opens production too" },
  "health-check-https": { impact: "the monitor checks something other than what users reach: an outage can go unseen" },
  "health-check-failure-threshold": { impact: "alerts fire on every blip (ignored) or too late" },
  "health-check-alarmed": { impact: "a monitor fails and nobody is told: the outage goes unseen" },
  "health-check-targets-alarmed": { impact: "the app gets slow or flaky without anyone being told" },
  "web-hosts-monitored": { impact: "a host can be down for hours before a customer says so" },
  "caa-allows-hosting-authority": { impact: "the certificate authority the hosting uses is not allowed: the next renewal fails and browsers refuse the site" },
  "security-headers-at-edge": { impact: "browsers get no protection against clickjacking and content sniffing on the app's pages" },
  "dnssec-signed": { impact: "a forged DNS answer can send visitors and mail elsewhere" },
  "tls-reporting-for-inbound-mail": { impact: "nobody hears when mail to the domain arrives unencrypted or fails TLS", advisory: "cleanup" },
  "no-staging-hosts-in-production": { impact: "staging is reachable under the production domain: test data and weaker settings in the product's name" },
  "vercel-no-html-rewriting": {
    impact: "Cloudflare rewrites the app's HTML: React pages that show an email address, or load scripts, fail to hydrate and stop responding",
  },
  "vercel-ssl-strict": { impact: "between Cloudflare and Vercel the certificate is not checked: anyone on that path can pose as the app" },
  "shared-zone-ownership": { impact: "two stacks could both change the same zone settings and undo each other", advisory: "cleanup" },
};

/** verify's categories, for a live row no table entry names. */
export const VERIFY_CATEGORY_IMPACT: Readonly<Record<string, string>> = {
  dns: "visitors or mail servers cannot find the product",
  http: "visitors hit errors, loops or unencrypted pages",
  tls: "browsers refuse the site or warn visitors off",
  email: "signup and password-reset mail lands in spam or bounces",
  health: "an endpoint users depend on is down or slow",
  cors: "the app's own pages cannot call its API, or other sites can",
  bundles: "a key shipped in the site's public JavaScript can be used by anyone, and billed to you",
  redteam: "the chatbot can be talked into revealing its instructions or data it should keep",
};

/** Who fixes a live row, by the row's id prefix: what the stack declares is fixed by `pulumi up`, the rest in a dashboard or at the registrar. */
export const VERIFY_ROW_OWNER: ReadonlyArray<{ prefix: string; who: "stack" | "founder" | "registrar" }> = [
  { prefix: "dns.registration", who: "registrar" },
  { prefix: "dns.dnssec", who: "registrar" },
  { prefix: "dns.nxdomain", who: "registrar" },
];

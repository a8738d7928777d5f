/**
 * Secret-looking environment variables: by name and by value shape.
 *
 * Pure functions shared by the policy pack (vercel env var policies) and the
 * program's config validation. Nothing here ever returns or formats a value: the
 * results name the *kind* of secret only, so callers can put them in messages.
 */

/**
 * Prefixes that frameworks inline into the client bundle: anything under them is
 * readable by every visitor of the site.
 */
export const CLIENT_EXPOSED_PREFIXES: readonly string[] = [
  "NEXT_PUBLIC_", // Next.js
  "NUXT_PUBLIC_", // Nuxt 3 runtime config (public)
  "NUXT_ENV_", // Nuxt 2
  "VITE_", // Vite (and frameworks built on it)
  "REACT_APP_", // Create React App
  "EXPO_PUBLIC_", // Expo
  "GATSBY_", // Gatsby
  "PUBLIC_", // SvelteKit $env/*/public, Astro
  "VUE_APP_", // Vue CLI
  "STORYBOOK_", // Storybook
  "REDWOOD_ENV_", // RedwoodJS
];

/** True when a framework would ship this variable to the browser. */
export function isClientExposed(key: string): boolean {
  const upper = key.toUpperCase();
  return CLIENT_EXPOSED_PREFIXES.some((p) => upper.startsWith(p));
}

/** The name without its client-exposed prefix (NEXT_PUBLIC_API_KEY -> API_KEY). */
export function stripClientPrefix(key: string): string {
  const upper = key.toUpperCase();
  const prefix = CLIENT_EXPOSED_PREFIXES.find((p) => upper.startsWith(p));
  return prefix ? key.slice(prefix.length) : key;
}

/** Name fragments that mark a secret (matched on `_`-separated words of the upper-cased name). */
const SECRET_NAME_PATTERNS: readonly RegExp[] = [
  /(^|_)SECRETS?($|_)/,
  /(^|_)TOKENS?($|_)/,
  /(^|_)PASSWORDS?($|_)/,
  /(^|_)PASSWD($|_)/,
  /(^|_)PWD($|_)/,
  /(^|_)PRIVATE_?KEY($|_)/,
  /(^|_)API_?KEY($|_)/,
  /_KEY$/,
  /^KEY$/,
  /(^|_)CREDENTIALS?($|_)/,
  /(^|_)DSN($|_)/,
  /(^|_)SIGNING($|_)/,
  /(^|_)SALT($|_)/,
  /(^|_)COOKIE_?SECRET($|_)/,
  /(^|_)WEBHOOK_?SECRET($|_)/,
  /(^|_)(DATABASE|DB|POSTGRES|POSTGRESQL|MYSQL|MONGO|MONGODB|REDIS|KV|SUPABASE_DB)_?URL($|_)/,
  /(^|_)CONNECTION_?STRING($|_)/,
];

/**
 * Names that carry a key which is public by design (Stripe publishable key, Supabase
 * anon key, Turnstile/reCAPTCHA site key, Sentry browser DSN, analytics project keys).
 * They may be client-exposed; a definite secret *value* under them is still a leak.
 */
const PUBLIC_BY_DESIGN_NAME: RegExp =
  /(PUBLISHABLE|(^|_)ANON(_KEY)?($|_)|SITE_?KEY|PUBLIC_?KEY|(^|_)SENTRY_DSN$|POSTHOG_(API_)?KEY|MEASUREMENT_ID|(^|_)GA_|ALGOLIA_SEARCH(_ONLY)?_(API_)?KEY|MAPBOX_(ACCESS_)?TOKEN|CLERK_PUBLISHABLE)/;

/** True when the variable's name says it holds a secret (case-insensitive). */
export function looksSecretName(key: string): boolean {
  const upper = key.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
  // A Sentry DSN is safe in a browser bundle but still a credential server-side: keep it secret by name.
  if (isPublicByDesignName(upper) && !/(^|_)DSN$/.test(upper)) return false;
  return SECRET_NAME_PATTERNS.some((re) => re.test(upper));
}

/** True for names that hold a key meant to be public (publishable, anon, site keys...). */
export function isPublicByDesignName(key: string): boolean {
  const upper = key.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
  return PUBLIC_BY_DESIGN_NAME.test(stripClientPrefix(upper)) || PUBLIC_BY_DESIGN_NAME.test(upper);
}

export interface SecretValueMatch {
  /** What it looks like, e.g. "OpenAI API key", "JWT", "URL with a password". Never the value. */
  kind: string;
  /**
   * "definite": a known secret format (sk_live_, ghp_, AKIA..., a private key, a URL
   * with a password); "likely": a generic shape (JWT, long high-entropy string) that a
   * public-by-design key can also have.
   */
  certainty: "definite" | "likely";
}

const VALUE_SHAPES: ReadonlyArray<{ re: RegExp; kind: string; certainty: "definite" | "likely" }> = [
  { re: /-----BEGIN ([A-Z ]+ )?PRIVATE KEY-----/, kind: "PEM private key", certainty: "definite" },
  { re: /^sk_(live|test)_[A-Za-z0-9]{10,}$/, kind: "Stripe secret key", certainty: "definite" },
  { re: /^rk_(live|test)_[A-Za-z0-9]{10,}$/, kind: "Stripe restricted key", certainty: "definite" },
  { re: /^whsec_[A-Za-z0-9+/=]{10,}$/, kind: "webhook signing secret", certainty: "definite" },
  { re: /^sk-ant-[A-Za-z0-9_-]{10,}$/, kind: "Anthropic API key", certainty: "definite" },
  { re: /^sk-(proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}$/, kind: "OpenAI-style API key", certainty: "definite" },
  { re: /^gh[pousr]_[A-Za-z0-9]{20,}$/, kind: "GitHub token", certainty: "definite" },
  { re: /^github_pat_[A-Za-z0-9_]{20,}$/, kind: "GitHub token", certainty: "definite" },
  { re: /^glpat-[A-Za-z0-9_-]{20,}$/, kind: "GitLab token", certainty: "definite" },
  { re: /^xox[abposr]-[A-Za-z0-9-]{10,}$/, kind: "Slack token", certainty: "definite" },
  { re: /^https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]+$/, kind: "Slack webhook URL", certainty: "definite" },
  { re: /^(AKIA|ASIA)[A-Z0-9]{16}$/, kind: "AWS access key id", certainty: "definite" },
  { re: /^AIza[0-9A-Za-z_-]{35}$/, kind: "Google API key", certainty: "likely" },
  { re: /^hf_[A-Za-z0-9]{30,}$/, kind: "Hugging Face token", certainty: "definite" },
  { re: /^SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}$/, kind: "SendGrid API key", certainty: "definite" },
  { re: /^re_[A-Za-z0-9_]{16,}$/, kind: "Resend API key", certainty: "definite" },
  { re: /^npm_[A-Za-z0-9]{30,}$/, kind: "npm token", certainty: "definite" },
  { re: /^(pscale_pw|pscale_tkn)_[A-Za-z0-9_-]{20,}$/, kind: "PlanetScale credential", certainty: "definite" },
  { re: /^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}$/, kind: "JWT", certainty: "likely" },
];

/** scheme://user:password@host — a connection string or URL carrying a password. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@[^\s]+$/i;

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * What kind of secret a value looks like, or undefined when it looks like ordinary
 * configuration (a URL without credentials, a flag, a short id, a sentence).
 */
export function secretValueKind(value: unknown): SecretValueMatch | undefined {
  if (typeof value !== "string") return undefined;
  const v = value.trim();
  if (v.length < 8) return undefined;
  for (const shape of VALUE_SHAPES) {
    if (shape.re.test(v)) return { kind: shape.kind, certainty: shape.certainty };
  }
  if (URL_WITH_PASSWORD.test(v)) return { kind: "URL with a password", certainty: "definite" };
  // Publishable keys are public by design.
  if (/^pk_(live|test)_/.test(v)) return undefined;
  // A long token with no spaces, not a URL/path/email, mixing character classes, with high entropy.
  if (
    v.length >= 32 &&
    !/\s/.test(v) &&
    !/^[a-z][a-z0-9+.-]*:\/\//i.test(v) &&
    !v.startsWith("/") &&
    !/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(v) &&
    /[0-9]/.test(v) &&
    /[A-Za-z]/.test(v) &&
    shannonEntropy(v) >= 4
  ) {
    return { kind: "long high-entropy string", certainty: "likely" };
  }
  return undefined;
}

/** True when the value has the shape of a secret (see secretValueKind). */
export function looksSecretValue(value: unknown): boolean {
  return secretValueKind(value) !== undefined;
}

/**
 * Why a variable looks secret ("name", or the value's kind), or undefined. The
 * reason never includes the value.
 */
export function secretReason(key: string, value: unknown): string | undefined {
  const shape = secretValueKind(value);
  if (shape) return `its value looks like ${withArticle(shape.kind)}`;
  if (looksSecretName(key)) return `its name "${key}" marks a secret`;
  return undefined;
}

/** "an OpenAI-style API key", "a JWT". */
export function withArticle(kind: string): string {
  return `${/^[aeiouAEIOU]/.test(kind) ? "an" : "a"} ${kind}`;
}

/**
 * Why a name written as `{ secret: name }` is a credential rather than a config key name,
 * or undefined. A config key is a word or words (openaiApiKeyProduction, stripe_key_2024);
 * a credential is a known token format or a random-looking run of mixed letters and digits.
 */
export function credentialInsteadOfKeyName(name: string): string | undefined {
  const shape = secretValueKind(name);
  if (shape) return `looks like ${withArticle(shape.kind)}`;
  if (CREDENTIAL_PREFIX.test(name)) return "starts like a credential";
  // Letters and digits alternating again and again (a8F3kQ9z...) is how random tokens look; words with a year do not.
  const switches = name.match(/[A-Za-z](?=\d)|\d(?=[A-Za-z])/g)?.length ?? 0;
  if (name.length >= 16 && switches >= 4) return "looks like a random token";
  return undefined;
}

/** Prefixes of the token formats above, matched even when the rest is short. */
const CREDENTIAL_PREFIX = /^(sk_(live|test)_|rk_(live|test)_|whsec_|sk-|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|AKIA|ASIA|hf_|npm_|pscale_|eyJ)/;

/**
 * Why an https URL carries its own credential (a Slack or Discord webhook whose path is
 * the token, a key in the query, a password), or undefined. Never returns the URL.
 */
export function urlCredentialKind(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const host = u.hostname.toLowerCase();
  if (u.password) return "a URL with a password";
  if (host === "hooks.slack.com") return "a Slack webhook URL (its path is the token)";
  if (/(^|\.)discord(app)?\.com$/.test(host) && u.pathname.startsWith("/api/webhooks/")) return "a Discord webhook URL (its path is the token)";
  if (/(^|\.)pagerduty\.com$/.test(host) && /\/integration\//.test(u.pathname)) return "a PagerDuty integration URL (its path holds the integration key)";
  if (/(^|\.)webhook\.office\.com$|\.logic\.azure\.com$/.test(host)) return "a Microsoft Teams webhook URL (it carries its signature)";
  for (const [name, value] of u.searchParams) {
    if (/^(api[-_]?key|apikey|key|token|access[-_]?token|auth|secret|sig|signature|code|password)$/i.test(name) && value)
      return `a URL with a credential in its query (${name}=...)`;
  }
  for (const segment of u.pathname.split("/")) {
    if (secretValueKind(segment) || (segment.length >= 20 && /\d/.test(segment) && /[A-Za-z]/.test(segment) && shannonEntropy(segment) >= 3.5)) {
      return "a URL whose path holds a token";
    }
  }
  return undefined;
}

/**
 * Two sites for the client-bundle scan, served by the lab: leaky.test, a Next.js-and-Vite-shaped
 * app whose page, chunks and source map carry planted secrets of nine kinds; and clean.test, whose
 * bundle holds only keys meant to be public. Every value is made at random when the tests start,
 * shaped as the provider issues it: none is a real credential, and none is written in this file.
 */
import { generateKeyPairSync, randomBytes } from "crypto";
import type { Reply } from "./web";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const random = (n: number, alphabet = ALNUM) => Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join("");
const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
/** A Supabase-style legacy key: an HS256 JWT with the given role. */
const supabaseJwt = (role: string) =>
  `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url({ iss: "supabase", ref: random(20).toLowerCase(), role, iat: 1700000000, exp: 2000000000 })}.${randomBytes(32).toString("base64url")}`;

/** The planted secrets, by the kind verify must name. */
export const PLANTED = {
  "OpenAI API key": `sk-proj-${random(74)}T3BlbkFJ${random(74)}`,
  "Anthropic API key": `sk-ant-api03-${random(93)}AA`,
  "Stripe live secret key": `sk_live_${random(40)}`,
  "AWS access key ID": `AKIA${random(16, UPPER)}`,
  "Supabase service_role key": supabaseJwt("service_role"),
  "GitHub token": `ghp_${random(36)}`,
  "PostgreSQL URL with a password": `postgres://app_user:${random(24)}@db.leaky.internal:5432/app`,
  "private key": generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string,
  "Supabase secret key": `sb_secret_${random(32)}`,
} as const;

/** Keys meant to be public, which must be no finding. */
export const PUBLISHABLE = {
  stripe: `pk_live_${random(40)}`,
  supabaseAnon: supabaseJwt("anon"),
  supabasePublishable: `sb_publishable_${random(32)}`,
  turnstile: `0x4AAAAAAA${random(14)}`,
  posthog: `phc_${random(43)}`,
};

const js = (body: string): Reply => ({ status: 200, headers: { "content-type": "application/javascript" }, body });

/** Where each planted value is served: the file a finding must name. */
export const PLANTED_IN: Record<keyof typeof PLANTED, string> = {
  "Stripe live secret key": "https://leaky.test/",
  "OpenAI API key": "https://leaky.test/_next/static/chunks/app/page-4f2a.js",
  "Anthropic API key": "https://leaky.test/_next/static/chunks/app/page-4f2a.js",
  "Supabase service_role key": "https://leaky.test/_next/static/chunks/app/page-4f2a.js",
  "AWS access key ID": "https://leaky.test/_next/static/chunks/app/page-4f2a.js",
  "GitHub token": "https://leaky.test/assets/index-9c1d.js",
  "PostgreSQL URL with a password": "https://leaky.test/assets/index-9c1d.js",
  "Supabase secret key": "https://leaky.test/assets/index-9c1d.js",
  "private key": "https://leaky.test/assets/index-9c1d.js.map",
};

export function bundleRoute(host: string, path: string): Reply | undefined {
  if (host === "leaky.test") {
    switch (path) {
      case "/":
        return {
          status: 200,
          headers: { "content-type": "text/html" },
          body: [
            "<!doctype html><html><head>",
            '<script src="/_next/static/chunks/webpack-1a2b.js" defer></script>',
            "<script src='/_next/static/chunks/app/page-4f2a.js' async></script>",
            '<link rel="modulepreload" href="/assets/index-9c1d.js">',
            '<script src="https://cdn.elsewhere.test/analytics.js"></script>',
            `<script id="__NEXT_DATA__" type="application/json">{"props":{"stripeKey":"${PLANTED["Stripe live secret key"]}"}}</script>`,
            "</head><body><div id=root></div></body></html>",
          ].join("\n"),
        };
      case "/_next/static/chunks/webpack-1a2b.js":
        return js('(()=>{"use strict";var e={};self.webpackChunk=self.webpackChunk||[]})();');
      case "/_next/static/chunks/app/page-4f2a.js":
        return js(
          [
            `(self.webpackChunk=self.webpackChunk||[]).push([[931],{5301:(e,t,n)=>{const r={openai:${JSON.stringify(PLANTED["OpenAI API key"])},`,
            `anthropic:"${PLANTED["Anthropic API key"]}",aws:{accessKeyId:"${PLANTED["AWS access key ID"]}",region:"us-east-1"}};`,
            `const s=(0,n(2231).createClient)("https://abcdefghijklmnopqrst.supabase.co","${PLANTED["Supabase service_role key"]}");`,
            "e.exports={r,s}}}]);",
          ].join(""),
        );
      case "/assets/index-9c1d.js":
        return js(
          `const o="${PLANTED["GitHub token"]}",d="${PLANTED["PostgreSQL URL with a password"]}",k="${PLANTED["Supabase secret key"]}";export{o,d,k};\n//# sourceMappingURL=index-9c1d.js.map\n`,
        );
      case "/assets/index-9c1d.js.map":
        return {
          status: 200,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            version: 3,
            sources: ["../src/sign.ts"],
            sourcesContent: [`export const signingKey = ${JSON.stringify(PLANTED["private key"])};\n`],
            mappings: "AAAA",
          }),
        };
      default:
        return { status: 404, body: "not found" };
    }
  }
  if (host === "clean.test") {
    if (path === "/")
      return {
        status: 200,
        headers: { "content-type": "text/html" },
        body: `<html><head><script type="module" src="/assets/main-77aa.js"></script></head><body><div class="cf-turnstile" data-sitekey="${PUBLISHABLE.turnstile}"></div></body></html>`,
      };
    if (path === "/assets/main-77aa.js")
      return js(
        `const c={stripe:"${PUBLISHABLE.stripe}",supabase:["https://abcdefghijklmnopqrst.supabase.co","${PUBLISHABLE.supabaseAnon}","${PUBLISHABLE.supabasePublishable}"],posthog:"${PUBLISHABLE.posthog}"};export default c;`,
      );
    return { status: 404, body: "not found" };
  }
  return undefined;
}

/**
 * The test lab: a DNS server answering the good and broken zones, HTTP/HTTPS servers
 * playing every site (good ones, and each planted fault), certificates from a
 * throwaway CA, and the VerifyOptions that point verify at all of it.
 */
import * as fs from "fs";
import * as path from "path";
import { DomainMap, parseDomainMap } from "../../../../lib/domain-map";
import type { VerifyOptions } from "../../../../tools/verify/types";
import { startDnsServer, type DnsServer, type Zone, type ZoneRecord } from "./dns-server";
import { makePki, type Pki } from "./pki";
import { createHash } from "crypto";
import { dsFor } from "../../../../tools/verify/dnssec";
import { bundleRoute } from "./bundle-sites";
import { deadPort, startHang, startHttp, startHttps, type Closable, type Incoming, type Reply } from "./web";

export const FIXTURES = path.join(__dirname, "..", "..", "..", "fixtures", "verify");
export const DKIM_KEYS: { rsa2048: string; rsa1024: string; rsa512: string } = JSON.parse(fs.readFileSync(path.join(FIXTURES, "dkim-keys.json"), "utf8"));

export function loadFixtureMap(name: "good" | "broken"): DomainMap {
  // Through the contract, as verify reads a map (these fixtures keep the "ipv4:..." target form earlier releases wrote).
  return parseDomainMap(JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.map.json`), "utf8")), `${name}.map.json`);
}

const A = (ip = "127.0.0.1"): ZoneRecord => ({ type: "A", data: ip });
const TXT = (data: string): ZoneRecord => ({ type: "TXT", data });
const MX = (preference: number, exchange: string): ZoneRecord => ({ type: "MX", data: { preference, exchange } });

/** A zone's signing key (algorithm 13, a 64-byte public key derived from the name) and the DS a parent would publish for it. */
export function signingKey(apex: string): { dnskey: ZoneRecord; ds: ZoneRecord } {
  const key = { flags: 257, algorithm: 13, key: createHash("sha512").update(apex).digest() };
  return { dnskey: { type: "DNSKEY", data: key }, ds: { type: "DS", data: dsFor(apex, key, 2)! } };
}

export function buildZone(): Zone {
  const zone: Zone = {
    // shared sender infrastructure
    "_spf.mailer.test": [TXT("v=spf1 ip4:192.0.2.0/24 include:_nb.mailer.test ~all")],
    "_nb.mailer.test": [TXT("v=spf1 ip4:198.51.100.0/24 ~all")],
    "mx.mailer.test": [A("192.0.2.25")],
    "mx.other.test": [A("192.0.2.26")],
    "_n1.spf.test": [TXT(`v=spf1 ${[1, 2, 3, 4, 5].map((i) => `include:l${i}.spf.test`).join(" ")} ~all`)],
    "_n2.spf.test": [TXT(`v=spf1 ${[6, 7, 8, 9, 10].map((i) => `include:l${i}.spf.test`).join(" ")} ~all`)],
    "cname.vercel-dns.com": [A("127.0.0.1")],
    "rdap.test": [A("127.0.0.1")],
    "old-host.example.net": [A("127.0.0.1")],

    // the good zone
    "good.test": [
      A(),
      TXT("v=spf1 include:_spf.mailer.test ~all"),
      MX(10, "mx.mailer.test"),
      { type: "CAA", data: { flags: 0, tag: "issue", value: "letsencrypt.org" } },
      { type: "CAA", data: { flags: 0, tag: "iodef", value: "mailto:security@good.test" } },
      // Signed, and the parent's DS matches (this one server answers for the parent too).
      signingKey("good.test").dnskey,
      signingKey("good.test").ds,
    ],
    "www.good.test": [{ type: "CNAME", data: "good.test" }],
    "api.good.test": [A("127.0.0.1")], // proxied: answers with an "edge" address, not the planned CNAME
    "google._domainkey.good.test": [TXT(`v=DKIM1; k=rsa; p=${DKIM_KEYS.rsa2048}`)],
    "_dmarc.good.test": [TXT("v=DMARC1; p=quarantine; sp=reject; rua=mailto:dmarc@good.test")],
    "status.good.test": [A(), TXT("v=spf1 -all")],

    // --domain diagnoses: a zone whose server refuses, one that never answers, a sender with its own DKIM selector
    "refused.test": [{ type: "REFUSED" }],
    "silent.test": [{ type: "DROP" }],
    "www.silent.test": [{ type: "DROP" }],
    "custom.test": [A(), TXT("v=spf1 include:_spf.mailer.test -all"), MX(10, "mx.mailer.test")],
    "mail2024._domainkey.custom.test": [TXT(`v=DKIM1; k=rsa; p=${DKIM_KEYS.rsa2048}`)],
    "_dmarc.custom.test": [TXT("v=DMARC1; p=reject; rua=mailto:dmarc@custom.test")],
    // SPF names Google Workspace (its key is published) and SendGrid (no key at s1/s2); and Amazon SES, whose selectors are per domain
    "twosenders.test": [A(), TXT("v=spf1 include:_spf.google.com include:sendgrid.net ~all")],
    "google._domainkey.twosenders.test": [TXT(`v=DKIM1; k=rsa; p=${DKIM_KEYS.rsa2048}`)],
    "ses.test": [A(), TXT("v=spf1 include:amazonses.com -all")],
    "abcdef123456._domainkey.ses.test": [TXT(`v=DKIM1; k=rsa; p=${DKIM_KEYS.rsa2048}`)],

    // round-3 misses: an apex whose HSTS asks for preload with half a year; routes that stream their bodies
    "shortpreload.test": [A(), TXT("v=spf1 -all")],
    "stream.good.test": [A()],
    // CAA against the served certificate: CAA names another CA than the issuer; an issuer no CAA list knows
    "wrongca.test": [A(), TXT("v=spf1 -all"), { type: "CAA", data: { flags: 0, tag: "issue", value: "digicert.com" } }],
    "unlisted.test": [A(), TXT("v=spf1 -all"), { type: "CAA", data: { flags: 0, tag: "issue", value: "letsencrypt.org" } }],
    // the client-bundle scan: a site whose bundles leak, and one with only publishable keys
    "leaky.test": [A(), TXT("v=spf1 -all")],
    "clean.test": [A(), TXT("v=spf1 -all")],

    // the broken zone, one planted fault per name
    "broken.test": [
      A(),
      MX(20, "mx.other.test"),
      TXT("v=spf1 include:_n1.spf.test include:_n2.spf.test ~all"),
      TXT("google-site-verification=abc123"),
      // CAA that forbids every authority, while DNS-only hosts need certificates
      { type: "CAA", data: { flags: 0, tag: "issue", value: ";" } },
      // Re-signed with a new key while the registrar still holds the old key's DS.
      signingKey("broken.test").dnskey,
      signingKey("old-key.broken.test").ds,
    ],
    "www.broken.test": [A()],
    "old.broken.test": [A()],
    "loop.broken.test": [A()],
    "www.loop.broken.test": [A()],
    "app.broken.test": [{ type: "CNAME", data: "old-host.example.net" }],
    "expired.broken.test": [A()],
    "wrongname.broken.test": [A()],
    "nochain.broken.test": [A()],
    "soon.broken.test": [A()],
    "verysoon.broken.test": [A()],
    "legacy.broken.test": [A()],
    "api.broken.test": [A()],
    "star.broken.test": [A()],
    "news.broken.test": [TXT("v=spf1 include:_spf.mailer.test ~all"), TXT("v=spf1 include:sendgrid.test ~all")],
    "mkt.broken.test": [TXT("v=spf1 include:_spf.mailer.test +all")],
    "voids.broken.test": [TXT("v=spf1 a:gone1.broken.test a:gone2.broken.test mx:gone3.broken.test ~all")],
    "k1._domainkey.broken.test": [TXT("v=DKIM1; k=rsa; p=")],
    "weak._domainkey.broken.test": [TXT(`v=DKIM1; k=rsa; p=${DKIM_KEYS.rsa512}`)],
    "trunc._domainkey.broken.test": [TXT(`v=DKIM1; k=rsa; p=${DKIM_KEYS.rsa2048.slice(0, 200)}`)],
    "_dmarc.broken.test": [TXT("v=DMARC1; p=none; rua=mailto:dmarc@reports.example.net")],
    "status.broken.test": [TXT("v=spf1 include:_spf.mailer.test ~all")],

    // extra names for unit tests
    "_dmarc.invalid.broken.test": [TXT("v=DMARC1; p=maybe; rua=dmarc@broken.test")],
    "_dmarc.two.broken.test": [TXT("v=DMARC1; p=reject"), TXT("v=DMARC1; p=none")],
    "_dmarc.monitor.broken.test": [TXT("v=DMARC1; p=none; rua=mailto:d@monitor.broken.test")],
    "mid._domainkey.broken.test": [TXT(`v=DKIM1; k=rsa; p=${DKIM_KEYS.rsa1024}`)],
    "dup.broken.test": [A("127.0.0.1"), A("127.0.0.9")],
    "servfail.broken.test": [{ type: "SERVFAIL" }],
    "blackhole.broken.test": [{ type: "DROP" }],
    "nested-plus.spf.test": [TXT("v=spf1 include:plusall.spf.test -all")],
    "plusall.spf.test": [TXT("v=spf1 +all")],
    "circ1.spf.test": [TXT("v=spf1 include:circ2.spf.test -all")],
    "circ2.spf.test": [TXT("v=spf1 include:circ1.spf.test -all")],
    "dangling.spf.test": [TXT("v=spf1 include:nowhere.spf.test -all")],
    "redirect.spf.test": [TXT("v=spf1 redirect=_spf.mailer.test")],
    "lockedsub.good.test": [TXT("v=spf1 -all")],
    "lockedmx.good.test": [TXT("v=spf1 -all"), MX(10, "mx.mailer.test")],
  };
  for (let i = 1; i <= 10; i++) zone[`l${i}.spf.test`] = [TXT(`v=spf1 ip4:192.0.2.${i} ~all`)];
  return zone;
}

const moved = (to: string, status = 301): Reply => ({ status, headers: { location: to } });
const HSTS = { "strict-transport-security": "max-age=31536000; includeSubDomains" };
/** What a well-configured page sends (HTTP Observatory's headers). */
const PAGE_HEADERS = {
  ...HSTS,
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "content-security-policy": "default-src 'self'; frame-ancestors 'none'",
  "set-cookie": "session=abc; Path=/; Secure; HttpOnly; SameSite=Lax",
};

/** What every test site answers. Hosts not listed: http -> 301 https (same host), https -> 200 with HSTS. */
export function route(req: Incoming): Reply {
  const { scheme, host, path: p, method } = req;
  const origin = req.headers.origin as string | undefined;
  const bundles = scheme === "https" ? bundleRoute(host, p) : undefined;
  if (bundles) return bundles;
  switch (host) {
    case "www.good.test":
      // The bar's chain: http -> https on the same host, then one hop to the canonical host.
      return scheme === "http" ? moved(`https://www.good.test${p}`) : moved(`https://good.test${p}`);
    case "good.test":
      if (scheme === "http") return moved(`https://good.test${p}`);
      if (p === "/health") return { status: 200, headers: HSTS, body: "ok" };
      return { status: 200, headers: PAGE_HEADERS, body: "<html>good</html>" };
    case "api.good.test":
      // Behind Cloudflare in front of Vercel: the certificate challenge path reaches Vercel over plain HTTP (vercel.acme-path).
      if (scheme === "http" && p.startsWith("/.well-known/acme-challenge/")) return { status: 404, body: "no such challenge" };
      if (scheme === "http") return moved(`https://api.good.test${p}`);
      if (method === "OPTIONS") {
        return {
          status: 204,
          headers: {
            ...HSTS,
            vary: "Origin",
            ...(origin === "https://good.test" ? { "access-control-allow-origin": origin, "access-control-allow-methods": "GET, POST" } : {}),
          },
        };
      }
      if (p === "/api/health") return { status: 200, headers: HSTS, body: '{"status":"ok"}' };
      return { status: 200, headers: HSTS, body: "api" };
    case "shortpreload.test":
      if (scheme === "http") return moved(`https://shortpreload.test${p}`);
      return {
        status: 200,
        headers: { ...PAGE_HEADERS, "strict-transport-security": "max-age=15768000; includeSubDomains; preload" },
        body: "<html>short</html>",
      };
    case "stream.good.test":
      if (scheme === "http") return moved(`https://stream.good.test${p}`);
      // Headers at once, then a body with no end (a chat stream), or one that stops after its first line.
      if (p === "/stall") return { status: 200, headers: HSTS, body: "event: ready\n\n", stream: "stall" };
      return { status: 200, headers: { ...HSTS, "content-type": "text/event-stream" }, body: "event: ready\n\n", stream: "endless" };
    case "broken.test":
      if (scheme === "http") return moved(`https://broken.test${p}`, 302); // temporary redirect
      if (p === "/health") return { status: 500, body: "error" };
      if (p === "/status") return { status: 200, body: "maintenance" };
      if (p === "/slow") return { status: 200, body: "ok", delayMs: 150 };
      // no HSTS, no security headers, a session cookie without its flags
      return { status: 200, headers: { "set-cookie": "session=abc; Path=/" }, body: "<html>no hsts</html>" };
    case "www.broken.test":
      return moved(`https://broken.test${p}`); // http:// jumps host without https on www first
    case "old.broken.test":
      return moved("https://broken.test/"); // drops path and query
    case "loop.broken.test":
      return scheme === "http" ? moved(`https://loop.broken.test${p}`) : moved(`https://www.loop.broken.test${p}`);
    case "www.loop.broken.test":
      return moved(`https://loop.broken.test${p}`);
    case "api.broken.test":
      if (scheme === "http") return moved(`https://api.broken.test${p}`);
      if (method === "OPTIONS") {
        // reflects any Origin, with credentials
        return { status: 204, headers: { ...HSTS, ...(origin ? { "access-control-allow-origin": origin, "access-control-allow-credentials": "true" } : {}) } };
      }
      return { status: 200, headers: HSTS, body: "api" };
    case "rdap.test": {
      // RDAP (RFC 9083) as rdap.org bootstraps it: a redirect, then the registry's answer.
      const name = p.replace(/^\/(bootstrap\/)?domain\//, "");
      if (p.startsWith("/bootstrap/")) return moved(`http://rdap.test/domain/${name}`, 302);
      const expiring = name === "broken.test";
      const expiration = new Date(Date.now() + (expiring ? 10 : 400) * 86400000).toISOString();
      const body = JSON.stringify({
        objectClassName: "domain",
        ldhName: name,
        events: [
          { eventAction: "registration", eventDate: "2020-01-01T00:00:00Z" },
          { eventAction: "expiration", eventDate: expiration },
        ],
      });
      return { status: 200, headers: { "content-type": "application/rdap+json" }, body };
    }
    case "star.broken.test":
      if (method === "OPTIONS") return { status: 204, headers: { "access-control-allow-origin": "*" } };
      return { status: 200, body: "star" };
    default:
      if (scheme === "http") return moved(`https://${host}${p}`);
      return { status: 200, headers: HSTS, body: `<html>${host}</html>` };
  }
}

export interface Lab {
  pki: Pki;
  dns: DnsServer;
  /** Options pointing at the lab (DNS server, ports, CA, connect overrides for dead/hang/legacy). */
  options: VerifyOptions;
  deadPort: number;
  close(): Promise<void>;
}

export async function startLab(): Promise<Lab> {
  const pki = makePki();
  const day = 86400000;
  const now = Date.now();
  const wild = pki.issue("good.test", ["good.test", "*.good.test", "broken.test", "*.broken.test", "*.loop.broken.test"], {
    notAfter: new Date(now + 80 * day),
  });
  const expired = pki.issue("expired.broken.test", ["expired.broken.test"], {
    notBefore: new Date("2020-01-01T00:00:00Z"),
    notAfter: new Date("2020-02-01T00:00:00Z"),
  });
  const other = pki.issue("other.test", ["other.test"]);
  const nochain = pki.issue("nochain.broken.test", ["nochain.broken.test"]);
  // 90-day certificates, as Let's Encrypt and Cloudflare issue them: one renewal overdue, one nearly out of time.
  const soon = pki.issue("soon.broken.test", ["soon.broken.test"], { notBefore: new Date(now - 80 * day), notAfter: new Date(now + 10 * day + 3600000) });
  const verysoon = pki.issue("verysoon.broken.test", ["verysoon.broken.test"], {
    notBefore: new Date(now - 87 * day),
    notAfter: new Date(now + 3 * day + 3600000),
  });
  const full = (l: { key: string; fullchain: string }) => ({ key: l.key, cert: l.fullchain });
  const certs = {
    fallback: full(wild),
    byName: {
      "expired.broken.test": full(expired),
      "wrongname.broken.test": full(other),
      "soon.broken.test": full(soon),
      "verysoon.broken.test": full(verysoon),
      "unlisted.test": full(pki.issue("unlisted.test", ["unlisted.test", "www.unlisted.test"], { issuer: "unlisted" })),
    },
  };
  const servers: Closable[] = [];
  let dns: DnsServer | undefined;
  try {
    dns = await startDnsServer(buildZone());
    const web = await startHttps(route, certs);
    const plain = await startHttp(route);
    const legacy = await startHttps(route, { fallback: full(wild), byName: {} }, true);
    // Its own server: with SNI, OpenSSL may send the default context's chain, hiding the fault.
    const nochainSrv = await startHttps(route, { fallback: { key: nochain.key, cert: nochain.cert }, byName: {} });
    const hang = await startHang();
    servers.push(web, plain, legacy, nochainSrv, hang);
    const dead = await deadPort();
    const options: VerifyOptions = {
      dnsServers: [dns.address],
      httpsPort: web.port,
      httpPort: plain.port,
      ca: [pki.rootPem],
      rdapBase: "http://rdap.test/bootstrap/domain/",
      timeoutMs: 1500,
      dnsTries: 1,
      latencySamples: 3,
      connectTo: {
        "legacy.broken.test:443": { host: "127.0.0.1", port: legacy.port },
        "nochain.broken.test:443": { host: "127.0.0.1", port: nochainSrv.port },
        "dead.broken.test:443": { host: "127.0.0.1", port: dead },
        "hang.broken.test:443": { host: "127.0.0.1", port: hang.port },
      },
    };
    const d = dns;
    return {
      pki,
      dns: d,
      options,
      deadPort: dead,
      close: async () => {
        await Promise.all([...servers.map((s) => s.close()), d.close()]);
        pki.cleanup();
      },
    };
  } catch (err) {
    await Promise.all([...servers.map((s) => s.close()), dns?.close()]);
    pki.cleanup();
    throw err;
  }
}

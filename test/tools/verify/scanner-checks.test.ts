import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseDomainMap } from "../../../lib/domain-map";
import type { HttpResponse, Net } from "../../../tools/verify/net";
import { checkCaa, judgeSecurityHeaders, preloadProblems } from "../../../tools/verify/scanner-checks";

const res = (hsts?: string): HttpResponse => ({
  url: "https://example.com/",
  status: 200,
  headers: hsts ? { "strict-transport-security": hsts } : {},
  body: "",
  ms: 1,
  ttfbMs: 1,
  bodyMs: 0,
  bodyBytes: 0,
  address: "127.0.0.1",
});

describe("verify: HSTS preload readiness (hstspreload.org's rules)", () => {
  it("passes a year-long max-age with includeSubDomains and preload, and http:// to https:// on the apex first", () => {
    assert.deepEqual(preloadProblems("example.com", res("max-age=63072000; includeSubDomains; preload"), "https://example.com/"), []);
  });

  it("names every missing piece: max-age, includeSubDomains, preload, the apex's own https redirect", () => {
    assert.deepEqual(preloadProblems("example.com", res("max-age=15552000"), "https://www.example.com/"), [
      "max-age is 15552000, under 31536000 (one year)",
      "includeSubDomains is missing",
      "the preload directive is missing",
      "http://example.com/ must redirect to https://example.com/ first (it goes to https://www.example.com/)",
    ]);
    assert.deepEqual(preloadProblems("example.com", res(), undefined), [
      "https://example.com/ sends no Strict-Transport-Security header",
      "http://example.com/ must redirect to https://example.com/ first",
    ]);
  });
});

const goodMap = () => parseDomainMap(JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "fixtures", "verify", "good.map.json"), "utf8")));
/** A Net that answers CAA from a list (the DNS itself is exercised on the lab). */
const caaNet = (records: Array<Record<string, unknown>> | "error") =>
  ({
    caa: async () =>
      records === "error"
        ? { status: "error", error: "DNS CAA good.test: refused by 127.0.0.1:53" }
        : records.length
          ? { status: "ok", records }
          : { status: "nodata" },
  }) as unknown as Net;

describe("verify: CAA at the apex", () => {
  it("no CAA is a warning; a CAA that leaves out Vercel's authority fails; no iodef warns; a lookup error fails", async () => {
    const map = goodMap(); // api.good.test is served by Vercel
    const none = await checkCaa(caaNet([]), map);
    assert.equal(none.status, "warn");
    assert.match(none.detail, /^no CAA record: any certificate authority may issue for the domain\. Fix: publish good\.test CAA 0 issue "letsencrypt\.org"/);
    const digicert = await checkCaa(caaNet([{ critical: 0, issue: "digicert.com" }]), map);
    assert.equal(digicert.status, "fail");
    assert.match(
      digicert.detail,
      /^CAA allows digicert\.com, not letsencrypt\.org: Vercel cannot issue or renew certificates for api\.good\.test\. Fix: good\.test CAA 0 issue "letsencrypt\.org"$/,
    );
    const noIodef = await checkCaa(caaNet([{ critical: 0, issue: "letsencrypt.org" }]), map);
    assert.equal(noIodef.status, "warn");
    assert.match(noIodef.detail, /with no iodef: nobody hears about a refused issuance/);
    const error = await checkCaa(caaNet("error"), map);
    assert.equal(error.status, "fail");
    assert.match(error.detail, /^could not be checked: DNS CAA good\.test: refused by/);
  });
});

describe("verify: security headers as HTTP Observatory grades them", () => {
  const page = (headers: Record<string, string | string[]>): HttpResponse => ({
    url: "https://example.com/",
    status: 200,
    headers,
    body: "",
    ms: 1,
    ttfbMs: 1,
    bodyMs: 0,
    bodyBytes: 0,
    address: "127.0.0.1",
  });
  const rows = (headers: Record<string, string | string[]>) =>
    judgeSecurityHeaders("https://example.com/", page(headers)).map((r) => `${r.check}: ${r.status}: ${r.detail}`);

  it("accepts X-Frame-Options for framing, warns on a leaky Referrer-Policy and a cookie readable by scripts", () => {
    assert.deepEqual(
      rows({
        "x-content-type-options": "nosniff",
        "referrer-policy": "unsafe-url",
        "x-frame-options": "DENY",
        "content-security-policy": "default-src 'self'",
        "set-cookie": ["theme=dark; Secure; SameSite=Lax", "sid=1; Secure; HttpOnly; SameSite=Strict"],
      }),
      [
        "X-Content-Type-Options: pass: nosniff",
        "Referrer-Policy: warn: unsafe-url",
        "Framing (frame-ancestors / X-Frame-Options): pass: X-Frame-Options: DENY",
        "Content-Security-Policy: pass: default-src 'self'",
        "Cookie theme: warn: set without HttpOnly. Fix: set the cookie with Secure; HttpOnly; SameSite=Lax (HttpOnly only where scripts need not read it)",
        "Cookie sid: pass: Secure; HttpOnly; SameSite",
      ],
    );
  });

  it("a wrong nosniff value fails, and a missing CSP is a warning with the report-only ramp", () => {
    const out = rows({ "x-content-type-options": "sniff" });
    assert.ok(out.includes('X-Content-Type-Options: fail: "sniff" is not nosniff. Fix: send "X-Content-Type-Options: nosniff"'));
    assert.ok(
      out.includes(
        "Content-Security-Policy: warn: missing: injected scripts run unhindered. Fix: start with Content-Security-Policy-Report-Only to collect violations, then enforce",
      ),
    );
  });
});

describe("verify: domain registration through RDAP", () => {
  it("reads the expiration event (RFC 9083) and judges the time left", async () => {
    const { rdapExpiry } = await import("../../../tools/verify/scanner-checks");
    assert.equal(
      rdapExpiry({
        events: [
          { eventAction: "registration", eventDate: "2020-01-01T00:00:00Z" },
          { eventAction: "expiration", eventDate: "2027-03-01T00:00:00Z" },
        ],
      })?.toISOString(),
      "2027-03-01T00:00:00.000Z",
    );
    assert.equal(rdapExpiry({ events: [{ eventAction: "expiration", eventDate: "soon" }] }), undefined);
    assert.equal(rdapExpiry({}), undefined);
  });
});

/**
 * TLS checks with tls.connect: the certificate is valid for the name and chains to a
 * trusted root with every intermediate served, time to expiry judged against the
 * certificate's own lifetime, and TLS 1.0/1.1 refused as the zone's minimum TLS version says.
 */
import * as tls from "tls";
import type { Net, TlsResult } from "./net";
import { makeRow, type Fix } from "./row";
import type { CheckResult, Status } from "./types";

const DAY = 86400000;

/**
 * When a certificate's remaining time is worrying, as a share of its lifetime: certificates
 * now live 90 days or less and the CA/Browser Forum is shortening them (to 47 days by 2029),
 * so a fixed "30 days left" is wrong both ways. An ACME client renews at two thirds of the
 * lifetime (Let's Encrypt's advice), so less than a third left means renewal is failing
 * (warn); less than a tenth leaves little time for it to be fixed (fail). Capped at 30 and 7
 * days, so a year-long certificate is not flagged months ahead.
 */
export function expiryThresholds(notBefore: Date, notAfter: Date): { warnDays: number; failDays: number; lifetimeDays: number } {
  const lifetimeDays = Math.max(0, (notAfter.getTime() - notBefore.getTime()) / DAY);
  return { lifetimeDays, warnDays: Math.min(lifetimeDays / 3, 30), failDays: Math.min(lifetimeDays / 10, 7) };
}

const CHAIN_INCOMPLETE = new Set(["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"]);
const SELF_SIGNED = new Set(["DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN"]);
const DATE_ERRORS = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]);

/** The certificates the server sent, leaf first (Node links them through issuerCertificate). */
function sentChain(cert: tls.DetailedPeerCertificate): tls.DetailedPeerCertificate[] {
  const chain = [cert];
  const seen = new Set([cert.fingerprint256]);
  let c = cert;
  while (c.issuerCertificate && c.issuerCertificate.raw && !seen.has(c.issuerCertificate.fingerprint256)) {
    c = c.issuerCertificate;
    seen.add(c.fingerprint256);
    chain.push(c);
  }
  return chain;
}

function names(cert: tls.PeerCertificate): string {
  const san = cert.subjectaltname?.replace(/DNS:/g, "") ?? "";
  return san || String(cert.subject?.CN ?? "?");
}

const certificateCheck = (host: string) => ({ id: "tls.cert", check: "TLS certificate", target: host });

/** Two rows per host: the certificate (name, chain, trust) and its expiry. */
export async function checkCertificate(net: Net, host: string, now: Date = new Date()): Promise<CheckResult[]> {
  const hs = await net.handshake(host, undefined);
  if (!hs.ok) {
    return [
      makeRow({
        ...certificateCheck(host),
        status: "fail",
        detail: `no TLS handshake: ${hs.message}`,
        fix: `serve HTTPS on ${host} (proxied through Cloudflare, or a certificate on the origin)`,
      }),
    ];
  }
  const cert = hs.cert;
  if (!cert || !cert.raw)
    return [makeRow({ ...certificateCheck(host), status: "fail", detail: "the server sent no certificate", fix: `install a certificate for ${host}` })];
  return [trustRow(host, hs, cert), expiryRow(host, cert, now)];
}

/** The certificate against the name and the trust store: the first problem found, or a pass. */
function trustRow(host: string, hs: TlsResult, cert: tls.DetailedPeerCertificate): CheckResult {
  const issuer = String(cert.issuer?.CN ?? cert.issuer?.O ?? "?");
  const data = {
    subject: cert.subject?.CN,
    altNames: cert.subjectaltname,
    issuer,
    validFrom: cert.valid_from,
    validTo: cert.valid_to,
    fingerprint256: cert.fingerprint256,
    protocol: hs.protocol,
  };
  const certRow = (status: Status, detail: string, fix?: string, extra: Record<string, unknown> = data) =>
    makeRow({ ...certificateCheck(host), status, detail, fix, data: extra });
  const nameError = tls.checkServerIdentity(host, cert);
  const authError = hs.authorizationError;
  if (nameError) {
    return certRow(
      "fail",
      `the certificate is for ${names(cert)}, not ${host}`,
      `issue a certificate that covers ${host} (on Cloudflare: proxy the record so the edge certificate covers it, or add it to an advanced certificate)`,
      data,
    );
  } else if (authError && CHAIN_INCOMPLETE.has(authError) && sentChain(cert).length > 1) {
    // The intermediate is there: what is missing is trust in the root above it.
    const chain = sentChain(cert);
    const top = chain[chain.length - 1];
    const root = String(top.issuer?.CN ?? top.issuer?.O ?? "?");
    return certRow(
      "fail",
      `unknown root (${authError}): the server sends the chain (${chain.length} certificates, up to "${String(top.subject?.CN ?? "?")}"), but its root "${root}" is not a trusted CA`,
      `use a certificate from a publicly trusted CA (Cloudflare's edge certificate or Let's Encrypt); for a private CA, pass it with --ca`,
      { ...data, chainLength: chain.length, root },
    );
  } else if (authError && CHAIN_INCOMPLETE.has(authError)) {
    return certRow(
      "fail",
      `chain incomplete (${authError}): the server sends the leaf issued by "${issuer}" without its intermediate certificate`,
      "serve the full chain (leaf + intermediates, e.g. fullchain.pem) on the origin",
      data,
    );
  } else if (authError && SELF_SIGNED.has(authError)) {
    return certRow(
      "fail",
      `self-signed or untrusted root (${authError})`,
      "use a certificate from a public CA (Cloudflare's edge certificate or Let's Encrypt)",
      data,
    );
  } else if (authError && !DATE_ERRORS.has(authError)) {
    return certRow("fail", `not trusted: ${authError}`, "serve a certificate from a public CA with its full chain", data);
  }
  return certRow("pass", `valid for ${host}, issued by ${issuer}, chain complete (${hs.protocol})`, undefined, data);
}

/** How long the certificate has left, against thresholds scaled to its lifetime. */
function expiryRow(host: string, cert: tls.DetailedPeerCertificate, now: Date): CheckResult {
  const notAfter = new Date(cert.valid_to);
  const notBefore = new Date(cert.valid_from);
  const days = Math.floor((notAfter.getTime() - now.getTime()) / DAY);
  const left = (notAfter.getTime() - now.getTime()) / DAY;
  const { warnDays, failDays, lifetimeDays } = expiryThresholds(notBefore, notAfter);
  const expiryData = { daysToExpiry: days, validTo: notAfter.toISOString(), lifetimeDays: Math.round(lifetimeDays) };
  const ofLifetime = `of a ${Math.round(lifetimeDays)}-day lifetime`;
  const renew = `renew the certificate for ${host} now (Cloudflare renews edge certificates itself: check SSL/TLS > Edge Certificates for a stuck validation; on an origin, check the ACME/certbot renewal job)`;
  const row = (status: Status, detail: string, fix?: Fix) =>
    makeRow({ id: "tls.expiry", check: "TLS certificate expiry", target: host, status, detail, fix, data: expiryData });
  const until = notAfter.toISOString().slice(0, 10);
  if (notBefore.getTime() > now.getTime()) {
    return row("fail", `not valid until ${notBefore.toISOString()}`, "check the server clock and the certificate's dates");
  } else if (days < 0) {
    return row("fail", `expired on ${until} (${-days} days ago)`, renew);
  } else if (left < failDays) {
    return row("fail", `expires in ${days} days (${until}), under a tenth ${ofLifetime}`, renew);
  } else if (left < warnDays) {
    return row("warn", `expires in ${days} days (${until}), under a third ${ofLifetime}: renewal should have happened`, renew);
  }
  return row("pass", `${days} days left ${ofLifetime} (${until})`);
}

export type ProbeOutcome = "accepted" | "refused" | "client-cannot-offer" | "unreachable";

/** Errors raised by our own TLS stack before or while offering the old protocol. */
const CLIENT_SIDE = new Set([
  "ERR_SSL_NO_PROTOCOLS_AVAILABLE",
  "ERR_SSL_NO_CIPHERS_AVAILABLE",
  "ERR_SSL_NO_CIPHER_MATCH",
  "ERR_SSL_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED",
  "ERR_TLS_INVALID_PROTOCOL_VERSION",
  "ERR_TLS_PROTOCOL_VERSION_CONFLICT",
]);
const UNREACHABLE = new Set(["ETIMEDOUT", "ECONNREFUSED", "ERESOLVE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND"]);

export async function probeVersion(net: Net, host: string, version: tls.SecureVersion): Promise<{ outcome: ProbeOutcome; detail: string }> {
  const r = await net.handshake(host, undefined, { version });
  if (r.ok) return { outcome: "accepted", detail: `${version} handshake completed (${r.protocol})` };
  if (r.code && CLIENT_SIDE.has(r.code)) return { outcome: "client-cannot-offer", detail: `this machine's TLS library would not offer ${version} (${r.code})` };
  if (r.code && UNREACHABLE.has(r.code)) return { outcome: "unreachable", detail: r.message };
  // Protocol-version alerts, "unsupported protocol" (server chose newer), handshake failure or a reset: the server said no.
  return { outcome: "refused", detail: `${version} refused (${r.code ?? r.message.split("\n")[0]})` };
}

const RANK: Record<string, number> = { "1.0": 0, "1.1": 1, "1.2": 2, "1.3": 3 };

/** TLS 1.0 and 1.1 must be refused unless the plan's minimum TLS version allows them (which is itself flagged). */
export async function checkLegacyTls(net: Net, host: string, minTlsVersion = "1.2"): Promise<CheckResult> {
  const check = "TLS 1.0/1.1 refused";
  const min = RANK[minTlsVersion] ?? 2;
  const [v10, v11] = await Promise.all([probeVersion(net, host, "TLSv1"), probeVersion(net, host, "TLSv1.1")]);
  const data = { tls10: v10.outcome, tls11: v11.outcome, minTlsVersion };
  const fix = `set the minimum TLS version to 1.2 (Cloudflare SSL/TLS > Edge Certificates > Minimum TLS Version; the stack's edge.minTlsVersion), or on an unproxied origin disable TLS 1.0/1.1`;
  if (v10.outcome === "unreachable" || v11.outcome === "unreachable") {
    return makeRow({
      id: "tls.legacy",
      check,
      target: host,
      status: "fail",
      detail: `could not connect: ${(v10.outcome === "unreachable" ? v10 : v11).detail}`,
      fix: `serve HTTPS on ${host}`,
      data,
    });
  }
  const accepted = [v10.outcome === "accepted" ? "1.0" : undefined, v11.outcome === "accepted" ? "1.1" : undefined].filter((v): v is string => !!v);
  const againstPlan = accepted.filter((v) => RANK[v] < min);
  if (againstPlan.length) {
    return makeRow({
      id: "tls.legacy",
      check,
      target: host,
      status: "fail",
      detail: `accepts TLS ${againstPlan.join(" and ")} although the plan's minimum is TLS ${minTlsVersion}`,
      fix,
      data,
    });
  }
  if (accepted.length) {
    return makeRow({
      id: "tls.legacy",
      check,
      target: host,
      status: "warn",
      detail: `accepts TLS ${accepted.join(" and ")}, as the plan's minimum TLS ${minTlsVersion} allows`,
      fix: `raise edge.minTlsVersion to 1.2 in the stack, then ${fix}`,
      data,
    });
  }
  const cannot = [v10, v11].filter((v) => v.outcome === "client-cannot-offer");
  if (cannot.length) {
    return makeRow({
      id: "tls.legacy",
      check,
      target: host,
      status: "warn",
      detail: `inconclusive: ${cannot.map((c) => c.detail).join("; ")}`,
      fix: "re-run verify from a machine whose OpenSSL can offer TLS 1.0/1.1 (or test with `openssl s_client -tls1`)",
      data,
    });
  }
  return makeRow({ id: "tls.legacy", check, target: host, status: "pass", detail: `${v10.detail}; ${v11.detail}`, data });
}

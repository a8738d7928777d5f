/**
 * The network layer every check goes through: DNS queries on a Node Resolver (pointable
 * at a local server), connection overrides like curl's --resolve / --connect-to, and
 * HTTP(S) requests and TLS handshakes with a hard deadline each. Nothing here waits
 * without a bound: a dead host gives a clear error within the configured timeout.
 */
import { promises as dnsp } from "dns";
import * as dgram from "dgram";
import * as dnsPacket from "dns-packet";
import * as http from "http";
import * as https from "https";
import * as net from "net";
import * as tls from "tls";
import { TimeoutError, withTimeout } from "./limit";
import type { ConnectTarget, VerifyOptions } from "./types";

export type DnsResult<T> = { status: "ok"; records: T[] } | { status: "nodata" } | { status: "nxdomain" } | { status: "error"; error: string };

export interface HttpResponse {
  url: string;
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as text, at most maxBodyBytes. */
  body: string;
  /** From the request's start to the end of the body read (all of it, or the bounded prefix). */
  ms: number;
  /** Time to first byte: from the request's start (DNS, connect, TLS included) to the response headers. */
  ttfbMs: number;
  /** From the headers to the end of the body read. */
  bodyMs: number;
  /** Body bytes read (at most maxBodyBytes). */
  bodyBytes: number;
  /** Why the body was not read to its end: "limit" (maxBodyBytes read; the rest was not asked for) or "timeout" (the body did not finish within the timeout). */
  bodyCut?: "limit" | "timeout";
  address: string;
}

export interface TlsResult {
  ok: true;
  authorized: boolean;
  authorizationError?: string;
  protocol: string | null;
  cert: tls.DetailedPeerCertificate;
  address: string;
}

export const DEFAULT_TIMEOUT_MS = 5000;

/** Why work in flight ended: close() at the run's deadline. */
const STOPPED = "stopped at the run's deadline";

export class Net {
  readonly timeoutMs: number;
  readonly options: VerifyOptions;
  private readonly resolver: dnsp.Resolver;
  private readonly customDns: boolean;
  /** Per zone, the resolver for the zone's own names (--dns-server ADDR=ZONE); longest zone first. */
  private readonly zoneResolvers: Array<{ zone: string; servers: string[]; resolver: dnsp.Resolver }>;
  private readonly trusted: Array<string | Buffer> | undefined;
  /** Secure contexts built once: parsing the root store on every connection costs ~100 ms. */
  private readonly contexts = new Map<string, tls.SecureContext>();
  /** How to abort each query, socket and request still open: close() runs them all at the run's deadline. */
  private readonly open = new Set<() => void>();
  private closed = false;

  constructor(options: VerifyOptions = {}) {
    this.options = options;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.resolver = new dnsp.Resolver({ timeout: this.timeoutMs, tries: options.dnsTries ?? 2 });
    this.customDns = !!options.dnsServers?.length;
    if (this.customDns) this.resolver.setServers(options.dnsServers!);
    this.zoneResolvers = Object.entries(options.dnsZoneServers ?? {})
      .map(([zone, servers]) => {
        const resolver = new dnsp.Resolver({ timeout: this.timeoutMs, tries: options.dnsTries ?? 2 });
        resolver.setServers(servers);
        return { zone: zone.toLowerCase().replace(/\.$/, ""), servers, resolver };
      })
      .sort((a, b) => b.zone.length - a.zone.length);
    this.trusted = options.ca?.length ? [...tls.rootCertificates, ...options.ca] : undefined;
  }

  /**
   * Stops everything still in flight (DNS queries, sockets, requests) and refuses new work:
   * at the run's deadline nothing may keep the process waiting for a silent server.
   * (The system resolver's getaddrinfo, used without --dns-server, cannot be cancelled.)
   */
  close(): void {
    this.closed = true;
    this.resolver.cancel();
    for (const z of this.zoneResolvers) z.resolver.cancel();
    for (const abort of [...this.open]) abort();
    this.open.clear();
  }

  /** Registers how to abort one piece of work; the returned function unregisters it once it is done. */
  private hold(abort: () => void): () => void {
    if (this.closed) {
      abort();
      return () => undefined;
    }
    this.open.add(abort);
    return () => this.open.delete(abort);
  }

  private context(version?: tls.SecureVersion): tls.SecureContext {
    const key = version ?? "default";
    let ctx = this.contexts.get(key);
    if (!ctx) {
      ctx = tls.createSecureContext(
        version ? { ca: this.trusted, minVersion: version, maxVersion: version, ciphers: "DEFAULT@SECLEVEL=0" } : { ca: this.trusted },
      );
      this.contexts.set(key, ctx);
    }
    return ctx;
  }

  dnsDescription(name?: string): string {
    const scoped = name ? this.scoped(name) : undefined;
    if (scoped) return `${scoped.servers.join(", ")} (for ${scoped.zone})`;
    return this.customDns ? this.options.dnsServers!.join(", ") : "the system resolver";
  }

  /** The zone resolver a name belongs to, if any: a zone's names go to its own servers, everything else to the default. */
  private scoped(name: string) {
    const n = name.toLowerCase().replace(/\.$/, "");
    return this.zoneResolvers.find((z) => n === z.zone || n.endsWith(`.${z.zone}`));
  }

  private resolverFor(name: string): dnsp.Resolver {
    return this.scoped(name)?.resolver ?? this.resolver;
  }

  // ---- DNS ----------------------------------------------------------------------

  private async query<T>(what: string, name: string, run: (resolver: dnsp.Resolver) => Promise<T[]>): Promise<DnsResult<T>> {
    // c-ares applies timeout x tries; the outer deadline is a backstop for anything else.
    const bound = this.timeoutMs * ((this.options.dnsTries ?? 2) + 1) + 500;
    if (this.closed) return { status: "error", error: `DNS ${what}: ${STOPPED}` };
    try {
      const records = await withTimeout(run(this.resolverFor(name)), bound, `DNS ${what}`);
      return records.length ? { status: "ok", records } : { status: "nodata" };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ECANCELLED") return { status: "error", error: `DNS ${what}: ${STOPPED}` };
      if (code === "ENODATA") return { status: "nodata" };
      if (code === "ENOTFOUND") return { status: "nxdomain" };
      if (err instanceof TimeoutError || code === "ETIMEOUT") {
        return { status: "error", error: `DNS ${what}: no answer within ${this.timeoutMs} ms from ${this.dnsDescription(name)}` };
      }
      if (code === "EREFUSED") return { status: "error", error: `DNS ${what}: refused by ${this.dnsDescription(name)}` };
      if (code === "ESERVFAIL") return { status: "error", error: `DNS ${what}: SERVFAIL from ${this.dnsDescription(name)}` };
      if (code === "ECONNREFUSED") return { status: "error", error: `DNS ${what}: ${this.dnsDescription(name)} is not answering (connection refused)` };
      return { status: "error", error: `DNS ${what}: ${code ?? (err as Error).message}` };
    }
  }

  a(name: string): Promise<DnsResult<string>> {
    return this.query(`A ${name}`, name, (r) => r.resolve4(name));
  }
  aaaa(name: string): Promise<DnsResult<string>> {
    return this.query(`AAAA ${name}`, name, (r) => r.resolve6(name));
  }
  cname(name: string): Promise<DnsResult<string>> {
    return this.query(`CNAME ${name}`, name, (r) => r.resolveCname(name));
  }
  mx(name: string): Promise<DnsResult<{ exchange: string; priority: number }>> {
    return this.query(`MX ${name}`, name, (r) => r.resolveMx(name));
  }
  caa(name: string): Promise<DnsResult<{ critical: number; issue?: string; issuewild?: string; iodef?: string }>> {
    return this.query(`CAA ${name}`, name, (r) => r.resolveCaa(name) as Promise<Array<{ critical: number; issue?: string }>>);
  }
  /** DS at the parent for a zone (Node's resolver has no DS query: asked with dns-packet, as c-ares would). */
  ds(name: string): Promise<DnsResult<{ keyTag: number; algorithm: number; digestType: number; digest: Buffer }>> {
    return this.query(
      `DS ${name}`,
      name,
      () => this.raw(name, "DS") as Promise<Array<{ keyTag: number; algorithm: number; digestType: number; digest: Buffer }>>,
    );
  }
  dnskey(name: string): Promise<DnsResult<{ flags: number; algorithm: number; key: Buffer }>> {
    return this.query(`DNSKEY ${name}`, name, () => this.raw(name, "DNSKEY") as Promise<Array<{ flags: number; algorithm: number; key: Buffer }>>);
  }

  /**
   * One question to the resolver `name` belongs to, over UDP (EDNS, 1232-byte answers) and TCP
   * when the answer is truncated; failures carry c-ares's error codes so `query` words them alike.
   */
  private async raw(name: string, type: "DS" | "DNSKEY"): Promise<unknown[]> {
    const server = this.resolverFor(name).getServers()[0] ?? dnsp.getServers()[0];
    if (!server) throw Object.assign(new Error("no DNS server configured"), { code: "ECONNREFUSED" });
    const m = /^\[(.+)\](?::(\d+))?$/.exec(server) ?? /^([^:]+)(?::(\d+))?$/.exec(server) ?? [server, server, undefined];
    const [host, port] = [m[1], Number(m[2] ?? 53)];
    const question = {
      type: "query" as const,
      id: Math.floor(Math.random() * 65535),
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ type, name, class: "IN" as const }],
      additionals: [{ type: "OPT" as const, name: ".", udpPayloadSize: 1232 }],
    };
    let answer = await this.udp(host, port, dnsPacket.encode(question as dnsPacket.Packet));
    if ((answer.flags ?? 0) & dnsPacket.TRUNCATED_RESPONSE) answer = await this.tcp(host, port, dnsPacket.streamEncode(question as dnsPacket.Packet));
    const rcode = (answer as unknown as { rcode?: string }).rcode;
    if (rcode === "NXDOMAIN") throw Object.assign(new Error(rcode), { code: "ENOTFOUND" });
    if (rcode === "REFUSED") throw Object.assign(new Error(rcode), { code: "EREFUSED" });
    if (rcode === "SERVFAIL") throw Object.assign(new Error(rcode), { code: "ESERVFAIL" });
    const records = (answer.answers ?? []).filter((a) => a.type === type).map((a) => (a as { data: unknown }).data);
    if (!records.length) throw Object.assign(new Error("no data"), { code: "ENODATA" });
    return records;
  }

  private udp(host: string, port: number, message: Buffer): Promise<dnsPacket.DecodedPacket> {
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        release();
        socket.close();
        settle();
      };
      const timer = setTimeout(() => finish(() => reject(Object.assign(new Error("timeout"), { code: "ETIMEOUT" }))), this.timeoutMs);
      const release = this.hold(() => finish(() => reject(Object.assign(new Error(STOPPED), { code: "ECANCELLED" }))));
      socket.on("error", (err) => finish(() => reject(Object.assign(err, { code: "ECONNREFUSED" }))));
      socket.on("message", (msg) => finish(() => resolve(dnsPacket.decode(msg))));
      socket.send(message, port, host);
    });
  }

  private tcp(host: string, port: number, message: Buffer): Promise<dnsPacket.DecodedPacket> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = net.connect({ host, port });
      const release = this.hold(() => {
        socket.destroy();
        reject(Object.assign(new Error(STOPPED), { code: "ECANCELLED" }));
      });
      socket.on("close", release);
      socket.setTimeout(this.timeoutMs, () => {
        socket.destroy();
        reject(Object.assign(new Error("timeout"), { code: "ETIMEOUT" }));
      });
      socket.on("error", (err) => reject(Object.assign(err, { code: "ECONNREFUSED" })));
      socket.on("data", (d) => {
        chunks.push(d);
        const all = Buffer.concat(chunks);
        if (all.length >= 2 && all.length >= 2 + all.readUInt16BE(0)) {
          socket.end();
          resolve(dnsPacket.streamDecode(all) as dnsPacket.DecodedPacket);
        }
      });
      socket.write(message);
    });
  }

  /** TXT records, each record's character-strings joined (as RFC 7208 3.3 says). */
  txt(name: string): Promise<DnsResult<string>> {
    return this.query(`TXT ${name}`, name, async (r) => (await r.resolveTxt(name)).map((chunks) => chunks.join("")));
  }

  // ---- where to connect ------------------------------------------------------------

  /** The address and port to connect to for a URL's host, after overrides. */
  async target(url: URL): Promise<ConnectTarget> {
    const https = url.protocol === "https:";
    const publicPort = url.port ? Number(url.port) : https ? 443 : 80;
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const override = this.options.connectTo?.[`${host}:${publicPort}`];
    if (override) return override;
    const port = url.port ? publicPort : https ? (this.options.httpsPort ?? 443) : (this.options.httpPort ?? 80);
    const fixed = this.options.resolve?.[`${host}:${publicPort}`] ?? this.options.resolve?.[`${host}:*`];
    if (fixed) return { host: fixed, port };
    if (net.isIP(host)) return { host, port };
    return { host: await this.address(host), port };
  }

  private async address(host: string): Promise<string> {
    if (this.customDns) {
      const a = await this.a(host);
      if (a.status === "ok") return a.records[0];
      const aaaa = await this.aaaa(host);
      if (aaaa.status === "ok") return aaaa.records[0];
      const why = a.status === "error" ? a.error : a.status === "nxdomain" ? "NXDOMAIN (the name does not exist)" : "no A or AAAA record";
      throw new Error(`${host} does not resolve: ${why}`);
    }
    try {
      const found = await withTimeout(dnsp.lookup(host), this.timeoutMs, `lookup ${host}`);
      return found.address;
    } catch (err) {
      throw new Error(`${host} does not resolve: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
    }
  }

  // ---- HTTP(S) ------------------------------------------------------------------

  /**
   * One request, no redirect following. Certificates are not enforced here: the TLS checks judge them.
   * The headers must come within the timeout; then at most maxBodyBytes of the body are read,
   * for at most the timeout again. A body that goes on (a stream, a large page) is cut there,
   * never taken for a dead host: `bodyCut` says why it was cut.
   */
  async request(
    rawUrl: string,
    opts: { method?: string; headers?: Record<string, string>; body?: string; maxBodyBytes?: number; timeoutMs?: number } = {},
  ): Promise<HttpResponse> {
    const url = new URL(rawUrl);
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const what = `${opts.method ?? "GET"} ${rawUrl}`;
    const started = Date.now();
    const target = await this.target(url);
    const isHttps = url.protocol === "https:";
    const hostname = url.hostname.replace(/^\[|\]$/g, "");
    const maxBody = opts.maxBodyBytes ?? 65536;
    let req: http.ClientRequest | undefined;
    let release = () => undefined as unknown;
    const work = new Promise<HttpResponse>((resolve, reject) => {
      const options: https.RequestOptions = {
        host: target.host,
        port: target.port,
        method: opts.method ?? "GET",
        path: `${url.pathname}${url.search}`,
        headers: {
          host: url.host,
          "user-agent": "launch-ready-verify/1",
          accept: "*/*",
          ...(opts.body !== undefined ? { "content-length": String(Buffer.byteLength(opts.body)) } : {}),
          ...opts.headers,
        },
        agent: false,
      };
      if (isHttps) {
        Object.assign(options, { rejectUnauthorized: false, secureContext: this.context(), servername: net.isIP(hostname) ? undefined : hostname });
      }
      const headerTimer = setTimeout(() => req?.destroy(new TimeoutError(what, timeoutMs)), timeoutMs);
      release = this.hold(() => req?.destroy(new Error(`${what}: ${STOPPED}`)));
      req = (isHttps ? https : http).request(options, (res) => {
        clearTimeout(headerTimer);
        const ttfbMs = Date.now() - started;
        const chunks: Buffer[] = [];
        let size = 0;
        let settled = false;
        const done = (bodyCut?: "limit" | "timeout") => {
          if (settled) return;
          settled = true;
          clearTimeout(bodyTimer);
          const now = Date.now();
          resolve({
            url: rawUrl,
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).subarray(0, maxBody).toString("utf8"),
            ms: now - started,
            ttfbMs,
            bodyMs: now - started - ttfbMs,
            bodyBytes: Math.min(size, maxBody),
            bodyCut,
            address: `${target.host}:${target.port}`,
          });
          if (bodyCut) req?.destroy();
        };
        const bodyTimer = setTimeout(() => done("timeout"), timeoutMs);
        res.on("data", (c: Buffer) => {
          chunks.push(c);
          size += c.length;
          if (size >= maxBody) done("limit");
        });
        res.on("end", () => done());
        // A connection dropped mid-body still leaves the headers and the prefix read: judge those.
        res.on("error", () => done("timeout"));
        res.on("aborted", () => done("timeout"));
      });
      req.on("error", (err) => {
        clearTimeout(headerTimer);
        reject(err);
      });
      req.on("close", () => clearTimeout(headerTimer));
      req.end(opts.body);
    });
    try {
      return await withTimeout(work, 2 * timeoutMs + 250, what, () => req?.destroy());
    } catch (err) {
      throw new Error(describeNetError(err, `${what} (${target.host}:${target.port})`, timeoutMs), { cause: err });
    } finally {
      release();
    }
  }

  // ---- TLS ----------------------------------------------------------------------

  /**
   * A TLS handshake with the name as SNI. With `probe`, the version range and ciphers are
   * forced (TLS 1.0/1.1 probes) and the raw error is returned for the caller to classify.
   */
  async handshake(
    host: string,
    port: number | undefined,
    probe?: { version: tls.SecureVersion },
  ): Promise<TlsResult | { ok: false; code?: string; message: string }> {
    const url = new URL(`https://${host}${port ? `:${port}` : ""}/`);
    let target: ConnectTarget;
    try {
      target = await this.target(url);
    } catch (err) {
      return { ok: false, code: "ERESOLVE", message: (err as Error).message };
    }
    let socket: tls.TLSSocket | undefined;
    const release = this.hold(() => socket?.destroy(new Error(`TLS to ${host}: ${STOPPED}`)));
    const work = new Promise<TlsResult>((resolve, reject) => {
      const options: tls.ConnectionOptions = {
        host: target.host,
        port: target.port,
        servername: net.isIP(host) ? undefined : host,
        rejectUnauthorized: false,
        // A probe forces one protocol version and SECLEVEL=0 so that this machine's OpenSSL can offer TLS 1.0/1.1 at all.
        secureContext: this.context(probe?.version),
        timeout: this.timeoutMs,
      };
      socket = tls.connect(options, () => {
        const s = socket!;
        const result: TlsResult = {
          ok: true,
          authorized: s.authorized,
          authorizationError: s.authorizationError ? String(s.authorizationError) : undefined,
          protocol: s.getProtocol(),
          cert: s.getPeerCertificate(true),
          address: `${target.host}:${target.port}`,
        };
        s.destroy();
        resolve(result);
      });
      socket.on("timeout", () => socket?.destroy(new TimeoutError(`TLS handshake with ${host}`, this.timeoutMs)));
      socket.on("error", reject);
    });
    try {
      return await withTimeout(work, this.timeoutMs + 250, `TLS handshake with ${host}`, () => socket?.destroy());
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return {
        ok: false,
        code: e instanceof TimeoutError ? "ETIMEDOUT" : e.code,
        message: describeNetError(err, `TLS to ${host} (${target.host}:${target.port})`, this.timeoutMs),
      };
    } finally {
      release();
    }
  }
}

export function describeNetError(err: unknown, what: string, timeoutMs: number): string {
  const e = err as NodeJS.ErrnoException;
  if (e instanceof TimeoutError || e.code === "ETIMEDOUT") return `${what}: no response within ${timeoutMs} ms (host down or filtered)`;
  switch (e.code) {
    case "ECONNREFUSED":
      return `${what}: connection refused (nothing listening)`;
    case "ECONNRESET":
      return `${what}: connection reset by the server`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${what}: host unreachable`;
    default:
      return `${what}: ${e.code ? `${e.code} ` : ""}${e.message}`;
  }
}

/**
 * Local HTTP and HTTPS servers for tests. One handler decides by Host what to answer,
 * so many "sites" share a port; the HTTPS server picks the certificate by SNI. Also: a
 * server that accepts TLS 1.0 (legacy), one that accepts connections and never answers
 * (hang), and a port with nothing listening (dead).
 */
import * as http from "http";
import * as https from "https";
import * as net from "net";
import * as tls from "tls";

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
  /**
   * After the headers and `body`: "endless" keeps writing chunks until the client goes (a
   * streaming chat route, a huge page); "stall" sends nothing more and never ends the body.
   */
  stream?: "endless" | "stall";
}

export interface Incoming {
  scheme: "http" | "https";
  host: string;
  method: string;
  /** Path and query. */
  path: string;
  headers: http.IncomingHttpHeaders;
}

export type Router = (req: Incoming) => Reply;

export interface KeyPair {
  key: string;
  cert: string;
}

export interface Closable {
  port: number;
  close(): Promise<void>;
}

function serve(scheme: "http" | "https", router: Router) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const host = String(req.headers.host ?? "")
      .replace(/:\d+$/, "")
      .toLowerCase();
    const reply = router({ scheme, host, method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers });
    const send = () => {
      res.writeHead(reply.status, { "content-type": "text/plain", ...reply.headers });
      if (!reply.stream) return void res.end(reply.body ?? "");
      res.write(reply.body ?? "");
      if (reply.stream === "stall") return;
      const chunk = `data: ${"x".repeat(1000)}\n\n`;
      const timer = setInterval(() => res.write(chunk), 5);
      res.on("close", () => clearInterval(timer));
    };
    req.resume();
    if (reply.delayMs) setTimeout(send, reply.delayMs);
    else send();
  };
}

function track(server: net.Server): () => Promise<void> {
  const sockets = new Set<net.Socket>();
  server.on("connection", (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("secureConnection", () => undefined);
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

export async function startHttp(router: Router): Promise<Closable> {
  const server = http.createServer(serve("http", router));
  const close = track(server);
  return { port: await listen(server), close };
}

export async function startHttps(router: Router, certs: { fallback: KeyPair; byName: Record<string, KeyPair> }, legacy = false): Promise<Closable> {
  const contexts = new Map(Object.entries(certs.byName).map(([name, kp]) => [name, tls.createSecureContext(kp)]));
  const fallback = tls.createSecureContext(certs.fallback);
  const options: https.ServerOptions = {
    ...certs.fallback,
    SNICallback: (name, cb) => cb(null, contexts.get(name.toLowerCase()) ?? fallback),
  };
  // A server that still accepts TLS 1.0/1.1 (what a badly configured origin does).
  if (legacy) Object.assign(options, { minVersion: "TLSv1", ciphers: "DEFAULT@SECLEVEL=0" });
  else Object.assign(options, { minVersion: "TLSv1.2" });
  const server = https.createServer(options, serve("https", router));
  server.on("tlsClientError", () => undefined);
  const close = track(server);
  return { port: await listen(server), close };
}

/** Accepts TCP connections and never says a word. */
export async function startHang(): Promise<Closable> {
  // Reads (and ignores) what comes, so that a client hanging up is seen and the socket closes.
  const server = net.createServer((s) => s.resume());
  const close = track(server);
  return { port: await listen(server), close };
}

/** A loopback port with nothing listening on it. */
export async function deadPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

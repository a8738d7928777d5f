/**
 * nginx (Debian's, on loopback, stopped by pid) playing hosts behind Cloudflare in front of Vercel,
 * each with one planted fault, and a "direct origin" that answers like a deployment reached
 * around Cloudflare (its *.vercel.app URL, or Vercel's address with the app's Host header).
 * The tests that need it skip when nginx is not installed (.ci/run installs it).
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import type { Pki } from "./pki";
import { nginxPreamble, NGINX } from "./real-servers";

export const EDGE_HOSTS = {
  clean: "clean.edge.test",
  acmeRedirected: "acme.edge.test",
  acmeChallenged: "challenged.edge.test",
  rewritten: "rewritten.edge.test",
  cached: "cached.edge.test",
} as const;

export interface EdgeNginx {
  httpsPort: number;
  httpPort: number;
  /** Answers the app's routes to anyone (no origin lock). */
  openOriginPort: number;
  /** Refuses every production request without the header (the origin lock), as Vercel's firewall would: 403. */
  lockedOriginPort: number;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

export async function startEdgeNginx(pki: Pki): Promise<EdgeNginx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-edge-nginx-"));
  const [httpsPort, httpPort, openOriginPort, lockedOriginPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const leaf = pki.issue("edge.test", ["*.edge.test", "*.vercel.app"]);
  fs.writeFileSync(path.join(dir, "cert.pem"), leaf.fullchain);
  fs.writeFileSync(path.join(dir, "key.pem"), leaf.key);
  const tls = `ssl_certificate ${dir}/cert.pem; ssl_certificate_key ${dir}/key.pem; ssl_protocols TLSv1.2 TLSv1.3;`;
  const page = (body: string, extra = "") => `default_type text/html; ${extra} return 200 '${body}';`;
  const { clean, acmeRedirected, acmeChallenged, rewritten, cached } = EDGE_HOSTS;
  const conf = `${nginxPreamble(dir)}
  # Plain HTTP: the challenge path reaches the origin (a 404 for an unknown token); everything else goes to https.
  server {
    listen 127.0.0.1:${httpPort} default_server;
    server_name ${clean} ${rewritten} ${cached};
    location /.well-known/acme-challenge/ { return 404; }
    location / { return 301 https://$host$request_uri; }
  }
  # Fault: the challenge path is redirected to https too.
  server { listen 127.0.0.1:${httpPort}; server_name ${acmeRedirected}; return 301 https://$host$request_uri; }
  # Fault: a challenge page (Cloudflare's marker header) on the challenge path.
  server {
    listen 127.0.0.1:${httpPort};
    server_name ${acmeChallenged};
    location /.well-known/acme-challenge/ { add_header cf-mitigated challenge always; ${page("<html>Just a moment...</html>")} }
    location / { return 301 https://$host$request_uri; }
  }
  server {
    listen 127.0.0.1:${httpsPort} ssl default_server;
    server_name ${clean} ${acmeRedirected} ${acmeChallenged};
    ${tls}
    location /.well-known/vercel/ { add_header cf-cache-status DYNAMIC always; return 404; }
    location / { add_header cf-cache-status DYNAMIC always; ${page("<html><body>clean</body></html>")} }
  }
  # Fault: Email Obfuscation rewrote the page.
  server {
    listen 127.0.0.1:${httpsPort} ssl;
    server_name ${rewritten};
    ${tls}
    location / { ${page('<html><body><a href="/cdn-cgi/l/email-protection#a5c0ddc4">Contact</a><script data-cfasync="false" src="/cdn-cgi/scripts/5c5dd728/cloudflare-static/email-decode.min.js"></script></body></html>')} }
  }
  # Fault: pages and /.well-known/vercel/ served from the edge cache.
  server {
    listen 127.0.0.1:${httpsPort} ssl;
    server_name ${cached};
    ${tls}
    location /.well-known/vercel/ { add_header cf-cache-status HIT always; default_type application/json; return 200 '{}'; }
    location / { add_header cf-cache-status HIT always; ${page("<html><body>cached</body></html>")} }
  }
  # The deployment reached around Cloudflare: it serves the chat route to anyone.
  server { listen 127.0.0.1:${openOriginPort} ssl default_server; server_name _; ${tls} location / { default_type application/json; return 200 '{"reply":"hi"}'; } }
  # The same with the origin lock: Vercel's firewall denies the request (403).
  server { listen 127.0.0.1:${lockedOriginPort} ssl default_server; server_name _; ${tls} location / { return 403; } }
}
`;
  fs.writeFileSync(path.join(dir, "nginx.conf"), conf);
  execFileSync(NGINX, ["-t", "-p", dir, "-c", path.join(dir, "nginx.conf")], { stdio: "pipe" });
  const proc: ChildProcess = spawn(NGINX, ["-p", dir, "-c", path.join(dir, "nginx.conf")], { stdio: ["ignore", "ignore", "pipe"] });
  const close = async () => {
    if (proc.exitCode === null) {
      proc.kill("SIGTERM");
      await new Promise((resolve) => proc.once("exit", resolve));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (const port of [httpsPort, httpPort, openOriginPort, lockedOriginPort]) {
    let up = false;
    for (let i = 0; i < 100 && !up; i++) {
      up = await new Promise<boolean>((resolve) => {
        const s = net.connect(port, "127.0.0.1", () => {
          s.destroy();
          resolve(true);
        });
        s.on("error", () => resolve(false));
      });
      if (!up) await new Promise((r) => setTimeout(r, 50));
    }
    if (!up) {
      await close();
      throw new Error(`nginx did not start on port ${port}`);
    }
  }
  return { httpsPort, httpPort, openOriginPort, lockedOriginPort, close };
}

/**
 * The lab's real-server mode: Knot DNS (authoritative for good.test, from the lab's zone)
 * and nginx (HTTPS and HTTP for good.test and www.good.test), from Debian's packages, on
 * loopback only, in a temporary directory, stopped by pid. `.ci/run` installs them when
 * missing; without them the tests that need them skip, saying so.
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import type { Pki } from "./pki";
import type { Zone, ZoneRecord } from "./dns-server";

export const KNOTD = "/usr/sbin/knotd";
export const NGINX = "/usr/sbin/nginx";

export function haveRealServers(): boolean {
  return fs.existsSync(KNOTD) && fs.existsSync(NGINX);
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** A zone file for `apex` from the lab zone's names under it (with SOA and NS, as Knot requires). */
export function zoneFile(apex: string, zone: Zone): string {
  const lines = [`$ORIGIN ${apex}.`, "$TTL 300", `@ SOA ns.${apex}. hostmaster.${apex}. 1 3600 600 86400 300`, `@ NS ns.${apex}.`, "ns A 127.0.0.1"];
  const quote = (s: string) => `"${s.replace(/"/g, '\\"')}"`;
  for (const [name, records] of Object.entries(zone)) {
    if (name !== apex && !name.endsWith(`.${apex}`)) continue;
    const owner = name === apex ? "@" : name.slice(0, -(apex.length + 1));
    for (const r of records as ZoneRecord[]) {
      if (r.type === "A" || r.type === "AAAA") lines.push(`${owner} ${r.type} ${r.data}`);
      else if (r.type === "CNAME") lines.push(`${owner} CNAME ${r.data}.`);
      else if (r.type === "MX") lines.push(`${owner} MX ${r.data.preference} ${r.data.exchange}.`);
      else if (r.type === "CAA") lines.push(`${owner} CAA ${r.data.flags} ${r.data.tag} ${quote(r.data.value)}`);
      else if (r.type === "TXT") {
        const text = Array.isArray(r.data) ? r.data.join("") : r.data;
        const chunks = text.match(/.{1,255}/g) ?? [""];
        lines.push(`${owner} TXT ${chunks.map(quote).join(" ")}`);
      }
    }
  }
  return `${lines.join("\n")}\n`;
}

/** An nginx.conf's opening for a server run by a test as its own user: everything it writes stays in `dir`; the caller's server blocks and "}" follow. */
export function nginxPreamble(dir: string): string {
  return `daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events {}
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;`;
}

export interface RealServers {
  dnsAddress: string;
  httpsPort: number;
  httpPort: number;
  close(): Promise<void>;
}

/** Starts Knot for `apex` and nginx for the apex and its www twin; both stopped by pid on close. */
export async function startRealServers(apex: string, zone: Zone, pki: Pki): Promise<RealServers> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-real-lab-"));
  const [dnsPort, httpsPort, httpPort] = [await freePort(), await freePort(), await freePort()];
  fs.writeFileSync(path.join(dir, `${apex}.zone`), zoneFile(apex, zone));
  fs.writeFileSync(
    path.join(dir, "knot.conf"),
    [
      "server:",
      `    listen: 127.0.0.1@${dnsPort}`,
      `    rundir: ${dir}`,
      "database:",
      `    storage: ${dir}`,
      "log:",
      "  - target: stderr",
      "    any: warning",
      "zone:",
      `  - domain: ${apex}`,
      `    file: ${path.join(dir, `${apex}.zone`)}`,
      "",
    ].join("\n"),
  );
  const leaf = pki.issue(apex, [apex, `*.${apex}`]);
  fs.writeFileSync(path.join(dir, "cert.pem"), leaf.fullchain);
  fs.writeFileSync(path.join(dir, "key.pem"), leaf.key);
  const headers = [
    'add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;',
    'add_header X-Content-Type-Options "nosniff" always;',
    'add_header Referrer-Policy "strict-origin-when-cross-origin" always;',
    "add_header Content-Security-Policy \"default-src 'self'; frame-ancestors 'none'\" always;",
  ].join("\n      ");
  fs.writeFileSync(
    path.join(dir, "nginx.conf"),
    `${nginxPreamble(dir)}
  server { listen 127.0.0.1:${httpPort}; server_name ${apex} www.${apex}; return 301 https://$host$request_uri; }
  server {
    listen 127.0.0.1:${httpsPort} ssl;
    server_name www.${apex};
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    ${headers.replace(/\n {6}/g, "\n    ")}
    return 301 https://${apex}$request_uri;
  }
  server {
    listen 127.0.0.1:${httpsPort} ssl default_server;
    server_name ${apex};
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {
      ${headers}
      default_type text/html;
      return 200 "<html>good</html>";
    }
  }
}
`,
  );
  execFileSync(NGINX, ["-t", "-p", dir, "-c", path.join(dir, "nginx.conf")], { stdio: "pipe" });
  const procs: ChildProcess[] = [
    spawn(KNOTD, ["-c", path.join(dir, "knot.conf")], { stdio: ["ignore", "ignore", "pipe"] }),
    spawn(NGINX, ["-p", dir, "-c", path.join(dir, "nginx.conf")], { stdio: ["ignore", "ignore", "pipe"] }),
  ];
  const close = async () => {
    for (const p of procs) if (p.exitCode === null) p.kill("SIGTERM");
    await Promise.all(procs.map((p) => (p.exitCode === null ? new Promise((resolve) => p.once("exit", resolve)) : undefined)));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // Ready when both listen.
  const listening = async (port: number, udp: boolean) => {
    for (let i = 0; i < 100; i++) {
      if (udp) {
        const out = execFileSync("ss", ["-lun"], { encoding: "utf8" });
        if (out.includes(`127.0.0.1:${port}`)) return;
      } else {
        const ok = await new Promise<boolean>((resolve) => {
          const s = net.connect(port, "127.0.0.1", () => {
            s.destroy();
            resolve(true);
          });
          s.on("error", () => resolve(false));
        });
        if (ok) return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await close();
    throw new Error(`a real server did not start on port ${port}`);
  };
  await listening(dnsPort, true);
  await listening(httpsPort, false);
  return { dnsAddress: `127.0.0.1:${dnsPort}`, httpsPort, httpPort, close };
}

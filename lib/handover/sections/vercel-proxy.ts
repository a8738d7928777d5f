/** Cloudflare in front of Vercel, in plain words: what the proxy changes, the origin lock, and what to do when Vercel complains. */
import type { DomainMap } from "../../domain-map";
import { originLockRotateCommand } from "../../edge/origin-lock";
import { blocks, code, heading, shell } from "../markdown";

export function vercelProxySection(map: DomainMap): string | undefined {
  const lock = map.edge.originLock;
  const vercelHosts = map.hosts.filter((h) => h.proxied && h.target === "vercel" && h.role !== "redirect").map((h) => h.hostname);
  if (!lock || vercelHosts.length === 0) return undefined;
  return blocks(
    heading(2, "Cloudflare in front of Vercel"),
    `Visitors of ${vercelHosts.map(code).join(", ")} reach Cloudflare first: the firewall, rate limits and cache rules apply there, then Cloudflare passes the request to Vercel. ` +
      "Cloudflare does not rewrite your pages (Email Obfuscation, Rocket Loader and Automatic HTTPS Rewrites are off, since each changes the page your app rendered and can break it), " +
      "and it leaves `/.well-known/acme-challenge/` and `/.well-known/vercel/` to Vercel: never redirected, never cached.",
    lock.on
      ? blocks(
          `Origin lock: Cloudflare adds a secret ${code(lock.header ?? "")} header, and Vercel refuses production requests without it, so your ${code("*.vercel.app")} URLs cannot be used to get around Cloudflare. Preview deployments work as before. Rotate the secret (a few seconds of refused requests while both sides update):`,
          shell([originLockRotateCommand(map.stack)]),
        )
      : lock.bypass
        ? `Origin lock is off (${code("edge.originLock")} false): your production deployment also answers on its ${code("*.vercel.app")} URLs, where none of Cloudflare's protections apply. Remove the setting to turn the lock on.`
        : undefined,
    '**If Vercel shows "Invalid Configuration" or a certificate does not renew**: ' +
      `run ${code(`npm run verify -- --stack ${map.stack}`)}: its row ${code("vercel.acme-path")} fails when ${code("http://<host>/.well-known/acme-challenge/")} is redirected or challenged, which stops Vercel from issuing or renewing the certificate. ` +
      "Check that Cloudflare's SSL/TLS mode is Full (strict): Flexible makes Vercel redirect every request back to HTTPS, and the browser loops. " +
      "If it still does not clear, set the host's record to DNS only in Cloudflare until Vercel shows the certificate as issued, then turn the proxy back on (`pulumi up` restores it).",
  );
}

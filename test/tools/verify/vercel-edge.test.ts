/**
 * verify's checks of Cloudflare in front of Vercel, against real nginx on loopback: an ACME path
 * that is redirected or challenged, a page with Cloudflare's injected decoder script, an HTML
 * response and /.well-known/vercel/ marked as cache hits, and a direct origin that answers the
 * chat route. Each is found with its fix; the clean host, and the lab's good domain, pass.
 */
import { strict as assert } from "assert";
import type { DomainMap } from "../../../lib/domain-map";
import { runVerification } from "../../../tools/verify/runner";
import { parseCli } from "../../../tools/verify/cli";
import type { CheckResult, Report, VerifyOptions } from "../../../tools/verify/types";
import { loadFixtureMap, startLab, type Lab } from "./helpers/lab";
import { hasOpenssl } from "./helpers/pki";
import { haveRealServers } from "./helpers/real-servers";
import { EDGE_HOSTS, startEdgeNginx, type EdgeNginx } from "./helpers/edge-nginx";

const EDGE_IDS = ["vercel.acme-path", "vercel.well-known-cache", "html.rewritten", "cache.html-hit", "vercel.origin-bypass"];

/** A map of the edge hosts, each a proxied Vercel host, with the chat route rate-limited and the origin lock as given. */
function edgeMap(originLock: { on: boolean } | undefined, hosts: string[] = Object.values(EDGE_HOSTS)): DomainMap {
  const base = loadFixtureMap("good");
  return {
    ...base,
    canonicalHost: hosts[0],
    canonicalOrigin: `https://${hosts[0]}`,
    hosts: hosts.map((hostname, i) => ({ hostname, role: i === 0 ? "canonical" : "subdomain", target: "vercel", proxied: true })),
    monitors: [],
    apiCorsOrigins: [],
    edge: {
      ...base.edge,
      rateLimits: [{ name: "chat", paths: ["/api/chat"], requests: 20, periodSeconds: 60, action: "block" }],
      ...(originLock ? { originLock: { ...originLock, hosts } } : {}),
    },
  };
}

const rows = (r: Report, id: string, target?: string): CheckResult[] => r.checks.filter((c) => c.id === id && (!target || c.target.includes(target)));

describe("verify: Cloudflare in front of Vercel, against nginx", function () {
  this.timeout(60_000);
  let lab: Lab;
  let nginx: EdgeNginx;
  let options: VerifyOptions;
  before(async function () {
    if (!haveRealServers() || !hasOpenssl()) {
      console.log("      (skipped: nginx is not installed; .ci/run installs it)");
      this.skip();
    }
    lab = await startLab();
    nginx = await startEdgeNginx(lab.pki);
    options = {
      ...lab.options,
      resolve: Object.fromEntries(Object.values(EDGE_HOSTS).map((h) => [`${h}:*`, "127.0.0.1"])),
      httpsPort: nginx.httpsPort,
      httpPort: nginx.httpPort,
      connectTo: {
        // Vercel's address and the production *.vercel.app host: the deployment reached around Cloudflare.
        "76.76.21.21:443": { host: "127.0.0.1", port: nginx.openOriginPort },
        "edge-app.vercel.app:443": { host: "127.0.0.1", port: nginx.openOriginPort },
      },
      vercelHosts: ["edge-app.vercel.app"],
      only: ["http"],
    };
  });
  after(async () => {
    await nginx?.close();
    await lab?.close();
  });

  it("finds each planted fault with its fix, and passes the clean host", async () => {
    const r = await runVerification(edgeMap({ on: false }), options);
    const status = (id: string, host: string) => rows(r, id, host).map((c) => c.status);

    const redirected = rows(r, "vercel.acme-path", EDGE_HOSTS.acmeRedirected)[0];
    assert.equal(redirected.status, "fail");
    assert.match(redirected.detail, /answered 301 to https:\/\/acme\.edge\.test\/\.well-known\/acme-challenge\/.*"Invalid Configuration"/);
    assert.match(redirected.fix!, /reach Vercel without the HTTPS redirect/);
    const challenged = rows(r, "vercel.acme-path", EDGE_HOSTS.acmeChallenged)[0];
    assert.equal(challenged.status, "fail");
    assert.match(challenged.detail, /challenge page \(cf-mitigated: challenge\)/);
    assert.match(challenged.fix!, /skip the WAF and bot challenges for \/\.well-known\/acme-challenge\//);

    const rewritten = rows(r, "html.rewritten", EDGE_HOSTS.rewritten)[0];
    assert.equal(rewritten.status, "fail");
    assert.match(rewritten.detail, /Email Address Obfuscation's script \(cloudflare-static\/email-decode\.min\.js\)/);
    assert.match(rewritten.fix!, /set the zone setting email_obfuscation to "off"/);

    const htmlHit = rows(r, "cache.html-hit", EDGE_HOSTS.cached)[0];
    assert.equal(htmlHit.status, "fail");
    assert.match(htmlHit.detail, /a text\/html response came from Cloudflare's cache \(cf-cache-status: HIT\)/);
    assert.match(htmlHit.fix!, /cache only static assets at the edge/);
    assert.deepEqual(status("vercel.well-known-cache", EDGE_HOSTS.cached), ["fail"]);

    const bypass = rows(r, "vercel.origin-bypass");
    assert.deepEqual(bypass.map((c) => [c.target, c.status]).sort(), [
      ["https://76.76.21.21 (Host: clean.edge.test)", "fail"],
      ["https://edge-app.vercel.app", "fail"],
    ]);
    for (const c of bypass) {
      assert.match(c.detail, /served \/api\/chat \(200\) without passing Cloudflare/);
      assert.match(c.fix!, /remove edge\.originLock: false/);
    }

    for (const id of ["vercel.acme-path", "vercel.well-known-cache", "html.rewritten", "cache.html-hit"]) {
      assert.deepEqual(status(id, EDGE_HOSTS.clean), ["pass"], `${id} on the clean host`);
    }
    assert.deepEqual(status("html.rewritten", EDGE_HOSTS.cached), ["pass"], "a cached page without injected scripts is not rewritten");
  });

  it("with the origin lock in place, the walk-around is refused (403) and passes", async () => {
    const locked = { ...options.connectTo! };
    locked["76.76.21.21:443"] = { host: "127.0.0.1", port: nginx.lockedOriginPort };
    locked["edge-app.vercel.app:443"] = { host: "127.0.0.1", port: nginx.lockedOriginPort };
    const r = await runVerification(edgeMap({ on: true }, [EDGE_HOSTS.clean]), { ...options, connectTo: locked });
    assert.deepEqual(
      r.checks
        .filter((c) => EDGE_IDS.includes(c.id))
        .map((c) => [c.id, c.status])
        .sort(),
      EDGE_IDS.flatMap((id) =>
        id === "vercel.origin-bypass"
          ? [
              [id, "pass"],
              [id, "pass"],
            ]
          : [[id, "pass"]],
      ).sort(),
    );
  });

  it("the lab's good domain, whose API host is proxied to Vercel, stays clean", async () => {
    const r = await runVerification(loadFixtureMap("good"), { ...lab.options, only: ["http"] });
    const edge = r.checks.filter((c) => EDGE_IDS.includes(c.id));
    assert.deepEqual(
      edge.map((c) => [c.id, c.status]),
      [
        ["vercel.acme-path", "pass"],
        ["vercel.well-known-cache", "pass"],
        ["html.rewritten", "pass"],
        ["cache.html-hit", "pass"],
      ],
      "a map written before the origin lock says nothing of it: no walk-around row without --vercel-host",
    );
    assert.equal(r.checks.filter((c) => c.status === "fail").length, 0);
  });

  it("--vercel-host takes the production deployment's vercel.app host, and nothing else", () => {
    assert.deepEqual(parseCli(["--map", "m.json", "--vercel-host", "MyBot.vercel.app"]).options.vercelHosts, ["mybot.vercel.app"]);
    assert.throws(() => parseCli(["--map", "m.json", "--vercel-host", "mybot.ai"]), /--vercel-host "mybot\.ai" is not a vercel\.app host/);
  });
});

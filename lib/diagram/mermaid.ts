/**
 * The domain map as a Mermaid flowchart (it renders on GitHub and in most Markdown viewers):
 * each host and what it points to, the redirects, where mail is delivered (MX) and who sends
 * as which domain, and which hosts the uptime monitors check (the handover's table says which monitor checks which URL). Pure: the handover and the launch
 * report call it with a DomainMap.
 *
 * Node ids are generated (n0, n1, ...), never taken from names, so no hostname can break the
 * syntax; labels are quoted strings with `"` written as Mermaid's `#quot;` entity, and the
 * characters Mermaid reads as markup inside a label (`<`, `>`, `#`, `;`, backticks) as entities too.
 */
import type { DomainMap, HostEntry } from "../domain-map";

/** A label safe inside `["..."]`: entity codes for the characters that end or mark up a label. */
export function mermaidLabel(text: string): string {
  const entities: Record<string, string> = { '"': "#quot;", "#": "#35;", "<": "#lt;", ">": "#gt;", ";": "#59;", "`": "#96;" };
  return text.replace(/\r?\n/g, " ").replace(/["#<>;`]/g, (c) => entities[c]);
}

function targetLabel(target: HostEntry["target"]): string {
  if (target === "vercel") return "Vercel";
  if ("cname" in target) return target.cname;
  return "ipv4" in target ? target.ipv4 : target.ipv6;
}

/** Hostname of a monitor URL; undefined when it is not a URL. */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

export function domainMapMermaid(map: DomainMap): string {
  const lines: string[] = ["flowchart LR"];
  const ids = new Map<string, string>();
  /** A node for an edge: its id with label and shape the first time (Mermaid declares a node where it first appears), the bare id after. */
  const node = (key: string, label: string, shape: "box" | "round" | "stadium" = "box"): string => {
    const known = ids.get(key);
    if (known) return known;
    const id = `n${ids.size}`;
    ids.set(key, id);
    const [open, close] = shape === "round" ? ["(", ")"] : shape === "stadium" ? ["([", "])"] : ["[", "]"];
    return `${id}${open}"${mermaidLabel(label)}"${close}`;
  };
  const host = (hostname: string) => node(`host:${hostname}`, hostname, "round");
  const edge = (from: string, to: string, label: string, dotted = false) =>
    lines.push(`  ${from} ${dotted ? "-." : "--"} "${mermaidLabel(label)}" ${dotted ? ".->" : "-->"} ${to}`);

  for (const h of map.hosts.filter((x) => x.role === "redirect")) edge(host(h.hostname), host(map.canonicalHost), "301 redirect");
  // Hosts with the same target and path share one edge line (Mermaid's `a & b --> c`).
  const served = new Map<string, HostEntry[]>();
  for (const h of map.hosts.filter((x) => x.role !== "redirect")) {
    const key = JSON.stringify([targetLabel(h.target), h.proxied]);
    served.set(key, [...(served.get(key) ?? []), h]);
  }
  for (const hosts of served.values())
    edge(
      hosts.map((h) => host(h.hostname)).join(" & "),
      node(`target:${targetLabel(hosts[0].target)}`, targetLabel(hosts[0].target)),
      hosts[0].proxied ? "via Cloudflare proxy" : "DNS only",
    );
  const mailFor = (domain: string) => node(`mail:${domain}`, `email: ${domain}`, "stadium");
  for (const r of map.records.filter((x) => x.type === "MX" && x.content !== "."))
    edge(mailFor(r.name), node(`mx:${r.content}`, r.content), r.priority === undefined ? "MX" : `MX ${r.priority}`);
  for (const s of map.email.senders) edge(node(`sender:${s.name}`, `${s.name} (${s.kind})`), mailFor(s.sendingDomain), "sends as", true);
  const byHost = new Map<string, string[]>();
  for (const m of map.monitors) {
    const hostname = hostOf(m.url);
    if (hostname) byHost.set(hostname, [...(byHost.get(hostname) ?? []), m.name]);
  }
  if (byHost.size)
    edge(
      node("monitors", `${map.monitors.length} uptime monitor${map.monitors.length === 1 ? "" : "s"}`, "stadium"),
      [...byHost.keys()].map(host).join(" & "),
      "checks",
      true,
    );
  return lines.join("\n");
}

/** The diagram as a fenced block for Markdown. */
export function mermaidBlock(diagram: string): string {
  return ["```mermaid", diagram, "```"].join("\n");
}

/**
 * A tiny authoritative-and-recursive-looking DNS server for tests: UDP and TCP on the
 * same loopback port, answering from an in-memory zone with dns-packet. It chases
 * CNAMEs inside the zone (as a recursive resolver's answer would include the chain),
 * answers NXDOMAIN for unknown names and NODATA for known names without the type.
 * Special entries simulate failures: { type: "SERVFAIL" }, { type: "REFUSED" } and { type: "DROP" } (no answer).
 */
import * as dgram from "dgram";
import * as net from "net";
import * as dnsPacket from "dns-packet";

export type ZoneRecord =
  | { type: "A" | "AAAA" | "CNAME"; data: string; ttl?: number }
  | { type: "TXT"; data: string | string[]; ttl?: number }
  | { type: "MX"; data: { preference: number; exchange: string }; ttl?: number }
  | { type: "CAA"; data: { flags: number; tag: "issue" | "issuewild" | "iodef"; value: string }; ttl?: number }
  | { type: "DNSKEY"; data: { flags: number; algorithm: number; key: Buffer }; ttl?: number }
  | { type: "DS"; data: { keyTag: number; algorithm: number; digestType: number; digest: Buffer }; ttl?: number }
  | { type: "SERVFAIL" | "REFUSED" | "DROP" };

export type Zone = Record<string, ZoneRecord[]>;

export interface DnsServer {
  /** "127.0.0.1:PORT", for Resolver.setServers / --dns-server. */
  address: string;
  port: number;
  queries: Array<{ name: string; type: string }>;
  close(): Promise<void>;
}

const NOERROR = 0;
const SERVFAIL = 2;
const NXDOMAIN = 3;
const REFUSED = 5;

/** TXT character-strings are at most 255 bytes: split long values like DKIM keys. */
function txtChunks(data: string | string[]): Buffer[] {
  const parts = Array.isArray(data) ? data : [data];
  const out: Buffer[] = [];
  for (const p of parts) {
    const buf = Buffer.from(p, "utf8");
    if (buf.length === 0) out.push(buf);
    for (let i = 0; i < buf.length; i += 255) out.push(buf.subarray(i, i + 255));
  }
  return out;
}

function answer(zone: Zone, query: dnsPacket.Packet): { packet: dnsPacket.Packet; drop: boolean } {
  const q = query.questions![0];
  const answers: dnsPacket.Answer[] = [];
  let rcode = NOERROR;
  let drop = false;
  let name = q.name.toLowerCase().replace(/\.$/, "");
  for (let depth = 0; depth < 8; depth++) {
    const records = zone[name];
    if (!records) {
      const exists = Object.keys(zone).some((k) => k.endsWith(`.${name}`));
      if (!exists && depth === 0) rcode = NXDOMAIN;
      break;
    }
    if (records.some((r) => r.type === "DROP")) drop = true;
    if (records.some((r) => r.type === "SERVFAIL")) {
      rcode = SERVFAIL;
      break;
    }
    if (records.some((r) => r.type === "REFUSED")) {
      rcode = REFUSED;
      break;
    }
    const matching = records.filter((r) => r.type === q.type);
    const cname = records.find((r) => r.type === "CNAME") as { data: string; ttl?: number } | undefined;
    if (matching.length || !cname || q.type === "CNAME") {
      for (const r of matching) {
        const rec = r as Exclude<ZoneRecord, { type: "SERVFAIL" | "REFUSED" | "DROP" }>;
        const data = rec.type === "TXT" ? txtChunks(rec.data) : rec.data;
        answers.push({ type: rec.type, name, ttl: rec.ttl ?? 300, class: "IN", data } as dnsPacket.Answer);
      }
      break;
    }
    answers.push({ type: "CNAME", name, ttl: cname.ttl ?? 300, class: "IN", data: cname.data });
    name = cname.data.toLowerCase().replace(/\.$/, "");
  }
  const packet: dnsPacket.Packet = {
    id: query.id,
    type: "response",
    flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | rcode,
    questions: [q],
    answers,
  };
  return { packet, drop };
}

export async function startDnsServer(zone: Zone): Promise<DnsServer> {
  const queries: DnsServer["queries"] = [];
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => udp.bind(0, "127.0.0.1", resolve));
    const port = udp.address().port;
    const tcp = net.createServer();
    const bound = await new Promise<boolean>((resolve) => {
      tcp.once("error", () => resolve(false));
      tcp.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (!bound) {
      udp.close();
      continue;
    }
    udp.on("message", (msg, rinfo) => {
      let query: dnsPacket.Packet;
      try {
        query = dnsPacket.decode(msg);
      } catch {
        return;
      }
      if (!query.questions?.length) return;
      queries.push({ name: query.questions[0].name, type: query.questions[0].type });
      const { packet, drop } = answer(zone, query);
      if (drop) return;
      const opt = (query.additionals ?? []).find((a) => a.type === "OPT") as { udpPayloadSize?: number } | undefined;
      const limit = Math.max(512, opt?.udpPayloadSize ?? 512);
      let buf = dnsPacket.encode(packet);
      if (buf.length > limit) buf = dnsPacket.encode({ ...packet, answers: [], flags: (packet.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE });
      udp.send(buf, rinfo.port, rinfo.address);
    });
    const sockets = new Set<net.Socket>();
    tcp.on("connection", (sock) => {
      sockets.add(sock);
      sock.on("close", () => sockets.delete(sock));
      let pending = Buffer.alloc(0);
      sock.on("data", (chunk) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 2) {
          const len = pending.readUInt16BE(0);
          if (pending.length < 2 + len) break;
          const msg = pending.subarray(2, 2 + len);
          pending = pending.subarray(2 + len);
          let query: dnsPacket.Packet;
          try {
            query = dnsPacket.decode(msg);
          } catch {
            sock.destroy();
            return;
          }
          if (!query.questions?.length) continue;
          queries.push({ name: query.questions[0].name, type: query.questions[0].type });
          const { packet, drop } = answer(zone, query);
          if (!drop) sock.write(dnsPacket.streamEncode(packet));
        }
      });
      sock.on("error", () => undefined);
    });
    return {
      address: `127.0.0.1:${port}`,
      port,
      queries,
      close: async () => {
        for (const s of sockets) s.destroy();
        await Promise.all([new Promise<void>((r) => udp.close(() => r())), new Promise<void>((r) => tcp.close(() => r()))]);
      },
    };
  }
  throw new Error("could not bind UDP and TCP on the same loopback port");
}

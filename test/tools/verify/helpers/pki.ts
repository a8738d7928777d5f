/**
 * Throwaway PKI for tests, made with the openssl CLI at test time: a root CA, an
 * intermediate CA, and leaf certificates with chosen names and validity dates
 * (`openssl ca -startdate/-enddate`, which OpenSSL 3.0 supports, so past dates work).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface Leaf {
  key: string;
  /** The leaf alone. */
  cert: string;
  /** Leaf followed by the intermediate, as a server should send it. */
  fullchain: string;
}

export interface Pki {
  dir: string;
  /** The root CA certificate (PEM), to trust via --ca. */
  rootPem: string;
  rootFile: string;
  /**
   * A leaf from the intermediate whose organization is "Let's Encrypt" (the CA the lab's CAA records
   * allow, so verify's CAA-against-issuer check has a known issuer to match), or with `issuer: "unlisted"`
   * from a second intermediate whose organization no CAA identifier list knows.
   */
  issue(commonName: string, altNames: string[], validity?: { notBefore?: Date; notAfter?: Date; issuer?: "unlisted" }): Leaf;
  cleanup(): void;
}

export function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

const CA_CONFIG = `
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = .
database = ./index.txt
new_certs_dir = ./issued
serial = ./serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = copy
email_in_dn = no
default_days = 30
[ policy_any ]
commonName = supplied
organizationName = optional
`;

/** YYYYMMDDHHMMSSZ, as openssl ca wants it. */
const asn1Time = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:T]/g, "")
    .replace(/\.\d+Z$/, "Z");

export function makePki(): Pki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-pki-"));
  const run = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  fs.mkdirSync(path.join(dir, "issued"));
  fs.writeFileSync(path.join(dir, "index.txt"), "");
  fs.writeFileSync(path.join(dir, "serial"), "1000\n");
  fs.writeFileSync(path.join(dir, "ca.cnf"), CA_CONFIG);
  const newKey = (file: string) => run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", file]);
  const day = 86400000;
  const now = Date.now();

  newKey("root.key");
  run([
    "req",
    "-x509",
    "-new",
    "-key",
    "root.key",
    "-out",
    "root.pem",
    "-days",
    "30",
    "-subj",
    "/CN=Launch Ready Test Root",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  /** An intermediate under the root, its subject naming an organization (what verify reads as the issuer). */
  const makeIntermediate = (name: string, subject: string) => {
    newKey(`${name}.key`);
    run([
      "req",
      "-new",
      "-key",
      `${name}.key`,
      "-out",
      `${name}.csr`,
      "-subj",
      subject,
      "-addext",
      "basicConstraints=critical,CA:TRUE,pathlen:0",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    run([
      "ca",
      "-batch",
      "-config",
      "ca.cnf",
      "-cert",
      "root.pem",
      "-keyfile",
      "root.key",
      "-in",
      `${name}.csr`,
      "-out",
      `${name}.pem`,
      "-notext",
      "-startdate",
      asn1Time(new Date(now - 30 * day)),
      "-enddate",
      asn1Time(new Date(now + 30 * day)),
    ]);
    return fs.readFileSync(path.join(dir, `${name}.pem`), "utf8");
  };
  // A throwaway CA on loopback: "Let's Encrypt" here only names the organization verify maps to a CAA identifier.
  makeIntermediate("int", "/O=Let's Encrypt/CN=Launch Ready Test Intermediate");
  let unlisted: string | undefined;
  const intermediate = fs.readFileSync(path.join(dir, "int.pem"), "utf8");
  let n = 0;

  return {
    dir,
    rootPem: fs.readFileSync(path.join(dir, "root.pem"), "utf8"),
    rootFile: path.join(dir, "root.pem"),
    issue(commonName, altNames, validity = {}) {
      const id = `leaf${n++}`;
      newKey(`${id}.key`);
      run([
        "req",
        "-new",
        "-key",
        `${id}.key`,
        "-out",
        `${id}.csr`,
        "-subj",
        `/CN=${commonName}`,
        "-addext",
        `subjectAltName=${altNames.map((a) => `DNS:${a}`).join(",")}`,
        "-addext",
        "basicConstraints=critical,CA:FALSE",
        "-addext",
        "extendedKeyUsage=serverAuth",
      ]);
      const from = validity.issuer === "unlisted" ? "int2" : "int";
      if (from === "int2") unlisted ??= makeIntermediate("int2", "/O=Launch Ready Unlisted CA/CN=Launch Ready Unlisted Intermediate");
      const notBefore = validity.notBefore ?? new Date(now - day);
      const notAfter = validity.notAfter ?? new Date(now + 25 * day);
      run([
        "ca",
        "-batch",
        "-config",
        "ca.cnf",
        "-cert",
        `${from}.pem`,
        "-keyfile",
        `${from}.key`,
        "-in",
        `${id}.csr`,
        "-out",
        `${id}.pem`,
        "-notext",
        "-startdate",
        asn1Time(notBefore),
        "-enddate",
        asn1Time(notAfter),
      ]);
      const cert = fs.readFileSync(path.join(dir, `${id}.pem`), "utf8");
      return { key: fs.readFileSync(path.join(dir, `${id}.key`), "utf8"), cert, fullchain: cert + (from === "int2" ? unlisted! : intermediate) };
    },
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

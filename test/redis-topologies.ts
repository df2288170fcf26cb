/**
 * Real Redis topologies for tests, started from the machine's redis-server and
 * redis-cli in a temporary directory: a 3-master Redis Cluster, and a master +
 * replica watched by one sentinel. Each test file starts its own (free ports
 * picked at random) and stops it, so a failover in one cannot disturb another.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/** `n` consecutive free ports (and, for a cluster, their bus ports +10000). */
async function freePorts(n: number, withBus: boolean): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const wanted = Array.from({ length: n }, (_, i) => base + i);
    const all = withBus ? [...wanted, ...wanted.map((p) => p + 10_000)] : wanted;
    if ((await Promise.all(all.map(portFree))).every(Boolean)) return base;
  }
  throw new Error("no free ports for a Redis topology");
}

/** The ACL user every data node of these topologies requires (`default` is off). */
export const ACL_USER = "app";
export const ACL_PASSWORD = "app-pw-0123";
/** The sentinel's own password (REDIS_SENTINEL_PASSWORD). */
export const SENTINEL_PASSWORD = "sentinel-pw-0123";
const ACL = [
  "--user",
  ACL_USER,
  "on",
  `>${ACL_PASSWORD}`,
  "~*",
  "&*",
  "+@all",
  "--user",
  "default",
  "off",
];
const AS_APP = ["--user", ACL_USER, "--pass", ACL_PASSWORD, "--no-auth-warning"];
const AS_SENTINEL = ["-a", SENTINEL_PASSWORD, "--no-auth-warning"];

async function cli(port: number, auth: string[], ...args: string[]): Promise<string> {
  const { stdout } = await run("redis-cli", [
    "-h",
    "127.0.0.1",
    "-p",
    String(port),
    ...auth,
    ...args,
  ]);
  return stdout.trim();
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (${String(last)})` : ""}`);
}

interface Servers {
  dir: string;
  procs: Map<number, ChildProcess>;
}

function startServer(s: Servers, port: number, args: string[]): void {
  const proc = spawn("redis-server", args, { cwd: s.dir, stdio: "ignore" });
  s.procs.set(port, proc);
}

async function stopAll(s: Servers): Promise<void> {
  await Promise.all(
    [...s.procs.values()].map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.exitCode !== null || p.signalCode !== null) return resolve();
          p.once("exit", () => resolve());
          p.kill("SIGKILL");
        }),
    ),
  );
  rmSync(s.dir, { recursive: true, force: true });
}

const COMMON = [
  "--save",
  "",
  "--appendonly",
  "no",
  "--bind",
  "127.0.0.1",
  "--protected-mode",
  "no",
];

export interface ClusterTopology {
  /** REDIS_URL: every seed node, comma-separated, with the ACL user. */
  url: string;
  stop(): Promise<void>;
}

/** Three masters, slots spread by `redis-cli --cluster create`. */
export async function startCluster(): Promise<ClusterTopology> {
  const base = await freePorts(3, true);
  const s: Servers = { dir: mkdtempSync(join(tmpdir(), "scimwatch-cluster-")), procs: new Map() };
  const ports = [base, base + 1, base + 2];
  try {
    for (const p of ports)
      startServer(s, p, [
        "--port",
        String(p),
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        `nodes-${p}.conf`,
        "--cluster-node-timeout",
        "2000",
        "--maxmemory-policy",
        "noeviction",
        ...ACL,
        ...COMMON,
      ]);
    for (const p of ports)
      await until(`redis-server on ${p}`, async () =>
        (await cli(p, AS_APP, "ping")) === "PONG" ? true : undefined,
      );
    await run("redis-cli", [
      ...AS_APP,
      "--cluster",
      "create",
      ...ports.map((p) => `127.0.0.1:${p}`),
      "--cluster-replicas",
      "0",
      "--cluster-yes",
    ]);
    for (const p of ports)
      await until(`cluster_state:ok on ${p}`, async () =>
        (await cli(p, AS_APP, "cluster", "info")).includes("cluster_state:ok") ? true : undefined,
      );
  } catch (e) {
    await stopAll(s);
    throw e;
  }
  return {
    url: ports.map((p) => `redis://${ACL_USER}:${ACL_PASSWORD}@127.0.0.1:${p}`).join(","),
    stop: () => stopAll(s),
  };
}

export interface SentinelTopology {
  /** REDIS_URL: the sentinel, with the data nodes' ACL user (REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD). */
  url: string;
  /** REDIS_SENTINEL_MASTER. */
  master: string;
  /** The port of the current master, as the sentinel sees it. */
  masterPort(): Promise<number>;
  /** Kills the current master; resolves once the sentinel has promoted the replica. */
  failover(): Promise<number>;
  /** Starts the master killed by failover() again, as a replica of the new one (what an operator does). */
  rejoin(): Promise<void>;
  /** Freezes every replica (SIGSTOP): the master goes on alone, its writes unreplicated. */
  cutReplication(): Promise<void>;
  /** Lets the replicas run again (SIGCONT) and waits until one is back in sync. */
  healReplication(): Promise<void>;
  stop(): Promise<void>;
}

/** A master and its replica, watched by one sentinel (quorum 1, 1 s to decide a master is down). */
export async function startSentinel(): Promise<SentinelTopology> {
  const base = await freePorts(3, false);
  const [masterPort, replicaPort, sentinelPort] = [base, base + 1, base + 2];
  const master = "scimwatch-test";
  const s: Servers = { dir: mkdtempSync(join(tmpdir(), "scimwatch-sentinel-")), procs: new Map() };
  const data = ["--maxmemory-policy", "noeviction", ...ACL, ...COMMON];
  const current = async () =>
    Number(
      (await cli(sentinelPort, AS_SENTINEL, "sentinel", "get-master-addr-by-name", master)).split(
        "\n",
      )[1],
    );
  try {
    startServer(s, masterPort, ["--port", String(masterPort), ...data]);
    startServer(s, replicaPort, [
      "--port",
      String(replicaPort),
      "--replicaof",
      "127.0.0.1",
      String(masterPort),
      "--masteruser",
      ACL_USER,
      "--masterauth",
      ACL_PASSWORD,
      ...data,
    ]);
    await until("the replica in sync", async () =>
      (await cli(replicaPort, AS_APP, "info", "replication")).includes("master_link_status:up")
        ? true
        : undefined,
    );
    writeFileSync(
      join(s.dir, "sentinel.conf"),
      [
        `port ${sentinelPort}`,
        "bind 127.0.0.1",
        `sentinel monitor ${master} 127.0.0.1 ${masterPort} 1`,
        `sentinel down-after-milliseconds ${master} 1000`,
        `sentinel failover-timeout ${master} 5000`,
        `sentinel parallel-syncs ${master} 1`,
        `sentinel auth-user ${master} ${ACL_USER}`,
        `sentinel auth-pass ${master} ${ACL_PASSWORD}`,
        `requirepass ${SENTINEL_PASSWORD}`,
        "",
      ].join("\n"),
    );
    startServer(s, sentinelPort, [join(s.dir, "sentinel.conf"), "--sentinel"]);
    await until("the sentinel to know the replica", async () => {
      const r = await cli(sentinelPort, AS_SENTINEL, "sentinel", "replicas", master);
      return r.includes(String(replicaPort)) ? true : undefined;
    });
  } catch (e) {
    await stopAll(s);
    throw e;
  }
  return {
    url: `redis://${ACL_USER}:${ACL_PASSWORD}@127.0.0.1:${sentinelPort}`,
    master,
    masterPort: current,
    async failover() {
      const old = await current();
      const proc = s.procs.get(old);
      proc?.kill("SIGKILL");
      return until("the sentinel to promote the replica", async () => {
        const now = await current();
        return now !== old && Number.isFinite(now) ? now : undefined;
      });
    },
    async rejoin() {
      const m = await current();
      const dead = [...s.procs].find(([, p]) => p.exitCode !== null || p.signalCode !== null);
      if (!dead) return;
      const [port] = dead;
      startServer(s, port, [
        "--port",
        String(port),
        "--replicaof",
        "127.0.0.1",
        String(m),
        "--masteruser",
        ACL_USER,
        "--masterauth",
        ACL_PASSWORD,
        ...data,
      ]);
      await until("the old master back as a replica, in sync", async () =>
        /connected_slaves:[1-9]/.test(await cli(m, AS_APP, "info", "replication"))
          ? true
          : undefined,
      );
    },
    async cutReplication() {
      const m = await current();
      for (const [port, p] of s.procs) if (port !== m && port !== sentinelPort) p.kill("SIGSTOP");
    },
    async healReplication() {
      const m = await current();
      for (const [port, p] of s.procs) if (port !== m && port !== sentinelPort) p.kill("SIGCONT");
      await until("a replica back in sync", async () =>
        /connected_slaves:[1-9]/.test(await cli(m, AS_APP, "info", "replication"))
          ? true
          : undefined,
      );
    },
    stop: async () => {
      for (const p of s.procs.values()) p.kill("SIGCONT");
      await stopAll(s);
    },
  };
}

export interface TlsServer {
  /** REDIS_URL: rediss:// with the ACL user and password. */
  url: string;
  /** The CA that signed the server's certificate (NODE_EXTRA_CA_CERTS). */
  caFile: string;
  password: string;
  stop(): Promise<void>;
}

/** One server over TLS only (certificates made here by openssl), with the ACL user; `default` is off. */
export async function startTlsAclServer(): Promise<TlsServer> {
  const port = await freePorts(1, false);
  const s: Servers = { dir: mkdtempSync(join(tmpdir(), "scimwatch-tls-")), procs: new Map() };
  const ssl = (...args: string[]) => run("openssl", args, { cwd: s.dir });
  try {
    await ssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "2",
      "-subj",
      "/CN=scimwatch-test-ca",
    );
    await ssl(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "srv.key",
      "-out",
      "srv.csr",
      "-subj",
      "/CN=localhost",
    );
    writeFileSync(join(s.dir, "ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    await ssl(
      "x509",
      "-req",
      "-in",
      "srv.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "srv.pem",
      "-days",
      "2",
      "-extfile",
      "ext.cnf",
    );
    startServer(s, port, [
      "--port",
      "0",
      "--tls-port",
      String(port),
      "--tls-cert-file",
      "srv.pem",
      "--tls-key-file",
      "srv.key",
      "--tls-ca-cert-file",
      "ca.pem",
      "--tls-auth-clients",
      "no",
      ...ACL,
      "--maxmemory-policy",
      "noeviction",
      ...COMMON,
    ]);
    await until(`TLS redis-server on ${port}`, async () => {
      const { stdout } = await run("redis-cli", [
        "--tls",
        "--cacert",
        join(s.dir, "ca.pem"),
        "-p",
        String(port),
        ...AS_APP,
        "ping",
      ]);
      return stdout.trim() === "PONG" ? true : undefined;
    });
  } catch (e) {
    await stopAll(s);
    throw e;
  }
  return {
    url: `rediss://${ACL_USER}:${ACL_PASSWORD}@localhost:${port}`,
    caFile: join(s.dir, "ca.pem"),
    password: ACL_PASSWORD,
    stop: () => stopAll(s),
  };
}

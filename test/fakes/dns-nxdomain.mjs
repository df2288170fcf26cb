// Preloaded (node --import) into a CLI under test: names under .invalid do not
// resolve (ENOTFOUND), answered here without asking any DNS server, so the test
// stays on this machine. Prints how many such look-ups were made at exit.
import dns from "node:dns";
import { writeSync } from "node:fs";

const original = dns.lookup;
let misses = 0;
dns.lookup = function lookup(host, opts, cb) {
  const callback = typeof opts === "function" ? opts : cb;
  if (typeof host === "string" && host.endsWith(".invalid")) {
    misses++;
    const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), {
      code: "ENOTFOUND",
      errno: -3008,
      syscall: "getaddrinfo",
      hostname: host,
    });
    process.nextTick(callback, err);
    return;
  }
  return original.call(this, host, opts, cb);
};
process.on("exit", () => writeSync(2, `nxdomain-lookups=${misses}\n`));

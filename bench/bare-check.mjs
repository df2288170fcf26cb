// The floor for `scimwatch check --json` (bench/goals.ts, goal 6b): a bare
// script that makes the same HTTP calls with undici, in the same order, and
// prints one JSON line. argv[2]: the base URL; argv[3]: the authorization
// header; argv[4]: the calls, as JSON [{method, path, body}].
import { request } from "undici";

const [base, authorization, callsJson] = process.argv.slice(2);
const calls = JSON.parse(callsJson);
const out = [];
for (const c of calls) {
  const res = await request(`${base}${c.path}`, {
    method: c.method,
    headers: {
      authorization,
      accept: "application/json",
      ...(c.body ? { "content-type": "application/json" } : {}),
    },
    body: c.body || undefined,
  });
  out.push({ status: res.statusCode, body: await res.body.json().catch(() => null) });
}
process.stdout.write(`${JSON.stringify({ answers: out.length })}\n`);
process.exit(0);

/** scimwatch's own name and version (from package.json), and how it introduces itself to the APIs it calls. */
import { readFileSync } from "node:fs";

function readVersion(): string {
  try {
    // src/config/ and dist/config/ both sit two levels below the package root.
    const pkg = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    ) as {
      version?: unknown;
    };
    return typeof pkg.version === "string" ? pkg.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}

export const VERSION = readVersion();

/** An honest User-Agent: scimwatch, not an official Descope SDK. */
export const USER_AGENT = `scimwatch/${VERSION} node/${process.versions.node}`;

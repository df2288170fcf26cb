/** scimwatch's own name and version (from package.json), and how it introduces itself to the APIs it calls. */
import { readFileSync } from "node:fs";
import { packageFile } from "./package-file.js";

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(packageFile("package.json"), "utf8")) as {
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

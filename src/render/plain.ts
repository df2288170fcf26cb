/**
 * Block Kit drawn as plain terminal text (the offline demo's Slack stand-in
 * prints messages with it). Pure.
 */

// biome-ignore lint/suspicious/noExplicitAny: Block Kit is plain JSON.
type Json = any;

/** mrkdwn to plain: dates in UTC, mentions, links and entities made readable. */
function mrkdwnToPlain(s: string): string {
  return s
    .replace(
      /<!date\^(\d+)\^[^|>]*\|([^>]*)>/g,
      (_m, secs: string) =>
        `${new Date(Number(secs) * 1000).toISOString().slice(5, 16).replace("T", " ")} UTC`,
    )
    .replace(/<@([A-Z0-9]+)>/g, "@$1")
    .replace(/<#([A-Z0-9-]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `#${name ?? id}`)
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, "$2 ($1)")
    .replace(/```/g, "")
    .replace(/(^|[\s(])\*([^*\n]+)\*/g, "$1$2")
    .replace(/:white_check_mark:/g, "✅")
    .replace(/:warning:/g, "⚠️")
    .replace(/:x:/g, "❌")
    .replace(/:hourglass_flowing_sand:|:hourglass:/g, "⏳")
    .replace(/:inbox_tray:/g, "📥")
    .replace(/:bulb:/g, "💡")
    .replace(/:no_entry:/g, "⛔")
    .replace(/:rotating_light:/g, "🚨")
    .replace(/:link:/g, "🔗")
    .replace(/:large_green_circle:/g, "🟢")
    .replace(/:red_circle:/g, "🔴")
    .replace(/:large_orange_circle:/g, "🟠")
    .replace(/:black_circle:/g, "⚫")
    .replace(/:[a-z_]+:/g, "•")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function textOf(t: Json): string {
  if (!t) return "";
  return t.type === "mrkdwn" ? mrkdwnToPlain(String(t.text)) : String(t.text);
}

function element(e: Json): string {
  if (e.type === "button") return `[${textOf(e.text)}]`;
  if (e.type === "static_select" || e.type === "overflow")
    return `[${e.placeholder ? textOf(e.placeholder) : "…"} ▾]`;
  return `[${e.type}]`;
}

export function blocksToPlain(blocks: Json[] | undefined, fallback = ""): string {
  if (!blocks?.length) return mrkdwnToPlain(fallback);
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.type) {
      case "header":
        out.push(`━━ ${textOf(b.text)} ━━`);
        break;
      case "section":
        if (b.text) out.push(textOf(b.text));
        if (b.fields) out.push(b.fields.map(textOf).join("   "));
        if (b.accessory) out.push(`   ${element(b.accessory)}`);
        break;
      case "context":
        out.push(
          `  ${(b.elements ?? []).map((e: Json) => (e.type === "image" ? "" : textOf(e))).join(" ")}`,
        );
        break;
      case "actions":
        out.push((b.elements ?? []).map(element).join(" "));
        break;
      case "divider":
        out.push("────────");
        break;
      default:
        out.push(`[${b.type}]`);
    }
  }
  return out.join("\n");
}

export const LEGEND = [
  "Legend: ━━ header ━━ · [Button] · [Menu ▾] · ☐ to do / ☑ done · times in UTC (Slack shows each reader's own time zone)",
  "        'posted' = a new message, 'edited' = chat.update of an existing one, 'reply' = in a thread, 'answer' = a /scim response",
].join("\n");

#include "http/dashboard.h"

namespace qpow::http {

namespace {

// Raw string: the page exactly as served. Values are inserted with textContent, never as HTML.
constexpr std::string_view kPage = R"html(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>qpow node</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem; color: #1d2433; background: #f6f7f9; }
  h1 { font-size: 1.4rem; margin: 0 0 1rem; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 0.8rem; }
  .card { background: #fff; border-radius: 8px; padding: 0.9rem 1rem; box-shadow: 0 1px 3px #0002; }
  .label { font-size: 0.8rem; color: #5b6475; text-transform: uppercase; letter-spacing: 0.04em; }
  .value { font-size: 1.6rem; font-variant-numeric: tabular-nums; margin-top: 0.2rem; }
  #status { margin-top: 1rem; font-size: 0.85rem; color: #5b6475; }
  .bar { height: 6px; background: #e3e6eb; border-radius: 3px; margin-top: 0.5rem; }
  .bar > div { height: 6px; background: #3a7bd5; border-radius: 3px; width: 0; }
</style>
</head>
<body>
<h1>qpow node</h1>
<div class="grid" id="grid"></div>
<div id="status">connecting…</div>
<script>
"use strict";
const cards = [
  ["qpow_tip_height", "Tip height", v => v.toFixed(0)],
  ["qpow_best_header_height", "Best header", v => v.toFixed(0)],
  ["qpow_sync_progress", "Sync", v => (100 * v).toFixed(1) + " %"],
  ["qpow_peers", "Peers", v => v.toFixed(0)],
  ["qpow_mempool_transactions", "Mempool transactions", v => v.toFixed(0)],
  ["qpow_mempool_bytes", "Mempool bytes", v => v.toFixed(0)],
  ["qpow_mining", "Mining", v => (v > 0 ? "on" : "off")],
  ["qpow_hashes_per_second", "Hash rate", v => v.toFixed(0) + " H/s"],
  ["qpow_blocks_mined_total", "Blocks mined", v => v.toFixed(0)],
  ["qpow_blocks_connected_total", "Blocks connected", v => v.toFixed(0)],
  ["qpow_txs_accepted_total", "Transactions accepted", v => v.toFixed(0)],
  ["qpow_peers_banned_total", "Peers banned", v => v.toFixed(0)],
];
const grid = document.getElementById("grid");
const cells = {};
for (const [name, label] of cards) {
  const card = document.createElement("div");
  card.className = "card";
  const l = document.createElement("div");
  l.className = "label";
  l.textContent = label;
  const v = document.createElement("div");
  v.className = "value";
  v.textContent = "–";
  card.append(l, v);
  if (name === "qpow_sync_progress") {
    const bar = document.createElement("div");
    bar.className = "bar";
    bar.append(document.createElement("div"));
    card.append(bar);
  }
  grid.append(card);
  cells[name] = card;
}
function parse(text) {
  const out = {};
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/);
    if (m && !(m[1] in out)) out[m[1]] = Number(m[3]);
  }
  return out;
}
async function refresh() {
  const status = document.getElementById("status");
  try {
    const r = await fetch("/metrics", { cache: "no-store" });
    if (!r.ok) throw new Error("HTTP " + r.status);
    const m = parse(await r.text());
    for (const [name, , fmt] of cards) {
      if (!(name in m)) continue;
      cells[name].querySelector(".value").textContent = fmt(m[name]);
      if (name === "qpow_sync_progress") {
        cells[name].querySelector(".bar > div").style.width = Math.min(100, 100 * m[name]) + "%";
      }
    }
    status.textContent = "updated " + new Date().toLocaleTimeString();
  } catch (e) {
    status.textContent = "node unreachable: " + e.message;
  }
}
refresh();
setInterval(refresh, 2000);
</script>
</body>
</html>
)html";

}  // namespace

std::string_view dashboard_html() {
  return kPage;
}

}  // namespace qpow::http

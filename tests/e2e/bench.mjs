// `make bench`: launches the release app on the sample site and prints the time from launch to
// the gdata33 post being editable, and the memory (PSS) of the app and its WebKit processes.
// The reference, run in the same command, is the same launch on an empty site up to the UI
// being ready: the ratio says what opening a real post costs on top of starting at all.
import fs from "node:fs";
import path from "node:path";
import { eventually, launch, parentPid, processIds, siteCopy } from "./harness.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function pss(pid) {
  try {
    const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The app process (by binary path) and all its descendants. */
function appProcesses(binary) {
  const procs = processIds()
    .map((pid) => {
      try {
        return { pid, ppid: parentPid(pid), exe: fs.readlinkSync(`/proc/${pid}/exe`) };
      } catch {
        return null;
      }
    })
    .filter(Boolean);
  const roots = procs.filter((p) => p.exe === fs.realpathSync(binary)).map((p) => p.pid);
  const all = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) if (all.has(p.ppid) && !all.has(p.pid)) (all.add(p.pid), (grew = true));
  }
  return [...all].map((pid) => ({ pid, exe: procs.find((p) => p.pid === pid).exe, kb: pss(pid) }));
}

async function once(site, copy, openGdata) {
  const start = performance.now();
  const app = await launch(site, copy);
  try {
    const { browser } = app;
    await eventually("the post list", async () => (await browser.$$("#post-list li")).length > 0, 30000);
    const ready = performance.now() - start;
    if (!openGdata) {
      await new Promise((r) => setTimeout(r, 500));
      return { ms: ready, procs: appProcesses(process.env.POSTDESK_BIN) };
    }
    await browser.execute(() => {
      const li = Array.from(document.querySelectorAll("#post-list li")).find((l) =>
        l.dataset.path.endsWith("2023-03-22-gdata33.md"),
      );
      li.click();
    });
    await eventually("gdata33 editable", async () => (await browser.$(".cm-content").getText()).includes("머리말"), 30000);
    const ms = performance.now() - start;
    await new Promise((r) => setTimeout(r, 500));
    const procs = appProcesses(process.env.POSTDESK_BIN);
    return { ms, ready, procs };
  } finally {
    await app.stop();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const copy = siteCopy();
const empty = siteCopy();
fs.rmSync(path.join(empty.site, "_posts"), { recursive: true });
fs.rmSync(path.join(empty.site, "_drafts"), { recursive: true });
fs.mkdirSync(path.join(empty.site, "_posts"));
fs.writeFileSync(path.join(empty.site, "_posts", "2020-01-01-one.md"), "---\ntitle: One\n---\n");

const reference = [];
const measured = [];
const referenceMb = [];
const measuredMb = [];
let lastProcs = [];
const mb = (procs) => procs.reduce((s, p) => s + p.kb, 0) / 1024;
for (let i = 0; i < RUNS; i++) {
  const ref = await once(empty.site, empty, false);
  reference.push(ref.ms);
  referenceMb.push(mb(ref.procs));
  const run = await once(copy.site, copy, true);
  measured.push(run.ms);
  measuredMb.push(mb(run.procs));
  lastProcs = run.procs;
}
console.log(`runs: ${RUNS} (median shown; launch goes through tauri-driver + WebKitWebDriver)`);
console.log(`reference: launch to UI ready on a one-post site: ${median(reference).toFixed(0)} ms`);
console.log(`launch to gdata33 editable: ${median(measured).toFixed(0)} ms (ratio to reference ${(median(measured) / median(reference)).toFixed(2)})`);
console.log(`reference memory (PSS), one-post site, UI ready: ${median(referenceMb).toFixed(1)} MB`);
console.log(`memory (PSS) with gdata33 open: ${median(measuredMb).toFixed(1)} MB (ratio to reference ${(median(measuredMb) / median(referenceMb)).toFixed(2)})`);
for (const p of lastProcs) console.log(`  ${String(p.pid).padStart(7)} ${(p.kb / 1024).toFixed(1).padStart(7)} MB  ${path.basename(p.exe)}`);

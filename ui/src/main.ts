// Postdesk's window: the post list, the editor beside its live preview, saving, and the
// window title. Every piece of real work is a call into the engine through `api`.
import { listen } from "@tauri-apps/api/event";
import { getCurrentWindow } from "@tauri-apps/api/window";
import { api } from "./api";
import type { PreviewText } from "./bindings/PreviewText";
import type { Reconciled } from "./bindings/Reconciled";
import type { Recovery } from "./bindings/Recovery";
import type { Prefs } from "./bindings/Prefs";
import type { SiteChanges } from "./bindings/SiteChanges";
import { ConflictDialog } from "./conflict";
import { RecoveryDialog } from "./recovery";
import type { FrontMatterChange } from "./bindings/FrontMatterChange";
import type { FrontMatterView } from "./bindings/FrontMatterView";
import type { NewPost } from "./bindings/NewPost";
import type { PostSummary } from "./bindings/PostSummary";
import type { DraftProblem } from "./bindings/DraftProblem";
import type { RenamePlan } from "./bindings/RenamePlan";
import type { SiteOverview } from "./bindings/SiteOverview";
import { CountsBar } from "./counts";
import { PostEditor } from "./editor";
import { FrontMatterForm } from "./form";
import { ImageManager } from "./images";
import { PasteHandler } from "./paste";
import { OutlinePanel } from "./outline";
import { Publisher } from "./publish";
import { SiteSearch } from "./search";
import { Sites } from "./sites";
import { setLanguage, systemLanguage, t, type Language } from "./i18n";
import { Preview } from "./preview";
import "./style.css";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

interface OpenPost {
  summary: PostSummary;
  /** The text as last loaded from or saved to disk: the base of every merge. */
  saved: string;
  /** The file is gone from disk; `movedTo` when another program was seen moving it. */
  missing?: { movedTo: string | null };
  /** Changed on disk and here on the same lines, not settled yet. */
  conflict?: { disk: string; marked: string };
  /** The journal holds a copy of this post's unsaved text. */
  journaled?: boolean;
}

const appWindow = getCurrentWindow();
let site: SiteOverview | null = null;
let shown: string | null = null;
const open = new Map<string, OpenPost>();
const preview = new Preview($<HTMLIFrameElement>("preview"));
const editor = new PostEditor($("editor"), {
  changed: (firstLine) => {
    const typed = performance.now();
    unpainted.push(typed);
    requestAnimationFrame(() => record(editorLatencies, performance.now() - typed));
    refreshDirtyState();
    if (shown) scheduleJournal(shown);
    scheduleAutosave();
    schedulePreview();
    counts.schedule();
    if (!frontMatter || firstLine <= frontMatter.bodyLine) scheduleInspect();
    images.schedulePanel();
  },
  save: () => void saveShown(),
  scrolled: (line) => preview.scrollToLine(line),
  selected: () => counts.schedule(),
});
const counts = new CountsBar($("counts"), () =>
  shown ? { path: shown, text: editor.view.state.doc.toString(), selection: editor.selection() } : null,
);
const siteSearch = new SiteSearch({
  open: (path, line, from, to) => void showMatch(path, line, from, to),
  title: (path) => site?.posts.find((p) => p.path === path)?.title ?? path,
  saveAll: () => saveAll(false),
  replaced: (plan) => {
    for (const post of plan.posts) {
      const kept = open.get(post.path);
      if (!kept || !editor.has(post.path)) continue;
      editor.replaceText(post.after, "input.replace", post.path);
      kept.saved = post.after;
    }
    refreshDirtyState();
  },
  status: setStatus,
});

const outlinePanel = new OutlinePanel({
  shown: () => shown,
  view: () => editor.view,
  revealInPreview: (id) => preview.scrollToId(id),
  status: setStatus,
});

/** Shows the post at `path` with [from, to) of `line` selected (a search result). */
async function showMatch(path: string, line: number, from: number, to: number): Promise<void> {
  const summary = site?.posts.find((p) => p.path === path);
  if (!summary) return;
  await showPost(summary);
  if (shown === path) editor.selectInLine(line, from, to);
}

// ---- dirty state and title -------------------------------------------------------------

function isDirty(path: string): boolean {
  const post = open.get(path);
  if (!post) return false;
  return !editor.holds(path, post.saved);
}

function refreshDirtyState(): void {
  // Each open post's text is built once here, not once per place that shows it.
  const dirtyPaths = new Set([...open.keys()].filter(isDirty));
  const dirty = shown !== null && dirtyPaths.has(shown);
  const names = [shown ? open.get(shown)!.summary.title : "", site?.title ?? "", "Postdesk"];
  const text = `${dirty ? "● " : ""}${names.filter(Boolean).join(" — ")}`;
  if (document.title !== text) {
    document.title = text;
    void appWindow.setTitle(text);
  }
  // Only its own word is taken back: a message the writer has not seen yet ("Fixed …") stays
  // when a change on disk refreshes the marks.
  if (dirty) setStatus(t("unsaved"));
  else if ($("status").textContent === t("unsaved")) setStatus("");
  publisher.showStatus();
  for (const li of document.querySelectorAll<HTMLElement>("#post-list li")) {
    li.classList.toggle("dirty", dirtyPaths.has(li.dataset.path!));
  }
}

function setStatus(text: string, error = false): void {
  const status = $("status");
  status.textContent = text;
  status.classList.toggle("error", error);
}

// ---- preview: one render in flight, the newest text wins ------------------------------------

let rendering = false;
let renderAgain = false;
/** When each edit not yet shown in the preview was made. */
const unpainted: number[] = [];
/**
 * Milliseconds from each edit to the preview painted with it (the last 1,000), read by the
 * end-to-end harness to report keystroke-to-paint latency.
 */
const paintLatencies: number[] = [];
/** Milliseconds each render took in the engine, IPC included (the last 1,000), likewise. */
const renderTimes: number[] = [];
/**
 * Milliseconds from each edit to the next frame, which shows it in the editor: the floor under
 * the preview's latency on this machine (the harness prints both).
 */
const editorLatencies: number[] = [];
Object.assign(window, {
  __postdeskPaintLatencies: paintLatencies,
  __postdeskRenderTimes: renderTimes,
  __postdeskEditorLatencies: editorLatencies,
});

/** Adds a figure to `figures`, keeping the last 1,000. */
function record(figures: number[], ...added: number[]): void {
  figures.push(...added);
  figures.splice(0, Math.max(0, figures.length - 1000));
}

function schedulePreview(): void {
  if (rendering) {
    renderAgain = true;
    return;
  }
  void renderPreview();
}

async function renderPreview(): Promise<void> {
  if (!shown) return;
  rendering = true;
  renderAgain = false;
  const path = shown;
  const covered = unpainted.splice(0);
  try {
    const asked = performance.now();
    // Edits since the last render when the preview shows it (the engine keeps its text), else
    // the whole text; the engine asks for the whole text when the edits do not fit.
    const whole = (): PreviewText => {
      editor.takeChanges(path);
      return { kind: "whole", text: editor.view.state.doc.toString() };
    };
    const edits = editor.takeChanges(path);
    const text: PreviewText =
      edits && preview.shown() !== null
        ? { kind: "edits", edits, length: editor.view.state.doc.length }
        : whole();
    const rendered =
      (await api.renderPreview(path, text, preview.shown())) ?? (await api.renderPreview(path, whole(), null));
    record(renderTimes, performance.now() - asked);
    // A render for a post that is no longer shown is dropped. One for text typed over since is
    // still newer than what the preview shows: show it, and render again right after.
    if (rendered === null) throw new Error("the preview engine refused the whole text");
    if (path === shown) {
      if (!preview.apply(rendered)) renderAgain = true;
      // The outline follows the text as the preview does, one render after the other.
      void outlinePanel.refresh();
      showDiagnostics(rendered.diagnostics.map((d) => `${t("line", String(d.line))}: ${d.message}`));
      requestAnimationFrame(() => {
        const painted = performance.now();
        record(paintLatencies, ...covered.map((edit) => painted - edit));
      });
    } else {
      unpainted.unshift(...covered);
    }
  } catch (e) {
    // What the engine holds is unknown now: the next render sends the whole text.
    editor.forgetChanges();
    showDiagnostics([String(e)]);
  } finally {
    rendering = false;
    if (renderAgain) schedulePreview();
  }
}

function showDiagnostics(lines: string[]): void {
  const footer = $("diagnostics");
  footer.hidden = lines.length === 0;
  footer.textContent = lines.join("\n");
}

// ---- front matter: the form reads what the engine reads, and edits through it --------------

let frontMatter: FrontMatterView | null = null;
let inspectTimer: number | undefined;
const form = new FrontMatterForm($("fm-panel"), {
  change: (key, change) => void editFrontMatter(key, change),
  goToLine: (line) => editor.goToLine(line),
});

const publisher = new Publisher({
  shown: () => shown,
  save: () => (shown ? save(shown) : Promise.resolve(false)),
  fix: async (fix) => {
    if (fix.kind === "normalize") {
      await images.fixImages();
      return;
    }
    await editFrontMatter(fix.key, { op: "set", value: fix.value });
    await saveShown();
  },
  goToLine: (line) => editor.goToLine(line),
  dirty: () => shown !== null && isDirty(shown),
  title: () => (shown ? (open.get(shown)?.summary.title ?? shown) : ""),
});

// Before the image manager, which takes every paste without text/plain for an image.
new PasteHandler({ shown: () => shown, view: () => editor.view, status: setStatus });
const images = new ImageManager({
  shown: () => shown,
  view: () => editor.view,
  composed: () => editor.composed(),
  replaceText: (text) => editor.replaceText(text, "input.image"),
  save: () => (shown ? save(shown) : Promise.resolve(false)),
  reload: reloadShown,
  status: setStatus,
  goToLine: (line) => editor.goToLine(line),
});

/** Shows the shown post's text as it is on disk now (the engine changed it), as one edit. */
async function reloadShown(): Promise<void> {
  const path = shown;
  if (!path) return;
  const text = await api.readPost(path);
  await editor.composed();
  if (path !== shown) return;
  editor.replaceText(text, "input.reload");
  open.get(path)!.saved = text;
  refreshDirtyState();
}

function scheduleInspect(): void {
  window.clearTimeout(inspectTimer);
  inspectTimer = window.setTimeout(() => void inspectFrontMatter(), 120);
}

async function inspectFrontMatter(): Promise<void> {
  const path = shown;
  if (!path) return;
  const view = await api.inspectFrontMatter(path, editor.view.state.doc.toString());
  if (path !== shown) return;
  frontMatter = view;
  form.show(view);
}

/** Asks the engine for the text with `change` made, and shows it in the editor (one undo step). */
async function editFrontMatter(key: string, change: FrontMatterChange): Promise<void> {
  const path = shown;
  // Typing may go on while the engine works: the change is made again on the newer text.
  for (let attempt = 0; attempt < 3 && path === shown; attempt++) {
    const before = editor.view.state.doc.toString();
    let after: string;
    try {
      after = await api.editFrontMatter(before, key, change);
    } catch (e) {
      setStatus(String(e), true);
      return;
    }
    await editor.composed();
    if (path === shown && editor.view.state.doc.toString() === before) {
      editor.replaceText(after, "input.frontmatter");
      await inspectFrontMatter();
      return;
    }
  }
}

function initFrontMatterPanel(): void {
  const toggle = $<HTMLButtonElement>("toggle-fm");
  const apply = (open: boolean) => {
    document.body.classList.toggle("fm-open", open);
    toggle.setAttribute("aria-pressed", String(open));
    localStorage.setItem("postdesk.fm", open ? "1" : "0");
  };
  apply(localStorage.getItem("postdesk.fm") !== "0");
  toggle.addEventListener("click", () => apply(!document.body.classList.contains("fm-open")));
}

// ---- new posts and renames: dialogs that show what will happen before it does ---------------

/**
 * Keeps a dialog's plan in step with its inputs: asks `plan()` again on every input, keeps only
 * the newest answer, shows it (or why there is none) in `line`, and enables `ok` only with a
 * plan that does something.
 */
function livePlan<T>(
  line: HTMLElement,
  ok: HTMLButtonElement,
  inputs: HTMLInputElement[],
  plan: () => Promise<T>,
  describe: (plan: T) => string,
  doesSomething: (plan: T) => boolean = () => true,
) {
  let current: T | null = null;
  let asked = 0;
  const refresh = async () => {
    const ticket = ++asked;
    try {
      const next = await plan();
      if (ticket !== asked) return;
      current = next;
      line.textContent = describe(next);
      line.classList.remove("error");
    } catch (e) {
      if (ticket !== asked) return;
      current = null;
      line.textContent = String(e);
      line.classList.add("error");
    }
    ok.disabled = current === null || !doesSomething(current);
  };
  for (const input of inputs) input.addEventListener("input", () => void refresh());
  return {
    refresh,
    current: () => current,
    reset: () => {
      current = null;
      ok.disabled = true;
      line.textContent = "";
    },
  };
}

/** Shows the site after a post was created or renamed, with `path` open. */
async function showSiteAt(overview: SiteOverview, path: string, status: string): Promise<void> {
  site = overview;
  renderPostList();
  void api.frontMatterSchema().then((schema) => form.setSchema(schema));
  const summary = site.posts.find((p) => p.path === path);
  if (summary) await showPost(summary);
  setStatus(status);
}

function initNewPostDialog(): void {
  const dialog = $<HTMLDialogElement>("new-dialog");
  const title = $<HTMLInputElement>("new-title");
  const date = $<HTMLInputElement>("new-date");
  const sections = $<HTMLInputElement>("new-sections");
  let like: string | null = null;
  const plan = livePlan<NewPost>(
    $("new-plan"),
    $<HTMLButtonElement>("new-create"),
    [title, date, sections],
    () => api.planNewPost(like, title.value.trim() || null, date.value.trim() || null, sections.checked),
    (next) => {
      if (!title.value.trim()) title.value = next.title;
      return t("newPlan", next.path, next.images);
    },
  );
  const open = (from: string | null) => {
    like = from;
    title.value = "";
    date.value = "";
    sections.checked = false;
    plan.reset();
    $("new-sections-row").hidden = from === null;
    $("new-heading").textContent = t(from ? "newLike" : "newPost");
    dialog.showModal();
    void plan.refresh().then(() => title.select());
  };
  $("new-post").addEventListener("click", () => open(null));
  $("new-like").addEventListener("click", () => open(shown));
  dialog.addEventListener("close", async () => {
    const post = plan.current();
    if (dialog.returnValue !== "create" || !post) return;
    try {
      await showSiteAt(await api.createPost(post), post.path, t("created", post.path));
    } catch (e) {
      setStatus(String(e), true);
    }
  });
}

function initRenameDialog(): void {
  const dialog = $<HTMLDialogElement>("rename-dialog");
  const date = $<HTMLInputElement>("rename-date");
  const slug = $<HTMLInputElement>("rename-slug");
  const plan = livePlan<RenamePlan>(
    $("rename-plan"),
    $<HTMLButtonElement>("rename-ok"),
    [date, slug],
    () => api.planRename(shown!, date.value.trim() || null, slug.value.trim() || null),
    describeMove,
    (next) => next.from !== next.to,
  );
  $("rename-post").addEventListener("click", async () => {
    // The file on disk is what moves: unsaved edits are saved first.
    if (!shown || !(await save(shown))) return;
    const stem = shown.split("/").pop()!.replace(/\.[^.]*$/, "");
    const dated = /^\d{4}-\d{2}-\d{2}-/.test(stem);
    date.value = dated ? stem.slice(0, 10) : "";
    slug.value = dated ? stem.slice(11) : stem;
    plan.reset();
    dialog.showModal();
    await plan.refresh();
  });
  dialog.addEventListener("close", async () => {
    const moved = plan.current();
    if (dialog.returnValue === "rename" && moved) await movePost(moved, t("renamed", moved.to));
  });
}

/** What a rename (or a draft's move into _posts/) will do. */
function describeMove(next: RenamePlan): string {
  return (
    t("renamePlan", next.from, next.to) +
    (next.images ? t("renameImages", next.images[0], next.images[1], String(next.links)) : "")
  );
}

/** Does a rename (or a draft's move into _posts/) and shows the moved post, saying `status`. */
async function movePost(moved: RenamePlan, status: string): Promise<void> {
  try {
    const overview = await api.renamePost(moved);
    // The moved post is read again from disk: its links may have been rewritten.
    editor.forget(moved.from);
    open.delete(moved.from);
    if (shown === moved.from) shown = null;
    await showSiteAt(overview, moved.to, status);
  } catch (e) {
    setStatus(String(e), true);
  }
}

/** Why a draft cannot be published, in the interface language. */
function draftProblemText(p: DraftProblem): string {
  switch (p.kind) {
    case "targetExists":
      return t("draftExists", p.path);
    case "notADraft":
      return t("draftNotADraft", p.path);
    case "other":
      return p.message;
  }
}

function initDraftDialog(): void {
  const dialog = $<HTMLDialogElement>("draft-dialog");
  const plan = livePlan<RenamePlan>(
    $("draft-plan"),
    $<HTMLButtonElement>("draft-ok"),
    [],
    () =>
      api.planPublishDraft(shown!).catch((e: DraftProblem) => {
        throw draftProblemText(e);
      }),
    describeMove,
  );
  $("publish-draft").addEventListener("click", async () => {
    // The file on disk is what moves: unsaved edits are saved first.
    if (!shown || !(await save(shown))) return;
    plan.reset();
    dialog.showModal();
    await plan.refresh();
  });
  dialog.addEventListener("close", async () => {
    const moved = plan.current();
    if (dialog.returnValue === "publish" && moved) await movePost(moved, t("draftPublished", moved.to));
  });
}

/** Shows the file name of the shown post, and the draft action when it is a draft. */
function showFileName(path: string): void {
  $("fm-file-name").textContent = path;
  $("publish-draft").hidden = !path.startsWith("_drafts/");
}

// ---- the file on disk: outside changes, autosave, the crash journal --------------------------

const conflicts = new ConflictDialog();

/** Brings the buffer of `path` in line with its file, which another program may have changed. */
async function syncWithDisk(path: string, movedTo: string | null = null): Promise<void> {
  // An outside change waits for a syllable being composed: the engine merges the text after it.
  await editor.composed();
  // A save of ours in flight changes the base: look once it is done (its own write is then no
  // outside change, even with typing after it began).
  await saves.get(path);
  await syncNow(path, movedTo);
}

/** `syncWithDisk` without waiting for saves (for use from within one). */
async function syncNow(path: string, movedTo: string | null): Promise<void> {
  const post = open.get(path);
  const mine = editor.textOf(path);
  if (!post || mine === undefined) return;
  const base = post.saved;
  try {
    const outcome = await api.reconcilePost(path, base, mine);
    // A save landed while the engine looked: it compared with a base that is no longer ours.
    if (post.saved !== base) return syncNow(path, movedTo);
    await applyReconciled(path, outcome, mine, movedTo);
  } catch (e) {
    setStatus(String(e), true);
  }
}

/** Makes the buffer of `path` what the engine decided, given the buffer was `mine` when asked. */
async function applyReconciled(path: string, outcome: Reconciled, mine: string, movedTo: string | null = null) {
  // A composition begun while the engine looked: the text is looked at again once it ends.
  await editor.composed();
  const post = open.get(path);
  if (!post) return;
  // Typed over while the engine looked: look again with the newer text.
  if (editor.textOf(path) !== mine) return syncNow(path, movedTo);
  const name = post.summary.path;
  let said = "";
  switch (outcome.kind) {
    case "unchanged":
      post.missing = undefined;
      break;
    case "reload":
      post.saved = outcome.text;
      post.missing = undefined;
      editor.replaceText(outcome.text, "input.reload", path);
      said = t("reloaded", name);
      break;
    case "merged":
      post.saved = outcome.disk;
      post.missing = undefined;
      editor.replaceText(outcome.text, "input.merge", path);
      said = t("mergedFromDisk", name);
      break;
    case "conflict":
      if (post.conflict?.disk === outcome.disk) break;
      post.conflict = { disk: outcome.disk, marked: outcome.marked };
      post.missing = undefined;
      if (path === shown) void resolveConflict(path);
      break;
    case "missing":
      post.missing = { movedTo: outcome.movedTo ?? movedTo ?? post.missing?.movedTo ?? null };
      break;
  }
  scheduleJournal(path);
  refreshDirtyState();
  showBanner();
  if (said) setStatus(said);
}

/** Shows the conflict of `path` side by side until the writer settles it (or puts it off). */
async function resolveConflict(path: string): Promise<void> {
  const post = open.get(path);
  if (!post?.conflict || conflicts.isOpen) return;
  const { disk, marked } = post.conflict;
  const choice = await conflicts.ask(path, editor.textOf(path) ?? "", disk);
  if (choice === null || open.get(path) !== post || post.conflict?.disk !== disk) return showBanner();
  post.conflict = undefined;
  // The file's text is the new base: "keep mine" saves over it, by the writer's choice.
  post.saved = disk;
  if (choice === "disk") editor.replaceText(disk, "input.resolve", path);
  if (choice === "markers") editor.replaceText(marked, "input.resolve", path);
  scheduleJournal(path);
  refreshDirtyState();
  showBanner();
  scheduleAutosave();
}

/** The line above the editor saying what happened to the shown post's file, with what to do. */
function showBanner(): void {
  const post = shown ? open.get(shown) : undefined;
  const banner = $("file-banner");
  const moved = post?.missing?.movedTo;
  banner.hidden = !post?.missing && !post?.conflict;
  $("banner-follow").hidden = !moved;
  $("banner-save").hidden = !post?.missing;
  $("banner-resolve").hidden = !post?.conflict;
  if (!post) return;
  $("file-banner-text").textContent = post.conflict
    ? t("conflictBanner", post.summary.path)
    : moved
      ? t("movedBanner", post.summary.path, moved)
      : t("missingBanner", post.summary.path);
}

/** Goes on editing the shown post under the name another program moved its file to. */
async function followMove(): Promise<void> {
  const from = shown;
  const post = from ? open.get(from) : undefined;
  const to = post?.missing?.movedTo;
  if (!from || !post || !to) return;
  if (open.has(to)) {
    // The moved file is open already: that buffer is the one to go on with.
    await showPost(open.get(to)!.summary);
    return;
  }
  editor.rename(from, to);
  open.delete(from);
  post.summary = site?.posts.find((p) => p.path === to) ?? { ...post.summary, path: to };
  post.missing = undefined;
  open.set(to, post);
  shown = to;
  void api.journalClear(from);
  post.journaled = false;
  showFileName(to);
  renderPostList();
  setStatus(t("followed", to));
  await syncWithDisk(to);
  void publisher.refreshStatus();
  images.schedulePanel(0);
  schedulePreview();
}

/** What the watcher saw change in the site's folder. */
async function siteChanged(changes: SiteChanges): Promise<void> {
  if (changes.trouble) setStatus(changes.trouble, true);
  if (changes.list || changes.posts.length > 0 || changes.site) {
    const overview = await api.currentSite();
    if (overview) {
      site = overview;
      for (const post of open.values()) {
        post.summary = site.posts.find((p) => p.path === post.summary.path) ?? post.summary;
      }
      renderPostList();
      refreshDirtyState();
    }
  }
  const moves = new Map(changes.renamed);
  const touched = changes.rescan ? [...open.keys()] : [...changes.posts, ...moves.keys()];
  // An open post no longer listed went somewhere, even if its events were folded into others
  // (a save's rename then a move, within one burst, reads as one move from the temp file).
  const listed = new Set(site?.posts.map((p) => p.path));
  touched.push(...[...open.keys()].filter((path) => !listed.has(path) && !open.get(path)!.missing));
  for (const path of new Set(touched)) {
    if (open.has(path)) await syncWithDisk(path, moves.get(path) ?? null);
  }
  if (changes.images.length > 0) images.schedulePanel(0);
  if (changes.site || changes.images.length > 0) schedulePreview();
  if (changes.style) void refreshSiteStyle();
}

// ---- Site style / Plain: the preview in the site's own stylesheet or in Postdesk's --------------

/**
 * Puts the open site's stylesheet (compiled by the engine, never taken from a post) into the
 * preview when "Site style" is checked, else the plain style; says why when the site's cannot be
 * used (a remote_theme, no theme files on disk).
 */
async function refreshSiteStyle(): Promise<void> {
  const box = $<HTMLInputElement>("site-style");
  const label = $("site-style-switch");
  if (!box.checked || !site) {
    preview.setSiteStyle(null);
    label.title = "";
    label.classList.remove("plain");
    return;
  }
  const style = await api.siteStyle();
  const reason = style.source.kind === "plain" ? style.source.reason : null;
  preview.setSiteStyle(reason === null ? style.css : null);
  label.title = reason === null ? t("siteStyleOn") : t("siteStylePlain", reason);
  label.classList.toggle("plain", reason !== null);
}

function initSiteStyle(prefs: Prefs): void {
  const box = $<HTMLInputElement>("site-style");
  box.checked = prefs.siteStyle;
  box.addEventListener("change", () => {
    void refreshSiteStyle();
    void api.setSiteStyle(box.checked);
  });
  const whole = $<HTMLInputElement>("whole-page");
  whole.checked = prefs.wholePage;
  preview.setWholePage(whole.checked);
  whole.addEventListener("change", () => {
    preview.setWholePage(whole.checked);
    void api.setWholePage(whole.checked);
  });
}

let autosave = true;
let autosaveDelay = 2000;
let autosaveTimer: number | undefined;

function scheduleAutosave(): void {
  window.clearTimeout(autosaveTimer);
  if (autosave) autosaveTimer = window.setTimeout(() => void saveAll(true), autosaveDelay);
}

/** Saves every post with unsaved edits that can be saved without asking; false if one failed. */
async function saveAll(auto: boolean): Promise<boolean> {
  let ok = true;
  for (const [path, post] of open) {
    if (auto && (post.conflict || post.missing)) continue;
    if (isDirty(path) || post.missing) ok = (await save(path, auto)) && ok;
  }
  return ok;
}

/** Posts whose unsaved text (or its absence) the journal does not know yet. */
const unjournaled = new Set<string>();
let journalTimer: number | undefined;

/** Journals `path` within a second: a crash loses at most that much typing. */
function scheduleJournal(path: string): void {
  unjournaled.add(path);
  journalTimer ??= window.setTimeout(() => void flushJournal(), 1000);
}

async function flushJournal(): Promise<void> {
  journalFlush = journalNow();
  await journalFlush;
}

/** The journal writes in flight: leaving a site waits for them (they name the site open now). */
let journalFlush: Promise<void> = Promise.resolve();

async function journalNow(): Promise<void> {
  for (const path of [...unjournaled]) {
    unjournaled.delete(path);
    const post = open.get(path);
    const text = editor.textOf(path);
    if (!post || text === undefined) continue;
    try {
      if (text !== post.saved || post.missing) {
        await api.journalRecord(path, post.saved, text);
        post.journaled = true;
      } else if (post.journaled) {
        await api.journalClear(path);
        post.journaled = false;
      }
    } catch (e) {
      setStatus(String(e), true);
    }
  }
  journalTimer = undefined;
  if (unjournaled.size > 0) journalTimer = window.setTimeout(() => void flushJournal(), 1000);
}

const recovery = new RecoveryDialog({
  recover: async (found: Recovery) => {
    const path = found.post;
    const summary = site?.posts.find((p) => p.path === path) ?? {
      path,
      title: path,
      date: null,
      categories: [],
      draft: path.startsWith("_drafts/"),
      published: true,
    };
    if (found.disk === null) {
      // The file is gone: the recovered text is all there is; saving writes it again.
      if (shown) editor.stash(shown);
      editor.create(path, found.text);
      open.set(path, { summary, saved: found.base, missing: { movedTo: null } });
      await showPost(summary);
    } else {
      await showPost(summary);
      const outcome = await api.reconcilePost(path, found.base, found.text);
      const post = open.get(path)!;
      // The recovered text comes in as one edit: Ctrl+Z shows the file as it is.
      if (outcome.kind === "merged") editor.replaceText(outcome.text, "input.recover", path);
      else editor.replaceText(found.text, "input.recover", path);
      if (outcome.kind === "conflict") {
        post.conflict = { disk: outcome.disk, marked: outcome.marked };
        void resolveConflict(path);
      }
    }
    open.get(path)!.journaled = true;
    scheduleJournal(path);
    setStatus(t("recovered", path));
  },
  discard: (found: Recovery) => api.journalClear(found.post),
});

function initDiskSync(): void {
  void listen<SiteChanges>("site-changed", (e) => void siteChanged(e.payload));
  $("banner-follow").addEventListener("click", () => void followMove());
  $("banner-save").addEventListener("click", () => void saveShown());
  $("banner-resolve").addEventListener("click", () => shown && void resolveConflict(shown));
  void appWindow.onFocusChanged(({ payload: focused }) => {
    if (!focused && autosave) void saveAll(true);
    // Back from another program: the watcher has told already, but a look costs nothing.
    if (focused && shown) void syncWithDisk(shown);
  });
}

// ---- posts -------------------------------------------------------------------------------

async function showPost(summary: PostSummary): Promise<void> {
  if (shown === summary.path) return;
  try {
    const text = editor.has(summary.path) ? null : await api.readPost(summary.path);
    if (shown) editor.stash(shown);
    if (text !== null) open.set(summary.path, { summary, saved: text });
    shown = summary.path;
    editor.show(summary.path, () => text ?? "");
    document.body.classList.add("has-post");
    $<HTMLButtonElement>("new-like").disabled = false;
    $<HTMLButtonElement>("toggle-fm").disabled = false;
    $<HTMLButtonElement>("publish").disabled = false;
    void publisher.refreshStatus();
    images.schedulePanel(0);
    frontMatter = null;
    form.reset();
    showFileName(summary.path);
    void inspectFrontMatter();
    for (const li of document.querySelectorAll<HTMLElement>("#post-list li")) {
      li.setAttribute("aria-selected", String(li.dataset.path === shown));
    }
    refreshDirtyState();
    showBanner();
    schedulePreview();
    counts.schedule(0);
    if (open.get(summary.path)?.conflict) void resolveConflict(summary.path);
  } catch (e) {
    setStatus(t("openFailed", String(e)), true);
  }
}

/**
 * Saves `path` if it has unsaved edits, over the text it was loaded with only: when another
 * program changed the file meanwhile nothing is written, the two are reconciled, and a clean
 * merge is saved. False when the post is not saved (a conflict to settle, an error).
 */
async function save(path: string, auto = false): Promise<boolean> {
  const saving = saves.get(path) ?? Promise.resolve(true);
  // In line with other saves and outside changes at once; a half-composed syllable is not
  // written to disk, so the save itself waits for the composition to end.
  const done = saving.then(async () => {
    await editor.composed();
    return saveNow(path, auto);
  });
  saves.set(path, done);
  try {
    return await done;
  } finally {
    if (saves.get(path) === done) saves.delete(path);
  }
}

/** Saves in flight, by post: one at a time per post, and outside changes wait for them. */
const saves = new Map<string, Promise<boolean>>();

async function saveNow(path: string, auto: boolean): Promise<boolean> {
  const post = open.get(path);
  const text = editor.textOf(path);
  if (!post || text === undefined) return true;
  if (post.conflict) {
    if (path === shown) void resolveConflict(path);
    return false;
  }
  if (text === post.saved && !post.missing) return true;
  setStatus(t("saving"));
  try {
    const outcome = await api.savePost(path, text, post.missing ? null : post.saved);
    if (outcome.kind !== "unchanged") {
      await applyReconciled(path, outcome, text);
      return open.get(path)?.conflict ? false : saveNow(path, auto);
    }
    post.saved = text;
    post.missing = undefined;
    scheduleJournal(path);
    refreshDirtyState();
    showBanner();
    setStatus(t(auto ? "autosaved" : "saved"));
    void publisher.refreshStatus();
    return true;
  } catch (e) {
    setStatus(t("saveFailed", String(e)), true);
    return false;
  }
}

async function saveShown(): Promise<void> {
  if (shown) await save(shown);
}

function normalize(s: string): string {
  return s.normalize("NFC").toLocaleLowerCase();
}

function renderPostList(): void {
  const list = $("post-list");
  const query = normalize(($("filter") as HTMLInputElement).value.trim());
  list.replaceChildren();
  const posts = (site?.posts ?? []).filter(
    (p) => !query || normalize(p.title).includes(query) || normalize(p.path).includes(query),
  );
  for (const post of posts) {
    const li = document.createElement("li");
    li.dataset.path = post.path;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", String(post.path === shown));
    li.classList.toggle("dirty", isDirty(post.path));
    const title = document.createElement("span");
    title.className = "title";
    title.textContent = post.title;
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = [post.draft ? t("draft") : post.date, post.categories.join(", ")].filter(Boolean).join(" · ");
    if (!post.published) {
      const mark = document.createElement("span");
      mark.className = "unpublished";
      mark.textContent = t("unpublished");
      mark.title = t("unpublishedTip");
      meta.prepend(mark, " ");
    }
    li.append(title, meta);
    li.addEventListener("click", () => void showPost(post));
    list.append(li);
  }
  if (posts.length === 0) {
    const li = document.createElement("li");
    li.className = "empty";
    li.textContent = t("noPosts");
    list.append(li);
  }
}

// ---- window chrome ------------------------------------------------------------------------

function initSplitter(): void {
  const workspace = $("workspace");
  const splitter = $("splitter");
  const saved = Number(localStorage.getItem("postdesk.split"));
  if (saved > 0.15 && saved < 0.85) workspace.style.setProperty("--split", String(saved));
  splitter.addEventListener("pointerdown", (down) => {
    splitter.setPointerCapture(down.pointerId);
    document.body.classList.add("resizing");
    const move = (e: PointerEvent) => {
      const editorBox = $("editor").getBoundingClientRect();
      const previewBox = $("preview").getBoundingClientRect();
      const total = previewBox.right - editorBox.left;
      const split = Math.min(0.85, Math.max(0.15, (e.clientX - editorBox.left) / total));
      workspace.style.setProperty("--split", String(split));
    };
    const up = () => {
      document.body.classList.remove("resizing");
      splitter.removeEventListener("pointermove", move);
      localStorage.setItem("postdesk.split", workspace.style.getPropertyValue("--split"));
    };
    splitter.addEventListener("pointermove", move);
    splitter.addEventListener("pointerup", up, { once: true });
  });
}

// ---- leaving the site: closing the window, or opening another site -------------------------

/** Answers the question of the unsaved-posts dialog shown now: go on (true) or stay. */
let answerLeave: ((go: boolean) => void) | null = null;

/**
 * Whether the window may let go of its posts: nothing unsaved; or autosave saved it all; or the
 * writer chose in the dialog to save (and it saved) or to drop the unsaved text (the crash
 * journal keeps it). False when the writer stays.
 */
async function mayLeave(purpose: "close" | "switch"): Promise<boolean> {
  if (![...open.keys()].some(isDirty)) return true;
  if (autosave && (await saveAll(true)) && ![...open.keys()].some(isDirty)) return true;
  const closing = purpose === "close";
  $("close-question").textContent = t(closing ? "unsavedQuestion" : "unsavedSwitchQuestion");
  $("close-save").textContent = t(closing ? "saveAndClose" : "saveAndSwitch");
  $("close-discard").textContent = t(closing ? "discardAndClose" : "discardAndSwitch");
  $<HTMLDialogElement>("close-dialog").showModal();
  return new Promise((resolve) => (answerLeave = resolve));
}

function initLeaving(): void {
  const dialog = $<HTMLDialogElement>("close-dialog");
  const answer = (go: boolean) => {
    if (dialog.open) dialog.close();
    answerLeave?.(go);
    answerLeave = null;
  };
  $("close-cancel").addEventListener("click", () => answer(false));
  $("close-discard").addEventListener("click", () => answer(true));
  $("close-save").addEventListener("click", async () => answer(await saveAll(false)));
  dialog.addEventListener("cancel", () => answer(false));
  void appWindow.onCloseRequested(async (event) => {
    if (!sites.busy() && ![...open.keys()].some(isDirty)) return;
    event.preventDefault();
    await sites.stopCloning();
    if (await mayLeave("close")) await appWindow.destroy();
  });
}

/**
 * Lets go of the open site before another opens: its unsaved posts by the rules of closing,
 * then every buffer, timer and write in flight, so that nothing meant for this site reaches the
 * next one. False when the writer stays.
 */
async function leaveSite(): Promise<boolean> {
  if (!(await mayLeave("switch"))) return false;
  window.clearTimeout(autosaveTimer);
  window.clearTimeout(inspectTimer);
  await Promise.all(saves.values());
  // What the writer chose not to save is journaled in full, as when the window closes.
  window.clearTimeout(journalTimer);
  await journalFlush;
  await flushJournal();
  window.clearTimeout(journalTimer);
  journalTimer = undefined;
  open.clear();
  shown = null;
  editor.forgetAll();
  preview.clear();
  frontMatter = null;
  form.reset();
  document.body.classList.remove("has-post");
  for (const id of ["new-like", "toggle-fm", "publish"]) $<HTMLButtonElement>(id).disabled = true;
  showBanner();
  showDiagnostics([]);
  counts.clear();
  outlinePanel.clear();
  siteSearch.reset();
  return true;
}

/** Shows `overview` as the open site (at start, or after another was opened), or the welcome page. */
async function showSite(overview: SiteOverview | null): Promise<void> {
  site = overview;
  document.body.classList.toggle("no-site", !site);
  $("site-title").textContent = site?.title ?? "";
  $("site-title").title = site?.root ?? "";
  renderPostList();
  refreshDirtyState();
  void publisher.refreshStatus();
  void refreshSiteStyle();
  if (!site) {
    await sites.welcome();
    return;
  }
  // The schema reads every post: the window is usable before it arrives.
  void api.frontMatterSchema().then((schema) => form.setSchema(schema));
  const found = await api.recoveries();
  if (found.length > 0) recovery.show(found);
}

const sites = new Sites({
  current: () => site,
  leave: leaveSite,
  show: showSite,
  status: setStatus,
});
// The folder picker's choice goes to this function; the end-to-end tests call it directly.
Object.assign(window, { __postdeskOpenFolder: (path: string) => sites.openFolder(path) });

async function initPrefs(): Promise<void> {
  const prefs = await api.prefs();
  initSiteStyle(prefs);
  autosave = prefs.autosave;
  autosaveDelay = prefs.autosaveDelayMs;
  const box = $<HTMLInputElement>("autosave");
  box.checked = autosave;
  box.addEventListener("change", () => {
    autosave = box.checked;
    scheduleAutosave();
    void api.setAutosave(autosave);
  });
  const select = $<HTMLSelectElement>("language");
  select.value = prefs.language ?? "";
  setLanguage((prefs.language as Language | null) ?? systemLanguage());
  select.addEventListener("change", () => {
    setLanguage((select.value as Language) || systemLanguage());
    renderPostList();
    void refreshSiteStyle();
    refreshDirtyState();
    counts.draw();
    outlinePanel.redraw();
    siteSearch.draw();
    void api.setLanguage(select.value || null);
  });
}

async function main(): Promise<void> {
  await initPrefs();
  initSplitter();
  initLeaving();
  initFrontMatterPanel();
  initNewPostDialog();
  initRenameDialog();
  initDraftDialog();
  initDiskSync();
  ($("filter") as HTMLInputElement).addEventListener("input", renderPostList);
  // Ctrl+S also when the focus is outside the editor (sidebar, preview).
  window.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "s") {
      e.preventDefault();
      void saveShown();
    }
    // Ctrl+Shift+F, wherever the focus is; never while an input method composes.
    if ((e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey && e.key.toLowerCase() === "f" && !e.isComposing) {
      e.preventDefault();
      if (site) siteSearch.open();
    }
    // Ctrl+Shift+O shows or hides the outline.
    if ((e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey && e.key.toLowerCase() === "o" && !e.isComposing) {
      e.preventDefault();
      if (site) outlinePanel.setOpen(!outlinePanel.isOpen());
    }
  });
  const opened = await api.currentSite();
  document.body.classList.add("ready");
  await showSite(opened);
}

// Anything unexpected is shown, not swallowed: the writer (and a bug report) can see it.
window.addEventListener("error", (e) => setStatus(String(e.message), true));
window.addEventListener("unhandledrejection", (e) => setStatus(String(e.reason), true));

void main();

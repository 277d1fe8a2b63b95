// Ctrl+Shift+F: every post and draft of the site searched by the engine (case, and whether
// Hangul is composed or decomposed, make no difference), the lines found grouped by post; a
// click opens the post with the match selected. It takes the post list's place in the sidebar.
// Replace all: every change listed first, then written by the engine all or nothing.
import { api } from "./api";
import type { LineMatch } from "./bindings/LineMatch";
import type { ReplacePlan } from "./bindings/ReplacePlan";
import type { SearchResults } from "./bindings/SearchResults";
import { t } from "./i18n";

export interface SearchEvents {
  /** Opens the post at `path` with [from, to) of 1-based `line` (UTF-16 positions) selected. */
  open(path: string, line: number, from: number, to: number): void;
  /** The title of the post at `path`, as the post list shows it. */
  title(path: string): string;
  /** Saves the open posts (a replacement is planned over the saved text); false when not all were. */
  saveAll(): Promise<boolean>;
  /** The posts of `plan` were written: open ones take their new text, as one undo step each. */
  replaced(plan: ReplacePlan): void;
  status(text: string, error?: boolean): void;
}

/** The most lines one search shows. */
const LIMIT = 2000;
/** Characters of a line shown before its first match. */
const BEFORE = 8;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export class SiteSearch {
  private panel = $("search-panel");
  private query = $<HTMLInputElement>("search-query");
  private regex = $<HTMLInputElement>("search-regex");
  private timer: number | undefined;
  /** The number of the last search: an answer to an older one is dropped. */
  private asked = 0;
  private found: SearchResults | null = null;
  private problem = "";
  private replaceWith = $<HTMLInputElement>("replace-with");
  private dialog = $<HTMLDialogElement>("replace-dialog");
  /** The replacement the dialog shows. */
  private plan: ReplacePlan | null = null;

  constructor(private events: SearchEvents) {
    this.query.addEventListener("input", () => this.schedule());
    this.regex.addEventListener("change", () => this.schedule(0));
    $("search-close").addEventListener("click", () => this.close());
    $("replace-all").addEventListener("click", () => void this.showPlan());
    $("replace-go").addEventListener("click", () => void this.replace());
    $("replace-cancel").addEventListener("click", () => this.dialog.close());
    this.panel.addEventListener("keydown", (e) => {
      if (e.isComposing) return;
      if (e.key === "Escape") {
        e.preventDefault();
        this.close();
      } else if (e.key === "Enter" && e.target === this.query) {
        e.preventDefault();
        this.schedule(0);
      }
    });
  }

  open(): void {
    document.body.classList.add("searching");
    this.panel.hidden = false;
    this.query.focus();
    this.query.select();
    if (this.query.value) this.schedule(0);
  }

  close(): void {
    document.body.classList.remove("searching");
    this.panel.hidden = true;
  }

  /** Forgets the results (another site was opened). */
  reset(): void {
    this.asked++;
    this.found = null;
    this.problem = "";
    this.draw();
    this.close();
  }

  private schedule(delay = 250): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.run(), delay);
  }

  private async run(): Promise<void> {
    const query = this.query.value;
    const asked = ++this.asked;
    if (!query) {
      this.found = null;
      this.problem = "";
      return this.draw();
    }
    try {
      const found = await api.searchSite(query, this.regex.checked, LIMIT);
      if (asked !== this.asked) return;
      [this.found, this.problem] = [found, ""];
    } catch (e) {
      if (asked !== this.asked) return;
      [this.found, this.problem] = [null, String(e)];
    }
    this.draw();
  }

  /** Draws the results again (in another language too). */
  draw(): void {
    const summary = $("search-summary");
    const list = $("search-results");
    list.replaceChildren();
    summary.classList.toggle("error", this.problem !== "");
    summary.title = t("searchDiskHint");
    const found = this.found;
    $<HTMLButtonElement>("replace-all").disabled = !found || found.posts.length === 0;
    if (!found) {
      summary.textContent = this.problem;
      return;
    }
    const lines = found.posts.reduce((n, p) => n + p.lines.length, 0);
    summary.textContent =
      lines === 0
        ? t("searchNothing")
        : t(found.truncated ? "searchTruncated" : "searchFound", String(lines), String(found.posts.length));
    for (const post of found.posts) {
      const group = document.createElement("li");
      group.className = "search-post";
      group.dataset.path = post.path;
      const head = this.postTitle(post.path);
      const items = document.createElement("ul");
      for (const line of post.lines) items.append(this.item(post.path, line));
      group.append(head, items);
      list.append(group);
    }
  }

  /** A post's heading in the results and in the replace dialog: its title, its path on hover. */
  private postTitle(path: string): HTMLElement {
    const head = document.createElement("div");
    head.className = "search-post-title";
    head.textContent = this.events.title(path);
    head.title = path;
    return head;
  }

  /** Saves the open posts, plans the replacement and lists every change in the dialog. */
  private async showPlan(): Promise<void> {
    if (!(await this.events.saveAll())) return this.events.status(t("replaceSaveFirst"), true);
    try {
      this.plan = await api.planReplace(this.query.value, this.regex.checked, this.replaceWith.value);
    } catch (e) {
      return this.events.status(String(e), true);
    }
    const posts = this.plan.posts;
    const lines = posts.reduce((n, p) => p.lines.reduce((m, c) => m + c.before.split("\n").length, n), 0);
    $("replace-heading").textContent = t("replaceHeading", String(lines), String(posts.length));
    $("replace-error").textContent = "";
    const list = $("replace-list");
    list.replaceChildren();
    for (const post of posts) {
      const li = document.createElement("li");
      li.dataset.path = post.path;
      const head = this.postTitle(post.path);
      const changes = document.createElement("ul");
      for (const change of post.lines) {
        const row = document.createElement("li");
        row.className = "replace-change";
        row.dataset.line = String(change.line);
        const number = document.createElement("span");
        number.className = "search-line-number";
        number.textContent = String(change.line);
        const before = document.createElement("del");
        before.textContent = change.before;
        const after = document.createElement("ins");
        after.textContent = change.after;
        row.append(number, before, after);
        changes.append(row);
      }
      li.append(head, changes);
      list.append(li);
    }
    this.dialog.showModal();
  }

  private async replace(): Promise<void> {
    const plan = this.plan;
    if (!plan) return;
    try {
      await api.applyReplace(plan);
    } catch (e) {
      $("replace-error").textContent = String(e);
      return;
    }
    this.plan = null;
    this.dialog.close();
    this.events.replaced(plan);
    this.events.status(t("replaceDone", String(plan.posts.length)));
    this.schedule(0);
  }

  private item(path: string, line: LineMatch): HTMLElement {
    const li = document.createElement("li");
    li.className = "search-line";
    li.tabIndex = 0;
    li.dataset.line = String(line.line);
    const number = document.createElement("span");
    number.className = "search-line-number";
    number.textContent = String(line.line);
    number.title = t("searchLine", String(line.line));
    const text = document.createElement("span");
    text.className = "search-line-text";
    // From a little before the first match, so that it shows in a narrow sidebar.
    const start = Math.max(0, line.ranges[0][0] - BEFORE);
    if (start > 0) text.append("…");
    let at = start;
    for (const [from, to] of line.ranges) {
      if (to <= at) continue;
      text.append(line.text.slice(at, Math.max(at, from)));
      const mark = document.createElement("mark");
      mark.textContent = line.text.slice(Math.max(at, from), to);
      text.append(mark);
      at = to;
    }
    text.append(line.text.slice(at));
    li.append(number, text);
    const [from, to] = line.ranges[0];
    const open = () => this.events.open(path, line.line, from, to);
    li.addEventListener("click", open);
    li.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.isComposing) open();
    });
    return li;
  }
}

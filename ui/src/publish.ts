// Publish: the dialog that checks the post, lists what to fix (with one-click fixes), runs the
// engine's publish with a step-by-step progress, and says how it ended in the writer's language;
// and the status line of the branch and working tree. All git work happens in the engine.
import { Channel } from "@tauri-apps/api/core";
import { api } from "./api";
import type { Fix } from "./bindings/Fix";
import type { Problem } from "./bindings/Problem";
import type { PublishOutcome } from "./bindings/PublishOutcome";
import type { PublishStep } from "./bindings/PublishStep";
import type { RepoStatus } from "./bindings/RepoStatus";
import { t } from "./i18n";

export interface PublishHost {
  /** The post shown, as a path from the site root. */
  shown(): string | null;
  /** Saves the shown post; false when it could not be saved. */
  save(): Promise<boolean>;
  /** Makes a fix in the shown post's text (and saves it). */
  fix(fix: Fix): Promise<void>;
  goToLine(line: number): void;
  /** Whether the shown post has unsaved edits. */
  dirty(): boolean;
  /** The shown post's title, for the default commit message. */
  title(): string;
}

const STEPS: PublishStep[] = ["checking", "staging", "committing", "fetching", "rebasing", "pushing"];

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** How publishing ended, in the interface language. */
export function outcomeText(o: PublishOutcome): string {
  const kept = (committed: boolean) => (committed ? ` ${t("pubKept")}` : "");
  switch (o.kind) {
    case "published": {
      let text = t(o.rebased ? "pubDoneRebased" : "pubDone", o.commit, o.branch);
      if (o.url) text += ` ${t("pubUrl", o.url)}`;
      if (o.leftAlone.length > 0) text += ` ${t("pubLeftAlone", String(o.leftAlone.length), o.leftAlone.join(", "))}`;
      return text;
    }
    case "alreadyPublished":
      return o.url ? t("pubAlreadyAt", o.url) : t("pubAlready");
    case "dryRun":
      return o.stage.join(", ");
    case "checksFailed":
      return t("pubChecksFailed");
    case "gitMissing":
      return t("pubGitMissing");
    case "notARepository":
      return t("pubNotARepository");
    case "noRemote":
      return t("pubNoRemote");
    case "noUpstream":
      return t("pubNoUpstream", o.branch);
    case "detachedHead":
      return t("pubDetached");
    case "inProgress":
      return t("pubInProgress", t(`op_${o.operation}` as "op_merge"));
    case "noIdentity":
      return t("pubNoIdentity");
    case "needsCredentials":
      return t("pubCredentials", o.remote) + kept(o.committed);
    case "unreachable":
      return t("pubUnreachable", o.remote, o.detail) + kept(o.committed);
    case "timedOut":
      return t("pubTimedOut", t(`step_${o.step}`)) + kept(o.committed);
    case "pushRejected":
      return t("pubRejected") + kept(o.committed);
    case "hookRejected":
      return t("pubHookRejected", o.message) + kept(o.committed);
    case "rebaseConflict":
      return t("pubConflict", o.files.join(", "));
    case "gitFailed":
      return t("pubGitFailed", t(`step_${o.step}`), o.message);
  }
}

function statusText(s: RepoStatus, dirty: boolean): string {
  if (s.problem) return t("stNoGit");
  const parts = [`⎇ ${s.branch}`];
  if (dirty) parts.push(t("unsaved"));
  if (s.uncommitted) parts.push(t("stUncommitted"));
  if (s.ahead > 0) parts.push(t("stAhead", String(s.ahead)));
  if (s.behind > 0) parts.push(t("stBehind", String(s.behind)));
  if (s.otherChanges > 0) parts.push(t("stOther", String(s.otherChanges)));
  parts.push(s.lastPublished ? t("stPublished", s.lastPublished.slice(0, 10)) : t("stNeverPublished"));
  return parts.join(" · ");
}

export class Publisher {
  private readonly dialog = $<HTMLDialogElement>("publish-dialog");
  private readonly problems = $("publish-problems");
  private readonly steps = $("publish-steps");
  private readonly outcome = $("publish-outcome");
  private readonly go = $<HTMLButtonElement>("publish-go");
  private readonly message = $<HTMLInputElement>("publish-message");
  private warningsOnly = false;
  private running = false;
  private statusAsked = 0;
  private status: RepoStatus | null = null;

  constructor(private readonly host: PublishHost) {
    $("publish").addEventListener("click", () => void this.open());
    this.go.addEventListener("click", () => void this.run());
    $("publish-close").addEventListener("click", () => this.dialog.close());
    this.dialog.addEventListener("cancel", (e) => {
      if (this.running) e.preventDefault();
    });
    window.addEventListener("focus", () => void this.refreshStatus());
  }

  /** Updates the status line of the shown post's branch and working tree. */
  async refreshStatus(): Promise<void> {
    const path = this.host.shown();
    const line = $("repo-status");
    if (!path) {
      line.textContent = "";
      return;
    }
    const ticket = ++this.statusAsked;
    try {
      const status = await api.repoStatus(path);
      if (ticket !== this.statusAsked) return;
      this.status = status;
      this.showStatus();
    } catch {
      this.status = null;
      line.textContent = "";
    }
  }

  /** Shows the last known status again (the unsaved mark changes without asking git). */
  showStatus(): void {
    const line = $("repo-status");
    if (!this.status || !this.host.shown()) return;
    line.textContent = statusText(this.status, this.host.dirty());
    line.title = this.status.problem ?? "";
  }

  private async open(): Promise<void> {
    const path = this.host.shown();
    if (!path || !(await this.host.save())) return;
    this.outcome.textContent = "";
    this.outcome.className = "publish-outcome";
    this.steps.replaceChildren();
    this.message.value = "";
    this.message.placeholder = `Publish: ${this.host.title()}`;
    $("publish-heading").textContent = t("pubHeading", path);
    this.dialog.showModal();
    await this.check();
  }

  private async check(): Promise<void> {
    const path = this.host.shown()!;
    this.go.disabled = true;
    this.problems.replaceChildren(Object.assign(document.createElement("li"), { textContent: t("pubChecking") }));
    let problems: Problem[];
    try {
      problems = await api.checkPost(path);
    } catch (e) {
      this.problems.replaceChildren(Object.assign(document.createElement("li"), { textContent: String(e) }));
      return;
    }
    const errors = problems.filter((p) => p.severity === "error").length;
    this.warningsOnly = errors === 0 && problems.length > 0;
    this.go.disabled = errors > 0;
    this.go.textContent = t(this.warningsOnly ? "pubAnyway" : "publish");
    this.problems.replaceChildren(
      ...(problems.length === 0
        ? [Object.assign(document.createElement("li"), { className: "ok", textContent: t("pubReady") })]
        : problems.map((p) => this.problemItem(p))),
    );
  }

  private problemItem(p: Problem): HTMLElement {
    const li = document.createElement("li");
    li.className = p.severity;
    const label = document.createElement("strong");
    label.textContent = t(p.severity === "error" ? "sevError" : "sevWarning");
    li.append(label, " ");
    if (p.line !== null) {
      const at = document.createElement("button");
      at.type = "button";
      at.className = "link";
      at.textContent = t("line", String(p.line));
      at.addEventListener("click", () => {
        this.dialog.close();
        this.host.goToLine(p.line!);
      });
      li.append(at, " ");
    }
    li.append(problemText(p));
    if (p.fix) {
      const fix = document.createElement("button");
      fix.type = "button";
      fix.textContent = t("fix");
      fix.addEventListener("click", async () => {
        await this.host.fix(p.fix!);
        await this.check();
      });
      li.append(" ", fix);
    }
    return li;
  }

  private async run(): Promise<void> {
    const path = this.host.shown();
    if (!path || this.running) return;
    this.running = true;
    this.go.disabled = true;
    this.outcome.textContent = "";
    const items = new Map<PublishStep, HTMLElement>();
    this.steps.replaceChildren(
      ...STEPS.map((step) => {
        const li = document.createElement("li");
        li.textContent = t(`step_${step}`);
        li.dataset.step = step;
        items.set(step, li);
        return li;
      }),
    );
    const onStep = new Channel<PublishStep>();
    let current: PublishStep | null = null;
    onStep.onmessage = (step) => {
      if (current) items.get(current)!.className = "done";
      current = step;
      items.get(step)!.className = "active";
    };
    try {
      const outcome = await api.publishPost(path, this.message.value.trim() || null, this.warningsOnly, onStep);
      const ok = outcome.kind === "published" || outcome.kind === "alreadyPublished";
      if (current) items.get(current)!.className = ok ? "done" : "failed";
      // Steps publishing did not need (no rebase when nobody pushed first) are shown as skipped.
      const reached = current ? STEPS.indexOf(current) : -1;
      STEPS.slice(0, reached).forEach((step) => {
        const li = items.get(step)!;
        if (!li.className) li.className = "skipped";
      });
      this.outcome.className = `publish-outcome ${ok ? "ok" : "failed"}`;
      this.outcome.dataset.kind = outcome.kind;
      this.outcome.textContent = outcomeText(outcome);
      if (outcome.kind === "checksFailed") await this.check();
    } catch (e) {
      this.outcome.className = "publish-outcome failed";
      this.outcome.textContent = String(e);
    } finally {
      this.running = false;
      void this.refreshStatus();
    }
  }
}

/** A problem in the writer's language when the window knows its kind, else as the engine says it. */
function problemText(p: Problem): string {
  switch (p.known?.kind) {
    case "heldUntil":
      return t("heldUntil", p.known.date);
    case "noAlt":
      return t("noAlt", p.known.image);
    default:
      return p.message;
  }
}

// Which site the window shows: the welcome page when none is open, and the Sites dialog with the
// same choices — Open site… (the system's folder picker), Clone a blog… (system git, with
// progress and Cancel), Try the sample blog, and the recent sites. The engine checks folders,
// clones and copies; this module asks, shows progress and says what happened.
import { Channel } from "@tauri-apps/api/core";
import { open } from "@tauri-apps/plugin-dialog";
import { api } from "./api";
import type { CloneOutcome } from "./bindings/CloneOutcome";
import type { CloneProgress } from "./bindings/CloneProgress";
import type { OpenProblem } from "./bindings/OpenProblem";
import type { SiteOverview } from "./bindings/SiteOverview";
import { t } from "./i18n";

export interface SitesHost {
  /** The site the window shows. */
  current(): SiteOverview | null;
  /**
   * Lets go of the site shown, with the rules of closing the window for its unsaved posts
   * (saved, or dropped by the writer's choice); false when the writer stays.
   */
  leave(): Promise<boolean>;
  /** Shows `site` (just opened by the engine), or the site still open when opening failed. */
  show(site: SiteOverview | null): Promise<void>;
  status(text: string): void;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** The folder name a clone of `url` gets unless the writer names it: the repository's name. */
function repositoryName(url: string): string {
  const last = url.trim().replace(/[/\\]+$/, "").split(/[/\\:]/).pop() ?? "";
  return last.replace(/\.git$/, "");
}

/** `parent` and `name` joined with the separator `parent` already uses. */
function joinPath(parent: string, name: string): string {
  const sep = parent.includes("\\") && !parent.includes("/") ? "\\" : "/";
  return parent.endsWith(sep) ? parent + name : parent + sep + name;
}

export class Sites {
  private readonly panel = $("sites-panel");
  private readonly dialog = $<HTMLDialogElement>("sites-dialog");
  private readonly message = $("sites-message");
  private readonly cloneDialog = $<HTMLDialogElement>("clone-dialog");
  private readonly url = $<HTMLInputElement>("clone-url");
  private readonly parent = $<HTMLInputElement>("clone-parent");
  private readonly name = $<HTMLInputElement>("clone-name");
  private readonly cloneStatus = $("clone-status");
  private readonly bar = $<HTMLProgressElement>("clone-progress");
  /** The writer typed a folder name: the address no longer names it. */
  private nameTyped = false;
  private cloning = false;
  /** The clone under way, to wait for when the window closes. */
  private running: Promise<CloneOutcome> | null = null;

  constructor(private readonly host: SitesHost) {
    $("sites").addEventListener("click", () => void this.showDialog());
    $("sites-close").addEventListener("click", () => this.dialog.close());
    $("open-site").addEventListener("click", () => void this.pickFolder());
    $("clone-blog").addEventListener("click", () => void this.showClone());
    $("try-sample").addEventListener("click", () => void this.trySample());
    this.url.addEventListener("input", () => {
      if (!this.nameTyped) this.name.value = repositoryName(this.url.value);
      this.showTarget();
    });
    this.name.addEventListener("input", () => {
      this.nameTyped = this.name.value.trim() !== "";
      this.showTarget();
    });
    this.parent.addEventListener("input", () => this.showTarget());
    $("clone-choose").addEventListener("click", () => void this.chooseParent());
    $<HTMLFormElement>("clone-form").addEventListener("submit", (e) => {
      e.preventDefault();
      void this.clone();
    });
    $("clone-cancel").addEventListener("click", () => {
      if (this.cloning) void this.cancelClone();
      else this.cloneDialog.close();
    });
    // Escape while cloning cancels the clone; the dialog stays to say how it ended.
    this.cloneDialog.addEventListener("cancel", (e) => {
      if (!this.cloning) return;
      e.preventDefault();
      void this.cancelClone();
    });
  }

  /** Shows the welcome page (no site is open) with the recent sites. */
  async welcome(): Promise<void> {
    $("welcome").append(this.panel);
    await this.listRecent();
  }

  private async showDialog(): Promise<void> {
    this.message.textContent = "";
    $("sites-dialog-body").append(this.panel);
    await this.listRecent();
    this.dialog.showModal();
  }

  private async listRecent(): Promise<void> {
    const list = $("recent-sites");
    const current = this.host.current()?.root;
    const recent = (await api.recentSites()).filter((s) => s.root !== current);
    list.replaceChildren();
    for (const site of recent) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      const title = document.createElement("strong");
      title.textContent = site.title;
      const path = document.createElement("span");
      path.className = "path";
      path.textContent = site.root;
      button.append(title, path);
      button.addEventListener("click", () => void this.openFolder(site.root));
      li.append(button);
      list.append(li);
    }
    if (recent.length === 0) {
      list.append(Object.assign(document.createElement("li"), { className: "empty", textContent: t("noRecentSites") }));
    }
  }

  /** Open site…: the folder picker until the writer picks a site or gives up. */
  private async pickFolder(): Promise<void> {
    let title = t("openSiteTitle");
    for (;;) {
      const picked = await open({ directory: true, title });
      if (typeof picked !== "string") return;
      if (await this.openFolder(picked)) return;
      title = t("notASiteTitle");
    }
  }

  /**
   * Opens the site in the folder `path` (what the folder picker, a recent site or a clone gives);
   * false when it is not a site, which is said on the page. The test harness calls this too,
   * as `window.__postdeskOpenFolder`: the picker itself is the system's.
   */
  async openFolder(path: string): Promise<boolean> {
    this.message.textContent = "";
    let root: string;
    try {
      root = await api.findSite(path);
    } catch (e) {
      const problem = e as OpenProblem;
      this.message.textContent =
        problem.kind === "notASite" ? t("notASite", problem.folder) : `${t("openSiteFailed", path)}: ${problem.message}`;
      return false;
    }
    if (root === this.host.current()?.root) {
      this.dialog.close();
      return true;
    }
    if (!(await this.host.leave())) return true;
    try {
      await this.opened(await api.openSite(root));
    } catch (e) {
      // Gone between the look and the opening: the site that was open still is.
      await this.host.show(await api.currentSite());
      const problem = e as OpenProblem;
      this.message.textContent = problem.kind === "notASite" ? t("notASite", problem.folder) : problem.message;
    }
    return true;
  }

  private async trySample(): Promise<void> {
    this.message.textContent = "";
    if (!(await this.host.leave())) return;
    try {
      const site = await api.openSample();
      await this.opened(site, t("sampleOpened", site.root));
    } catch (e) {
      await this.host.show(await api.currentSite());
      this.message.textContent = t("sampleFailed", String(e));
    }
  }

  /** Shows `site`, then says so in the status line: `message`, or that it was opened. */
  private async opened(site: SiteOverview, message = t("openedSite", site.title)): Promise<void> {
    this.dialog.close();
    await this.host.show(site);
    this.host.status(message);
  }

  // ---- Clone a blog… ---------------------------------------------------------------------

  private async showClone(): Promise<void> {
    this.url.value = "";
    this.name.value = "";
    this.nameTyped = false;
    if (!this.parent.value) this.parent.value = await api.documentsFolder();
    this.cloneStatus.textContent = "";
    this.cloneStatus.className = "clone-status";
    this.bar.hidden = true;
    this.showTarget();
    this.cloneDialog.showModal();
    this.url.focus();
  }

  private target(): string | null {
    const parent = this.parent.value.trim();
    const name = this.name.value.trim();
    return parent && name ? joinPath(parent, name) : null;
  }

  private showTarget(): void {
    const target = this.target();
    $("clone-target").textContent = target ? t("cloneInto", target) : "";
    $<HTMLButtonElement>("clone-go").disabled = this.cloning || !target || !this.url.value.trim();
  }

  private async chooseParent(): Promise<void> {
    const picked = await open({ directory: true, title: t("cloneChooseTitle"), defaultPath: this.parent.value || undefined });
    if (typeof picked === "string") {
      this.parent.value = picked;
      this.showTarget();
    }
  }

  private setCloning(cloning: boolean): void {
    this.cloning = cloning;
    for (const input of [this.url, this.parent, this.name]) input.disabled = cloning;
    $<HTMLButtonElement>("clone-choose").disabled = cloning;
    this.showTarget();
  }

  private async cancelClone(): Promise<void> {
    this.cloneStatus.textContent = t("cloneCancelling");
    await api.cancelClone();
  }

  /** Whether a clone is under way. */
  busy(): boolean {
    return this.running !== null;
  }

  /**
   * Cancels the clone under way and waits until it has cleaned up: git runs on its own, and a
   * window closed under it would leave its hidden folder behind.
   */
  async stopCloning(): Promise<void> {
    const running = this.running;
    if (!running) return;
    await this.cancelClone();
    await running.catch(() => null);
  }

  private showProgress(p: CloneProgress): void {
    this.bar.hidden = false;
    if (p.percent === null) this.bar.removeAttribute("value");
    else this.bar.value = p.percent;
    const amount = [p.percent === null ? "" : `${p.percent}%`, p.received ? `(${p.received})` : ""].filter(Boolean).join(" ");
    this.cloneStatus.textContent = t(`clone_${p.step}`, amount).trim();
  }

  private async clone(): Promise<void> {
    const target = this.target();
    const url = this.url.value.trim();
    if (!target || !url || this.cloning) return;
    this.setCloning(true);
    this.cloneStatus.className = "clone-status";
    const onProgress = new Channel<CloneProgress>();
    onProgress.onmessage = (p) => {
      if (this.cloning) this.showProgress(p);
    };
    let outcome: CloneOutcome;
    try {
      this.running = api.cloneSite(url, target, onProgress);
      outcome = await this.running;
    } catch (e) {
      outcome = { kind: "gitFailed", message: String(e) };
    } finally {
      this.running = null;
      this.setCloning(false);
      this.bar.hidden = true;
    }
    if (outcome.kind === "cloned") {
      this.cloneDialog.close();
      if (!(await this.openFolder(outcome.folder))) this.message.textContent = t("clonedNotASite", outcome.folder);
      return;
    }
    this.cloneStatus.className = "clone-status failed";
    this.cloneStatus.textContent = cloneFailure(outcome);
  }
}

/** What a clone that did not happen says: why, and that nothing was left behind. */
function cloneFailure(outcome: Exclude<CloneOutcome, { kind: "cloned" }>): string {
  const nothingKept = ` ${t("cloneNothingKept")}`;
  switch (outcome.kind) {
    case "cancelled":
      return t("cloneCancelled");
    case "badAddress":
      return t("cloneBadAddress", outcome.url);
    case "folderNotEmpty":
      return t("cloneFolderNotEmpty", outcome.folder);
    case "noSuchFolder":
      return t("cloneNoSuchFolder", outcome.folder);
    case "cannotWrite":
      return t("cloneCannotWrite", outcome.folder, outcome.detail) + nothingKept;
    case "gitMissing":
      return t("cloneGitMissing");
    case "needsCredentials":
      return t("cloneNeedsCredentials", outcome.url) + nothingKept;
    case "notFound":
      return t("cloneNotFound", outcome.url) + nothingKept;
    case "unreachable":
      return t("cloneUnreachable", outcome.url, outcome.detail) + nothingKept;
    case "timedOut":
      return t("cloneTimedOut") + nothingKept;
    case "gitFailed":
      return t("cloneGitFailed", outcome.message) + nothingKept;
  }
}

// Images in the window: files dropped on the editor (inserted where dropped), an image pasted
// from the clipboard (read by Rust: the webview's paste event carries none on Linux), files
// picked in a dialog, with a progress bar for batches; and the image panel of the open post with
// its one-click fix. The engine processes, names and stores every image.
import { Channel } from "@tauri-apps/api/core";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open } from "@tauri-apps/plugin-dialog";
import type { EditorView } from "@codemirror/view";
import { api } from "./api";
import type { ImageInfo } from "./bindings/ImageInfo";
import type { ImageText } from "./bindings/ImageText";
import type { ImportOutcome } from "./bindings/ImportOutcome";
import { t } from "./i18n";

export interface ImageHost {
  shown(): string | null;
  view(): EditorView;
  /** Resolves once no input-method composition is going on in the editor. */
  composed(): Promise<void>;
  /** Makes the shown post's text `text` (one undo step). */
  replaceText(text: string): void;
  save(): Promise<boolean>;
  /** Reads the shown post again from disk after the engine changed it. */
  reload(): Promise<void>;
  status(text: string, error?: boolean): void;
  goToLine(line: number): void;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const EXTENSIONS = ["png", "jpg", "jpeg", "gif", "webp", "svg"];

function kb(bytes: bigint | number): string {
  return `${Math.max(1, Math.round(Number(bytes) / 1024))} KB`;
}

export class ImageManager {
  private panelTimer: number | undefined;

  constructor(private readonly host: ImageHost) {
    void getCurrentWebview().onDragDropEvent((event) => {
      const editor = document.getElementById("editor")!;
      if (event.payload.type === "over" || event.payload.type === "enter") {
        editor.classList.toggle("drop-target", this.host.shown() !== null);
      } else if (event.payload.type === "leave") {
        editor.classList.remove("drop-target");
      } else if (event.payload.type === "drop") {
        editor.classList.remove("drop-target");
        const ratio = window.devicePixelRatio || 1;
        const { x, y } = event.payload.position;
        const at = this.host.view().posAtCoords({ x: x / ratio, y: y / ratio });
        void this.importFiles(event.payload.paths, at);
      }
    });
    // An image on the clipboard: the paste event has no text then (and no image, on Linux).
    this.host.view().dom.addEventListener(
      "paste",
      (e) => {
        const types = Array.from(e.clipboardData?.types ?? []);
        if (types.includes("text/plain") && !types.includes("Files")) return;
        e.preventDefault();
        void this.paste();
      },
      true,
    );
    $("add-images").addEventListener("click", () => void this.pick());
    $("fix-images").addEventListener("click", () => void this.fixImages());
    $("remove-unused").addEventListener("click", () => void this.removeUnused());
    $("image-settings").addEventListener("click", () => void this.editSettings());
    $("image-settings-cancel").addEventListener("click", () => $<HTMLDialogElement>("image-settings-dialog").close());
    $<HTMLFormElement>("image-settings-form").addEventListener("submit", (e) => {
      e.preventDefault();
      void this.saveSettings();
    });
  }

  /** Shows the site's image folder and width (what is in effect, greyed when learned). */
  private async editSettings(): Promise<void> {
    const now = await api.imageSettings();
    const folder = $<HTMLInputElement>("image-folder");
    const width = $<HTMLInputElement>("image-width");
    folder.value = now.folderSet ? now.folder : "";
    folder.placeholder = now.folder;
    width.value = now.maxWidthSet ? String(now.maxWidth) : "";
    width.placeholder = String(now.maxWidth);
    $("image-settings-error").textContent = "";
    $<HTMLDialogElement>("image-settings-dialog").showModal();
  }

  /** Writes them into `_config.yml` through the engine; a refused value is said in the dialog. */
  private async saveSettings(): Promise<void> {
    const folder = $<HTMLInputElement>("image-folder").value.trim();
    const width = $<HTMLInputElement>("image-width").value.trim();
    try {
      await api.setImageSettings(folder || null, width ? Number(width) : null);
      $<HTMLDialogElement>("image-settings-dialog").close();
      this.host.status(t("imageSettingsSaved"));
      this.schedulePanel(0);
    } catch (err) {
      $("image-settings-error").textContent = String(err);
    }
  }

  private async pick(): Promise<void> {
    if (!this.host.shown()) return;
    const picked = await open({ multiple: true, filters: [{ name: t("imagesFilter"), extensions: EXTENSIONS }] });
    const paths = picked === null ? [] : Array.isArray(picked) ? picked : [picked];
    if (paths.length > 0) await this.importFiles(paths, null);
  }

  private async paste(): Promise<void> {
    const path = this.host.shown();
    if (!path) return;
    try {
      const image = await api.pasteImage(path);
      if (!image) {
        this.host.status(t("clipboardNoImage"));
        return;
      }
      await this.insert(path, [image.markdown], null);
      this.host.status(t(image.reused ? "imageReused" : "imageAdded", image.file, kb(image.bytes)));
      this.schedulePanel(0);
    } catch (e) {
      this.host.status(String(e), true);
    }
  }

  /** Brings `paths` into the shown post and inserts their links at `at` (else the cursor). */
  async importFiles(paths: string[], at: number | null): Promise<void> {
    const post = this.host.shown();
    if (!post || paths.length === 0) return;
    const bar = $<HTMLProgressElement>("import-progress");
    bar.max = paths.length;
    bar.value = 0;
    bar.hidden = false;
    const progress = new Channel<[number, number]>();
    progress.onmessage = ([done]) => (bar.value = done);
    try {
      const outcomes: ImportOutcome[] = await api.importImages(post, paths, progress);
      if (this.host.shown() !== post) return;
      const links = outcomes.flatMap((o) => (o.kind === "imported" ? [o.image.markdown] : []));
      const failed = outcomes.flatMap((o) => (o.kind === "failed" ? [o.message] : []));
      if (links.length > 0) await this.insert(post, links, at);
      this.host.status(
        failed.length > 0 ? failed.join(" · ") : t("imagesAdded", String(links.length)),
        failed.length > 0,
      );
      this.schedulePanel(0);
    } catch (e) {
      this.host.status(String(e), true);
    } finally {
      bar.hidden = true;
    }
  }

  /**
   * Inserts image links as their own paragraph at `at` (or the cursor) of `post` if it is still
   * shown: one undo step, made once no syllable is being composed.
   */
  private async insert(post: string, links: string[], at: number | null): Promise<void> {
    await this.host.composed();
    if (this.host.shown() !== post) return;
    const view = this.host.view();
    const pos = at ?? view.state.selection.main.head;
    const doc = view.state.doc;
    const before = pos > 0 && doc.sliceString(pos - 1, pos) !== "\n" ? "\n\n" : "";
    const after = pos < doc.length && doc.sliceString(pos, pos + 1) !== "\n" ? "\n\n" : "\n";
    const insert = `${before}${links.join("\n\n")}${after}`;
    view.dispatch({
      changes: { from: pos, insert },
      selection: { anchor: pos + insert.length },
      userEvent: "input.paste",
      scrollIntoView: true,
    });
    view.focus();
  }

  /** Refreshes the panel `delay` ms from now (edits come in bursts). */
  schedulePanel(delay = 800): void {
    window.clearTimeout(this.panelTimer);
    this.panelTimer = window.setTimeout(() => void this.refreshPanel(), delay);
  }

  private async refreshPanel(): Promise<void> {
    const path = this.host.shown();
    const list = $("image-list");
    if (!path) {
      list.replaceChildren();
      return;
    }
    // Not while the writer is in an alt text or caption field: drawing the list again would
    // take the field away under the cursor.
    if (list.contains(document.activeElement)) return this.schedulePanel();
    const panel = await api.imagePanel(path, this.host.view().state.doc.toString());
    if (path !== this.host.shown() || list.contains(document.activeElement)) return this.schedulePanel();
    $("images-folder").textContent = panel.folder;
    const items = [...panel.used.map((i) => this.item(i, false)), ...panel.unused.map((i) => this.item(i, true))];
    list.replaceChildren(...items);
    if (items.length === 0) list.append(Object.assign(document.createElement("li"), { className: "empty", textContent: t("noImages") }));
    const fixable = panel.used.some((i) => i.problems.length > 0);
    $<HTMLButtonElement>("fix-images").hidden = !fixable;
    $<HTMLButtonElement>("remove-unused").hidden = panel.unused.length === 0;
  }

  private item(info: ImageInfo, unused: boolean): HTMLElement {
    const li = document.createElement("li");
    li.className = info.missing ? "missing" : unused ? "unused" : "";
    li.dataset.file = info.file;
    if (!info.missing) {
      const img = document.createElement("img");
      img.src = info.url;
      img.alt = "";
      img.loading = "lazy";
      li.append(img);
    }
    const text = document.createElement("div");
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = info.file.split("/").pop()!;
    name.title = info.file;
    const meta = document.createElement("span");
    meta.className = "meta";
    const notes: string[] = [];
    if (info.missing) notes.push(t("imageMissing"));
    else notes.push(`${info.width}×${info.height}`, kb(info.bytes));
    if (unused) notes.push(t("imageUnused"));
    for (const p of info.problems) notes.push(t(`imageProblem_${p}` as "imageProblem_heavy"));
    meta.textContent = notes.join(" · ");
    text.append(name, meta);
    if (info.text && !unused) text.append(this.textFields(info.file, info.text));
    li.append(text);
    if (info.line !== null) {
      li.title = t("line", String(info.line));
      li.addEventListener("click", () => this.host.goToLine(info.line!));
    }
    return li;
  }

  /** The image's alt text and caption, each saved into the post when the writer commits it. */
  private textFields(file: string, now: ImageText): HTMLElement {
    const fields = document.createElement("div");
    fields.className = "image-text";
    const field = (key: "alt" | "caption", label: string) => {
      const input = document.createElement("input");
      input.className = key;
      input.value = now[key];
      input.placeholder = label;
      input.setAttribute("aria-label", label);
      input.addEventListener("click", (e) => e.stopPropagation());
      input.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && !e.isComposing) input.blur();
        if (e.key === "Escape" && !e.isComposing) {
          input.value = now[key];
          input.blur();
        }
      });
      return input;
    };
    const alt = field("alt", t("imageAlt"));
    const caption = field("caption", t("imageCaption"));
    const commit = () => {
      const wanted = { alt: alt.value, caption: caption.value };
      if (wanted.alt !== now.alt || wanted.caption !== now.caption) void this.setText(file, wanted);
    };
    alt.addEventListener("change", commit);
    caption.addEventListener("change", commit);
    fields.append(alt, caption);
    return fields;
  }

  /** Writes `wanted` into the shown post's text for the image `file`: one undo step. */
  private async setText(file: string, wanted: ImageText): Promise<void> {
    const path = this.host.shown();
    if (!path) return;
    const view = this.host.view();
    const before = view.state.doc.toString();
    try {
      const after = await api.setImageText(path, before, file, wanted);
      await this.host.composed();
      // Typed over meanwhile: the panel shows the text as it is now, and the writer tries again.
      if (path !== this.host.shown() || view.state.doc.toString() !== before) return;
      this.host.replaceText(after);
      this.host.status(t("imageTextSet"));
    } catch (e) {
      this.host.status(String(e), true);
    } finally {
      this.schedulePanel(0);
    }
  }

  /** Deletes the images of the post's folder that no post shows (this one by its current text). */
  private async removeUnused(): Promise<void> {
    const path = this.host.shown();
    if (!path) return;
    try {
      const removed = await api.removeUnusedImages(path, this.host.view().state.doc.toString());
      this.host.status(t("removedUnused", String(removed.length)));
      this.schedulePanel(0);
    } catch (e) {
      this.host.status(String(e), true);
    }
  }

  /** Normalizes the shown post's images (saved first), then shows the fixed text. */
  async fixImages(): Promise<void> {
    const path = this.host.shown();
    if (!path || !(await this.host.save())) return;
    try {
      const plan = await api.planNormalize(path);
      if (plan.posts.length === 0 && plan.renames.length === 0 && plan.recompress.length === 0) {
        this.host.status(t("nothingToFix"));
        return;
      }
      await api.applyNormalize(plan);
      await this.host.reload();
      this.host.status(t("imagesFixed", String(plan.renames.length), String(plan.recompress.length), String(plan.posts.length)));
      this.schedulePanel(0);
    } catch (e) {
      this.host.status(String(e), true);
    }
  }
}

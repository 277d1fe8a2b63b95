// The outline: the shown post's headings as the site render makes them (the ids kramdown gives
// them, which of them the theme's TOC lists), in the sidebar under the post list. A click goes to
// the heading in the editor and in the preview; dragging a heading (pointer events: real mouse
// input drives them in WebKitGTK, where HTML5 drag events meet the window's own file drop) or
// Alt+↑/↓ moves its section, by the engine, as one undo step. Not for: finding headings (the
// engine does, from the render).
import { isolateHistory } from "@codemirror/commands";
import { EditorView } from "@codemirror/view";
import { api } from "./api";
import type { Heading } from "./bindings/Heading";
import type { Outline } from "./bindings/Outline";
import { t } from "./i18n";

export interface OutlineHost {
  shown(): string | null;
  view(): EditorView;
  /** Scrolls the preview to the element with this id. */
  revealInPreview(id: string): void;
  status(text: string, error?: boolean): void;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** How far (px) the pointer moves before a press on a heading becomes a drag. */
const DRAG_FROM = 4;

interface Drag {
  pointer: number;
  index: number;
  startY: number;
  /** Moving: past `DRAG_FROM`. */
  moving: boolean;
  /** Where it would go: before heading `before`, or to the end (null); undefined: nowhere. */
  before?: number | null;
}

export class OutlinePanel {
  private panel = $("outline-panel");
  private list = $<HTMLOListElement>("outline-list");
  private toggle = $<HTMLButtonElement>("toggle-outline");
  /** The number of the last request: an answer to an older one is dropped. */
  private asked = 0;
  private outline: Outline | null = null;
  /** The post and text the outline shown was made from. */
  private madeFrom: { path: string; text: string } | null = null;
  private selected: number | null = null;
  /** After a move: the line of the moved heading, to select once the new outline comes. */
  private selectLine: number | null = null;
  private drag: Drag | null = null;

  constructor(private host: OutlineHost) {
    this.toggle.addEventListener("click", () => this.setOpen(!this.isOpen()));
    this.setOpen(localStorage.getItem("postdesk.outline") === "1");
    this.list.addEventListener("pointerdown", (e) => this.press(e));
    this.list.addEventListener("pointermove", (e) => this.movePointer(e));
    this.list.addEventListener("pointerup", (e) => void this.release(e));
    this.list.addEventListener("pointercancel", () => this.endDrag());
    this.list.addEventListener("keydown", (e) => void this.key(e));
  }

  isOpen(): boolean {
    return !this.panel.hidden;
  }

  /** Shows or hides the panel (remembered for the next start). */
  setOpen(open: boolean): void {
    this.panel.hidden = !open;
    document.body.classList.toggle("outline-open", open);
    this.toggle.setAttribute("aria-pressed", String(open));
    localStorage.setItem("postdesk.outline", open ? "1" : "0");
    if (open) void this.refresh();
  }

  /** Shows nothing (no post is shown). */
  clear(): void {
    this.asked++;
    this.outline = null;
    this.madeFrom = null;
    this.selected = null;
    this.draw();
  }

  /** Asks the engine for the shown post's outline again, when the panel shows and the text changed. */
  async refresh(): Promise<void> {
    const path = this.host.shown();
    if (!path) return this.clear();
    if (!this.isOpen()) return;
    const text = this.host.view().state.doc.toString();
    if (this.madeFrom?.path === path && this.madeFrom.text === text) return;
    const asked = ++this.asked;
    let outline: Outline;
    try {
      outline = await api.postOutline(path, text);
    } catch (e) {
      if (asked === this.asked) this.host.status(String(e), true);
      return;
    }
    if (asked !== this.asked || path !== this.host.shown()) return;
    if (this.madeFrom?.path !== path) this.selected = null;
    this.outline = outline;
    this.madeFrom = { path, text };
    if (this.selectLine !== null) {
      const at = outline.headings.findIndex((h) => h.line >= this.selectLine!);
      this.selected = at < 0 ? null : at;
      this.selectLine = null;
    }
    // A drag in progress keeps the list it started on; the new one is drawn when it ends.
    if (!this.drag?.moving) this.draw();
  }

  /** Draws the language's words again. */
  redraw(): void {
    this.draw();
  }

  private draw(): void {
    const outline = this.outline;
    const headings = outline?.headings ?? [];
    const toc = $("outline-toc");
    toc.hidden = !outline?.toc;
    toc.textContent = outline?.toc ? t("outlineToc", outline.toc.label) : "";
    $("outline-empty").hidden = outline === null || headings.length > 0;
    if (this.selected !== null && this.selected >= headings.length) this.selected = null;
    const items = headings.map((h, i) => this.item(h, i, outline?.toc != null));
    const end = document.createElement("li");
    end.className = "outline-end";
    end.textContent = t("outlineDropEnd");
    end.hidden = true;
    end.setAttribute("role", "none");
    const top = this.list.scrollTop;
    this.list.replaceChildren(...items, end);
    this.list.scrollTop = top;
    const selected = this.selected === null ? null : items[this.selected];
    if (selected) this.list.setAttribute("aria-activedescendant", selected.id);
    else this.list.removeAttribute("aria-activedescendant");
  }

  private item(h: Heading, i: number, toc: boolean): HTMLLIElement {
    const li = document.createElement("li");
    li.id = `outline-${i}`;
    li.dataset.index = String(i);
    li.dataset.line = String(h.line);
    if (h.id) li.dataset.id = h.id;
    li.setAttribute("role", "treeitem");
    li.setAttribute("aria-level", String(h.level));
    li.setAttribute("aria-selected", String(i === this.selected));
    li.style.setProperty("--level", String(h.level));
    li.classList.toggle("in-toc", toc && h.inToc);
    li.classList.toggle("nested", !h.movable);
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = h.text;
    li.append(text);
    if (h.id) {
      const id = document.createElement("span");
      id.className = "id";
      id.textContent = `#${h.id}`;
      li.append(id);
    }
    const notes = [`${"#".repeat(h.level)} ${h.text}`];
    if (toc) notes.push(t(h.inToc ? "outlineInToc" : "outlineNotInToc"));
    if (!h.movable) notes.push(t("outlineNested"));
    li.title = notes.join("\n");
    return li;
  }

  private items(): HTMLLIElement[] {
    return Array.from(this.list.querySelectorAll<HTMLLIElement>("li[data-index]"));
  }

  /** Selects heading `index`, moves the editor's cursor to it and shows it there and in the preview. */
  private reveal(index: number, focusEditor: boolean): void {
    const h = this.outline?.headings[index];
    if (!h) return;
    this.select(index);
    const view = this.host.view();
    const line = view.state.doc.line(Math.min(h.line, view.state.doc.lines));
    view.dispatch({
      selection: { anchor: line.from },
      effects: EditorView.scrollIntoView(line.from, { y: "start" }),
    });
    if (focusEditor) view.focus();
    if (h.id) this.host.revealInPreview(h.id);
  }

  private select(index: number | null): void {
    this.selected = index;
    for (const li of this.items()) li.setAttribute("aria-selected", String(Number(li.dataset.index) === index));
    const li = index === null ? null : this.items()[index];
    if (li) {
      this.list.setAttribute("aria-activedescendant", li.id);
      li.scrollIntoView({ block: "nearest" });
    }
  }

  /** The last heading of the section of heading `index` (its subsections'). */
  private sectionEnd(index: number): number {
    const headings = this.outline!.headings;
    let end = index;
    while (end + 1 < headings.length && headings[end + 1].level > headings[index].level) end++;
    return end;
  }

  // ---- dragging ---------------------------------------------------------------------------

  private press(e: PointerEvent): void {
    if (e.button !== 0) return;
    const li = (e.target as Element).closest<HTMLLIElement>("li[data-index]");
    if (!li) return;
    e.preventDefault();
    this.list.focus({ preventScroll: true });
    this.drag = { pointer: e.pointerId, index: Number(li.dataset.index), startY: e.clientY, moving: false };
    this.list.setPointerCapture(e.pointerId);
  }

  private movePointer(e: PointerEvent): void {
    const drag = this.drag;
    if (!drag || e.pointerId !== drag.pointer) return;
    if (!drag.moving) {
      if (Math.abs(e.clientY - drag.startY) < DRAG_FROM) return;
      if (!this.outline?.headings[drag.index]?.movable) return;
      drag.moving = true;
      document.body.classList.add("outline-dragging");
      const end = this.sectionEnd(drag.index);
      for (const li of this.items()) {
        const i = Number(li.dataset.index);
        li.classList.toggle("moving", i >= drag.index && i <= end);
      }
      this.list.querySelector<HTMLElement>(".outline-end")!.hidden = false;
    }
    drag.before = this.dropAt(e.clientY, drag.index);
    for (const li of this.list.querySelectorAll("li")) {
      const i = li.dataset.index === undefined ? null : Number(li.dataset.index);
      li.classList.toggle("drop-before", drag.before !== undefined && i === drag.before);
    }
    this.list.querySelector(".outline-end")!.classList.toggle("drop-before", drag.before === null);
  }

  /** Where a drop at `y` puts the section of `index`: before a heading, at the end (null), or nowhere. */
  private dropAt(y: number, index: number): number | null | undefined {
    const headings = this.outline!.headings;
    const end = this.sectionEnd(index);
    let target: number | null = null;
    for (const li of this.items()) {
      const box = li.getBoundingClientRect();
      if (y < box.top + box.height / 2) {
        target = Number(li.dataset.index);
        break;
      }
    }
    // A heading inside a list or quote cannot be a place; the next one that can is.
    while (target !== null && !headings[target].movable) target = target + 1 < headings.length ? target + 1 : null;
    if (target !== null && target > index && target <= end) return undefined;
    return target;
  }

  private async release(e: PointerEvent): Promise<void> {
    const drag = this.drag;
    if (!drag || e.pointerId !== drag.pointer) return;
    this.endDrag();
    if (!drag.moving) {
      this.reveal(drag.index, false);
      return;
    }
    if (drag.before !== undefined && drag.before !== drag.index) await this.move(drag.index, drag.before);
  }

  private endDrag(): void {
    const drag = this.drag;
    this.drag = null;
    if (drag && this.list.hasPointerCapture(drag.pointer)) this.list.releasePointerCapture(drag.pointer);
    document.body.classList.remove("outline-dragging");
    if (drag?.moving) this.draw();
  }

  // ---- keys ---------------------------------------------------------------------------------

  private async key(e: KeyboardEvent): Promise<void> {
    const headings = this.outline?.headings ?? [];
    if (e.isComposing || headings.length === 0) return;
    const at = this.selected;
    if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
      e.preventDefault();
      if (at === null) return;
      const place = e.key === "ArrowUp" ? this.previousPlace(at) : this.nextPlace(at);
      if (place !== undefined) await this.move(at, place);
      return;
    }
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "ArrowUp" || e.key === "ArrowDown") {
      e.preventDefault();
      const next = at === null ? 0 : Math.min(headings.length - 1, Math.max(0, at + (e.key === "ArrowUp" ? -1 : 1)));
      this.reveal(next, false);
    } else if (e.key === "Home" || e.key === "End") {
      e.preventDefault();
      this.reveal(e.key === "Home" ? 0 : headings.length - 1, false);
    } else if (e.key === "Enter" && at !== null) {
      e.preventDefault();
      this.reveal(at, true);
    }
  }

  /** Alt+↑: before the section of the same level before it (not out of its parent's). */
  private previousPlace(index: number): number | undefined {
    const headings = this.outline!.headings;
    for (let i = index - 1; i >= 0; i--) {
      if (headings[i].level < headings[index].level) return undefined;
      if (headings[i].level === headings[index].level) return headings[i].movable ? i : undefined;
    }
    return undefined;
  }

  /** Alt+↓: after the section of the same level after it (not out of its parent's). */
  private nextPlace(index: number): number | null | undefined {
    const headings = this.outline!.headings;
    const next = this.sectionEnd(index) + 1;
    if (next >= headings.length || headings[next].level < headings[index].level) return undefined;
    const after = this.sectionEnd(next) + 1;
    if (after >= headings.length) return null;
    return headings[after].movable ? after : undefined;
  }

  // ---- moving -------------------------------------------------------------------------------

  /** Moves the section of heading `index` before heading `before` (to the end: null), one undo step. */
  private async move(index: number, before: number | null): Promise<void> {
    const path = this.host.shown();
    const made = this.madeFrom;
    const view = this.host.view();
    const text = view.state.doc.toString();
    // The indices are those of the outline shown: it must be the text's.
    if (!path || made?.path !== path || made.text !== text || view.composing) return;
    const title = this.outline!.headings[index].text;
    let change;
    try {
      change = await api.moveSection(path, text, index, before);
    } catch (e) {
      this.host.status(t("outlineMoveFailed", String(e)), true);
      return;
    }
    // Typed over meanwhile: the change is for a text that is gone.
    if (this.host.shown() !== path || view.state.doc.toString() !== text || view.composing) return;
    if (change.from === change.to && change.insert === "") return;
    view.dispatch({
      changes: { from: change.from, to: change.to, insert: change.insert },
      selection: { anchor: change.section },
      effects: EditorView.scrollIntoView(change.section, { y: "start" }),
      userEvent: "move.section",
      annotations: isolateHistory.of("full"),
    });
    const line = view.state.doc.lineAt(change.section);
    // A `{: …}` line before the heading belongs to its section.
    this.selectLine = line.text.startsWith("{:") ? line.number + 1 : line.number;
    this.host.status(t("outlineMoved", title));
    await this.refresh();
  }
}

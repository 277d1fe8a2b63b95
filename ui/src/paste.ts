// Pasting text into the editor: HTML on the clipboard (a web page, Google Docs, Word, Notion)
// goes in as the markdown the engine writes for it; Ctrl+Shift+V pastes the clipboard's plain
// text as it is. Not for images: a pasted screenshot is the image manager's (images.ts).
import type { EditorView } from "@codemirror/view";
import { api } from "./api";
import { t } from "./i18n";

export interface PasteHost {
  shown(): string | null;
  view(): EditorView;
  status(text: string, error?: boolean): void;
}

export class PasteHandler {
  constructor(private readonly host: PasteHost) {
    const dom = host.view().dom;
    // Capture, on the editor's outer element: before CodeMirror's own paste of the plain text,
    // and before the image manager's listener (registered after this one), which takes a paste
    // without text/plain for an image: WebKitGTK offers only text/html when the clipboard
    // holds only HTML. A paste with files or an image is left to the image manager.
    dom.addEventListener(
      "paste",
      (e) => {
        if (!this.host.shown()) return;
        const types = Array.from(e.clipboardData?.types ?? []);
        if (types.some((t) => t === "Files" || t.startsWith("image/"))) return;
        const html = e.clipboardData?.getData("text/html") ?? "";
        if (!html.trim()) return;
        e.preventDefault();
        e.stopImmediatePropagation();
        void this.insertHtml(html);
      },
      true,
    );
    dom.addEventListener(
      "keydown",
      (e) => {
        // Never during an input method's composition (Hangul).
        if (e.isComposing || e.keyCode === 229) return;
        if ((e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey && e.key.toLowerCase() === "v") {
          e.preventDefault();
          e.stopPropagation();
          void this.pastePlain();
        }
      },
      true,
    );
  }

  private async insertHtml(html: string): Promise<void> {
    const path = this.host.shown();
    try {
      const pasted = await api.markdownFromHtml(html);
      if (this.host.shown() !== path || !pasted.markdown) return;
      this.insert(pasted.markdown, !pasted.inline);
      this.host.status(t("pastedAsMarkdown"));
    } catch (e) {
      this.host.status(String(e), true);
    }
  }

  private async pastePlain(): Promise<void> {
    const path = this.host.shown();
    if (!path) return;
    try {
      const text = await api.clipboardText();
      if (this.host.shown() !== path) return;
      if (!text) {
        this.host.status(t("clipboardNoText"));
        return;
      }
      this.insert(text, false);
    } catch (e) {
      this.host.status(String(e), true);
    }
  }

  /** Replaces the selection with `text`, as blocks of their own (blank lines around) if asked. */
  private insert(text: string, block: boolean): void {
    const view = this.host.view();
    const { from, to } = view.state.selection.main;
    const doc = view.state.doc;
    let before = "";
    let after = "";
    if (block) {
      const head = doc.sliceString(Math.max(0, from - 2), from);
      const tail = doc.sliceString(to, to + 2);
      before = from === 0 || head === "\n\n" ? "" : head.endsWith("\n") ? "\n" : "\n\n";
      after = to === doc.length ? "\n" : tail === "\n\n" ? "" : tail.startsWith("\n") ? "\n" : "\n\n";
    }
    const insert = before + text + after;
    view.dispatch({
      changes: { from, to, insert },
      selection: { anchor: from + before.length + text.length },
      userEvent: "input.paste",
      scrollIntoView: true,
    });
    view.focus();
  }
}

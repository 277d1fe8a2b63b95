// The dialog shown when a post changed both on disk and in the editor on the same lines: the
// two versions side by side (CodeMirror's merge view), and the writer chooses. Nothing is
// written until then, and whichever version is not kept stays one Ctrl+Z away in the editor.
import { MergeView } from "@codemirror/merge";
import { EditorState } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { t } from "./i18n";

/** What the writer chose; `null` is "decide later". */
export type ConflictChoice = "mine" | "disk" | "markers" | null;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export class ConflictDialog {
  private dialog = $<HTMLDialogElement>("conflict-dialog");
  private view: MergeView | null = null;
  private answer: ((choice: ConflictChoice) => void) | null = null;

  constructor() {
    for (const choice of ["mine", "disk", "markers"] as const) {
      $(`conflict-${choice}`).addEventListener("click", () => this.finish(choice));
    }
    $("conflict-later").addEventListener("click", () => this.finish(null));
    this.dialog.addEventListener("cancel", () => this.finish(null));
  }

  get isOpen(): boolean {
    return this.dialog.open;
  }

  /** Shows `mine` (left) against `disk` (right) for `path` until the writer chooses. */
  ask(path: string, mine: string, disk: string): Promise<ConflictChoice> {
    this.finish(null);
    $("conflict-heading").textContent = t("conflictHeading", path);
    const nonce = (document.getElementById("csp-nonce") as HTMLStyleElement | null)?.nonce ?? "";
    const side = (doc: string) => ({
      doc,
      extensions: [
        EditorState.readOnly.of(true),
        EditorView.editable.of(false),
        EditorView.lineWrapping,
        EditorView.cspNonce.of(nonce),
      ],
    });
    this.view = new MergeView({
      a: side(mine),
      b: side(disk),
      parent: $("conflict-merge"),
      collapseUnchanged: { margin: 2, minSize: 4 },
    });
    this.dialog.showModal();
    return new Promise((resolve) => (this.answer = resolve));
  }

  private finish(choice: ConflictChoice): void {
    const answer = this.answer;
    this.answer = null;
    this.view?.destroy();
    this.view = null;
    if (this.dialog.open) this.dialog.close();
    answer?.(choice);
  }
}

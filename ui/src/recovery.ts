// The dialog offered at start when the last run ended (crash, kill, power cut) with posts not
// saved: each with what it would change in the file, to recover or discard one by one.
import type { Recovery } from "./bindings/Recovery";
import { t } from "./i18n";

export interface RecoveryHost {
  recover(recovery: Recovery): Promise<void>;
  discard(recovery: Recovery): Promise<void>;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export class RecoveryDialog {
  private dialog = $<HTMLDialogElement>("recover-dialog");

  constructor(private host: RecoveryHost) {
    $("recover-close").addEventListener("click", () => this.dialog.close());
  }

  show(recoveries: Recovery[]): void {
    const list = $("recover-list");
    list.replaceChildren();
    for (const recovery of recoveries) {
      const li = document.createElement("li");
      li.dataset.path = recovery.post;
      const head = document.createElement("div");
      head.className = "recover-head";
      const name = document.createElement("strong");
      name.textContent = recovery.post;
      const when = document.createElement("span");
      when.className = "meta";
      when.textContent =
        new Date(recovery.savedAt).toLocaleString() + (recovery.disk === null ? ` · ${t("recoverDeleted")}` : "");
      const recover = document.createElement("button");
      recover.className = "primary recover";
      recover.textContent = t("recover");
      const discard = document.createElement("button");
      discard.className = "discard";
      discard.textContent = t("discard");
      const done = async (action: () => Promise<void>) => {
        recover.disabled = discard.disabled = true;
        await action();
        li.remove();
        if (list.childElementCount === 0) this.dialog.close();
      };
      recover.addEventListener("click", () => void done(() => this.host.recover(recovery)));
      discard.addEventListener("click", () => void done(() => this.host.discard(recovery)));
      head.append(name, when, recover, discard);
      const diff = document.createElement("pre");
      diff.className = "recover-diff";
      diff.textContent = recovery.diff;
      li.append(head, diff);
      list.append(li);
    }
    this.dialog.showModal();
  }
}

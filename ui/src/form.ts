// The front-matter form beside the editor. It shows what the engine reads from the post's text
// (`FrontMatterView`) with a widget fitting each field of the site's schema, and turns each edit
// into one `FrontMatterChange`; the engine makes the change in the text and the editor shows it,
// so the YAML in the editor and the form never disagree.
import type { FieldSchema } from "./bindings/FieldSchema";
import type { FrontMatterChange } from "./bindings/FrontMatterChange";
import type { FrontMatterSchema } from "./bindings/FrontMatterSchema";
import type { FrontMatterView } from "./bindings/FrontMatterView";
import { t } from "./i18n";

export interface FormEvents {
  change(key: string, change: FrontMatterChange): void;
  /** The writer clicked the line of a problem. */
  goToLine(line: number): void;
}

/** Spellings of one field: the form shows the one the post (else most of the site) uses. */
const ALTERNATIVES: Record<string, string> = { tag: "tags", tags: "tag" };
/** Nested keys with a field of their own; other keys of `header` are edited as YAML. */
const KNOWN_NESTED = new Set(["header.teaser", "header.image"]);

function lookup(map: Record<string, unknown>, key: string): unknown {
  let v: unknown = map;
  for (const part of key.split(".")) {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** A value as one line of YAML for the generic field: plain text stays plain. */
function yamlText(v: unknown): string {
  if (v === undefined || v === null) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}

function words(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => String(x));
  if (v === undefined || v === null || v === "") return [];
  return [String(v)];
}

/** The UTC offset of `timeZone` at `date`, as YAML dates write it: `+0900`. */
function offsetOf(timeZone: string | null, date: Date): string {
  let minutes = -date.getTimezoneOffset();
  if (timeZone) {
    try {
      const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
        .formatToParts(date)
        .find((p) => p.type === "timeZoneName")?.value ?? "GMT";
      const m = /GMT([+-])(\d\d):?(\d\d)?/.exec(name);
      minutes = m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
    } catch {
      // An unknown zone name: the computer's offset is the best guess left.
    }
  }
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
}

export class FrontMatterForm {
  private schema: FrontMatterSchema | null = null;
  private view: FrontMatterView | null = null;
  /** The keys the form was last built for: rebuilt only when they change, so focus stays. */
  private built = "";
  private readonly fields: HTMLElement;
  private readonly problem: HTMLElement;
  private readonly fieldset: HTMLFieldSetElement;
  private readonly addSelect: HTMLSelectElement;
  private extraKeys: string[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly events: FormEvents,
  ) {
    this.problem = document.createElement("button");
    this.problem.className = "fm-problem";
    this.problem.hidden = true;
    this.problem.addEventListener("click", () => {
      const line = Number(this.problem.dataset.line);
      if (line) this.events.goToLine(line);
    });
    this.fieldset = document.createElement("fieldset");
    this.fields = document.createElement("div");
    this.fields.className = "fm-fields";
    this.addSelect = document.createElement("select");
    this.addSelect.className = "fm-add";
    this.addSelect.addEventListener("change", () => {
      const key = this.addSelect.value;
      this.addSelect.value = "";
      if (key && !this.extraKeys.includes(key)) this.extraKeys.push(key);
      this.rebuild(true);
      this.fields.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"] input, [data-key="${CSS.escape(key)}"] textarea`)?.focus();
    });
    this.fieldset.append(this.fields, this.addSelect);
    // The form comes before the image panel that shares its column.
    const after = root.querySelector(".images-panel");
    for (const el of [this.problem, this.fieldset]) root.insertBefore(el, after);
  }

  setSchema(schema: FrontMatterSchema): void {
    this.schema = schema;
    this.built = "";
    if (this.view) this.show(this.view);
  }

  /** Shows the front matter of the post now shown (or nothing). */
  show(view: FrontMatterView | null): void {
    this.view = view;
    this.root.hidden = view === null;
    if (!view) {
      this.extraKeys = [];
      return;
    }
    this.problem.hidden = view.problem === null;
    this.fieldset.disabled = view.problem !== null;
    this.root.classList.toggle("invalid", view.problem !== null);
    if (view.problem) {
      this.problem.dataset.line = String(view.problem.line);
      this.problem.textContent = t("fmProblem", String(view.problem.line), String(view.problem.column), view.problem.message);
      return; // The last good values stay visible, read-only, until the text is fixed.
    }
    this.rebuild(false);
  }

  /** Forgets fields added by hand (when another post is shown). */
  reset(): void {
    this.extraKeys = [];
    this.built = "";
  }

  private fieldList(): FieldSchema[] {
    const view = this.view!;
    const schema = this.schema;
    const known = schema?.fields ?? [];
    const has = (key: string) => lookup(view.values, key) !== undefined;
    const used = (key: string) => known.find((f) => f.key === key)?.usedBy ?? 0;
    const shown: FieldSchema[] = [];
    for (const f of known) {
      if (f.known) {
        const alt = ALTERNATIVES[f.key];
        const altWins = alt && (has(alt) || used(alt) > used(f.key) || (used(alt) === used(f.key) && f.key === "tag"));
        if (!altWins || has(f.key)) shown.push(f);
      } else if (!f.key.includes(".") && (has(f.key) || this.extraKeys.includes(f.key))) {
        shown.push(f);
      }
    }
    // Keys of the post the schema does not know yet (or nested maps beyond the known ones).
    for (const key of [...Object.keys(view.values), ...this.extraKeys]) {
      if (shown.some((f) => f.key === key)) continue;
      const value = view.values[key];
      if (key === "header" && value && typeof value === "object" && Object.keys(value).every((k) => KNOWN_NESTED.has(`header.${k}`))) continue;
      shown.push({ key, kind: "yaml", known: false, usedBy: 0, values: [] });
    }
    return shown;
  }

  private rebuild(force: boolean): void {
    const view = this.view!;
    const list = this.fieldList();
    const signature = list.map((f) => `${f.key}:${f.kind}`).join("|");
    if (force || signature !== this.built) {
      this.built = signature;
      this.fields.replaceChildren(...list.map((f) => this.row(f)));
      const present = new Set(list.map((f) => f.key));
      const options = (this.schema?.fields ?? []).filter((f) => !present.has(f.key)).map((f) => f.key);
      const first = new Option(t("fmAddField"), "");
      this.addSelect.replaceChildren(first, ...options.map((k) => new Option(k, k)));
    }
    for (const row of this.fields.querySelectorAll<HTMLElement>(".fm-row")) this.fill(row, view);
  }

  private row(field: FieldSchema): HTMLElement {
    const row = document.createElement("div");
    row.className = `fm-row fm-kind-${field.kind}`;
    row.dataset.key = field.key;
    row.dataset.kind = field.kind;
    const label = document.createElement("label");
    label.textContent = field.key;
    const id = `fm-${field.key.replace(/[^a-zA-Z0-9_-]/g, "_")}`;
    label.htmlFor = id;
    const unset = document.createElement("button");
    unset.type = "button";
    unset.className = "fm-unset";
    unset.textContent = "×";
    unset.title = t("fmRemove", field.key);
    unset.addEventListener("click", () => this.events.change(field.key, { op: "unset" }));
    const head = document.createElement("div");
    head.className = "fm-head";
    head.append(label, unset);
    row.append(head, this.widget(field, id));
    return row;
  }

  private widget(field: FieldSchema, id: string): HTMLElement {
    const key = field.key;
    const commit = (change: FrontMatterChange) => this.events.change(key, change);
    const text = (input: HTMLInputElement | HTMLTextAreaElement, parse: (s: string) => FrontMatterChange) => {
      input.id = id;
      input.addEventListener("change", () => commit(input.value === "" ? { op: "unset" } : parse(input.value)));
      input.addEventListener("keydown", (e: Event) => {
        // Escape gives back the post's value before the edit is committed.
        if ((e as KeyboardEvent).key === "Escape" && !(e as KeyboardEvent).isComposing) this.fill(input.closest(".fm-row")!, this.view!, true);
      });
      return input;
    };
    switch (field.kind) {
      case "toggle": {
        const box = document.createElement("input");
        box.type = "checkbox";
        box.id = id;
        box.addEventListener("change", () => commit({ op: "set", value: box.checked }));
        return box;
      }
      case "choice": {
        const select = document.createElement("select");
        select.id = id;
        select.append(new Option("", ""), ...field.values.map((v) => new Option(v, v)));
        select.addEventListener("change", () =>
          commit(select.value ? { op: "set", value: select.value } : { op: "unset" }),
        );
        return select;
      }
      case "longText":
        return text(document.createElement("textarea"), (value) => ({ op: "set", value }));
      case "number": {
        const input = document.createElement("input");
        input.type = "number";
        return text(input, (s) => ({ op: "set", value: Number(s) }));
      }
      case "dateTime": {
        const wrap = document.createElement("div");
        wrap.className = "fm-date";
        const input = document.createElement("input");
        input.placeholder = "YYYY-MM-DD HH:MM:SS +0900";
        const now = document.createElement("button");
        now.type = "button";
        now.textContent = t("fmNow");
        now.addEventListener("click", () => {
          const d = new Date();
          const tz = this.schema?.timezone ?? undefined;
          const parts = new Intl.DateTimeFormat("sv-SE", {
            timeZone: tz,
            year: "numeric", month: "2-digit", day: "2-digit",
            hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
          }).format(d);
          commit({ op: "set", value: `${parts} ${offsetOf(tz ?? null, d)}` });
        });
        wrap.append(text(input, (value) => ({ op: "set", value })), now);
        return wrap;
      }
      case "chips": {
        const wrap = document.createElement("div");
        wrap.className = "fm-chips";
        const input = document.createElement("input");
        input.id = id;
        input.placeholder = t("fmAddChip");
        const list = document.createElement("datalist");
        list.id = `${id}-values`;
        list.append(...field.values.map((v) => new Option(v)));
        input.setAttribute("list", list.id);
        const add = () => {
          const value = input.value.replace(/,$/, "").trim();
          input.value = "";
          if (value) commit({ op: "add", item: value });
        };
        input.addEventListener("keydown", (e) => {
          // An Enter or comma ending a Hangul composition: the syllable is not in the field yet.
          if (e.isComposing) return;
          if (e.key === "Enter" || e.key === ",") {
            e.preventDefault();
            add();
          }
        });
        input.addEventListener("change", add);
        wrap.append(input, list);
        return wrap;
      }
      case "image":
      case "text":
      case "yaml": {
        const input = document.createElement("input");
        if (field.kind === "image") {
          const list = document.createElement("datalist");
          list.id = `${id}-images`;
          list.append(...(this.schema?.images ?? []).map((p) => new Option(`/${p}`)));
          input.setAttribute("list", list.id);
          const wrap = document.createElement("div");
          wrap.append(text(input, (value) => ({ op: "set", value })), list);
          return wrap;
        }
        if (field.kind === "yaml") {
          input.placeholder = "YAML";
          return text(input, (yaml) => ({ op: "setYaml", yaml }));
        }
        if (field.values.length > 0) {
          const list = document.createElement("datalist");
          list.id = `${id}-values`;
          list.append(...field.values.slice(0, 50).map((v) => new Option(v)));
          input.setAttribute("list", list.id);
          const wrap = document.createElement("div");
          wrap.append(text(input, (value) => ({ op: "set", value })), list);
          return wrap;
        }
        return text(input, (value) => ({ op: "set", value }));
      }
    }
  }

  /** Puts the post's value (or the inherited one, greyed) into a row's widget. */
  private fill(row: HTMLElement, view: FrontMatterView, force = false): void {
    const key = row.dataset.key!;
    const own = lookup(view.values, key);
    const inherited = lookup(view.inherited, key);
    const isOwn = own !== undefined;
    const value = isOwn ? own : inherited;
    row.classList.toggle("inherited", !isOwn && inherited !== undefined);
    row.classList.toggle("own", isOwn);
    row.title = !isOwn && inherited !== undefined ? t("fmInherited") : "";
    const set = (el: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, v: string) => {
      // The writer's half-typed text is not overwritten under the cursor.
      if ((force || document.activeElement !== el) && el.value !== v) el.value = v;
    };
    switch (row.dataset.kind) {
      case "toggle":
        row.querySelector<HTMLInputElement>("input")!.checked = value === true;
        break;
      case "choice": {
        const select = row.querySelector("select")!;
        const v = value === undefined || value === null ? "" : String(value);
        if (v && ![...select.options].some((o) => o.value === v)) select.append(new Option(v, v));
        set(select, v);
        break;
      }
      case "chips": {
        const wrap = row.querySelector(".fm-chips")!;
        for (const chip of wrap.querySelectorAll(".chip")) chip.remove();
        const items = words(value);
        const input = wrap.querySelector("input")!;
        items.forEach((item, i) => {
          const chip = document.createElement("span");
          chip.className = "chip";
          chip.textContent = item;
          const x = document.createElement("button");
          x.type = "button";
          x.textContent = "×";
          x.title = t("fmRemove", item);
          x.addEventListener("click", () => {
            const rest = Array.isArray(value) ? value.filter((_, j) => j !== i) : [];
            this.events.change(key, rest.length === 0 ? { op: "unset" } : { op: "set", value: rest });
          });
          chip.append(x);
          wrap.insertBefore(chip, input);
        });
        break;
      }
      default: {
        const el = row.querySelector<HTMLInputElement | HTMLTextAreaElement>("input, textarea")!;
        set(el, row.dataset.kind === "yaml" ? yamlText(value) : value === undefined || value === null ? "" : String(value));
      }
    }
  }
}

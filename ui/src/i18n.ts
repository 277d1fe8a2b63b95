// Interface strings in Korean and English. The language follows the system unless the writer
// picks one; every visible string goes through `t`.

const en = {
  language: "Language",
  languageAuto: "System",
  filter: "Filter posts…",
  noPosts: "No posts match.",
  draft: "Draft",
  noSite: "No Jekyll site is open. Start Postdesk with a folder that holds _config.yml: postdesk PATH",
  pickPost: "Choose a post on the left to start writing.",
  saved: "Saved",
  saving: "Saving…",
  unsaved: "Unsaved changes",
  saveFailed: "Could not save: {0}",
  openFailed: "Could not open: {0}",
  unsavedQuestion: "Some posts have unsaved changes. Save them before closing?",
  saveAndClose: "Save and close",
  discardAndClose: "Close without saving",
  cancel: "Cancel",
  line: "Line {0}",
  linkText: "link text",
  bold: "bold text",
  italic: "italic text",
};

type Key = keyof typeof en;

const ko: Record<Key, string> = {
  language: "언어",
  languageAuto: "시스템",
  filter: "글 찾기…",
  noPosts: "맞는 글이 없습니다.",
  draft: "초안",
  noSite: "열린 Jekyll 사이트가 없습니다. _config.yml이 있는 폴더로 Postdesk를 시작하세요: postdesk 경로",
  pickPost: "왼쪽에서 글을 골라 쓰기 시작하세요.",
  saved: "저장됨",
  saving: "저장 중…",
  unsaved: "저장하지 않은 변경",
  saveFailed: "저장하지 못했습니다: {0}",
  openFailed: "열지 못했습니다: {0}",
  unsavedQuestion: "저장하지 않은 글이 있습니다. 닫기 전에 저장할까요?",
  saveAndClose: "저장하고 닫기",
  discardAndClose: "저장하지 않고 닫기",
  cancel: "취소",
  line: "{0}번째 줄",
  linkText: "링크 텍스트",
  bold: "굵은 글씨",
  italic: "기울인 글씨",
};

const tables = { en, ko };
export type Language = keyof typeof tables;

let current: Language = "en";

export function systemLanguage(): Language {
  return navigator.language.toLowerCase().startsWith("ko") ? "ko" : "en";
}

export function setLanguage(lang: Language): void {
  current = lang;
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll<HTMLElement>("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n as Key);
  }
  for (const el of document.querySelectorAll<HTMLInputElement>("[data-i18n-placeholder]")) {
    el.placeholder = t(el.dataset.i18nPlaceholder as Key);
  }
}

export function t(key: Key, ...args: string[]): string {
  return tables[current][key].replace(/\{(\d)\}/g, (_, i) => args[Number(i)] ?? "");
}

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
  frontMatter: "Front matter",
  fmProblem: "Front matter line {0}, column {1}: {2}. Fix it in the text; the form waits.",
  fmAddField: "Add a field…",
  fmRemove: "Remove {0}",
  fmInherited: "From the site's defaults in _config.yml; change it to set it in this post",
  fmNow: "Now",
  fmAddChip: "Add…",
  newPost: "New post",
  newLike: "New post like this one",
  newTitle: "Title",
  newDate: "Date (empty: today)",
  newSections: "Keep this post's headings",
  create: "Create",
  newPlan: "Creates {0} and the folder {1}/",
  created: "Created {0}",
  rename: "Rename…",
  renameHeading: "Rename this post",
  renameSlug: "Name after the date",
  renamePlan: "{0} → {1}",
  renameImages: "; moves {0}/ → {1}/ and rewrites {2} links",
  renamed: "Renamed to {0}",
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
  frontMatter: "머리말 정보",
  fmProblem: "머리말 {0}번째 줄 {1}번째 칸: {2}. 글에서 고치면 양식을 다시 쓸 수 있습니다.",
  fmAddField: "항목 추가…",
  fmRemove: "{0} 지우기",
  fmInherited: "_config.yml의 기본값입니다. 바꾸면 이 글에 직접 적습니다",
  fmNow: "지금",
  fmAddChip: "추가…",
  newPost: "새 글",
  newLike: "이 글처럼 새 글",
  newTitle: "제목",
  newDate: "날짜 (비우면 오늘)",
  newSections: "이 글의 소제목 유지",
  create: "만들기",
  newPlan: "{0} 파일과 {1}/ 폴더를 만듭니다",
  created: "{0}을(를) 만들었습니다",
  rename: "이름 바꾸기…",
  renameHeading: "이 글의 파일 이름 바꾸기",
  renameSlug: "날짜 뒤 이름",
  renamePlan: "{0} → {1}",
  renameImages: "; {0}/ 폴더를 {1}/(으)로 옮기고 링크 {2}개를 고칩니다",
  renamed: "{0}(으)로 바꿨습니다",
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

//! What the spell checker needs from a site: the languages it is written in (its `locale`), and
//! its own words (`.postdesk/dictionary.txt`, one word a line, kept with the site so that the
//! words a writer adds travel with it). The window's checker (WebKitGTK's, through enchant)
//! reads personal word lists from a folder: the site's words are written there as each
//! language's list, and words the writer adds through the checker's menu come back from them.
//! Not for: checking words (the window's spell checker does).

use std::fs;
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use crate::document;
use crate::site::Site;

/// The site's own words, from its root.
pub const DICTIONARY: &str = ".postdesk/dictionary.txt";

/// The checker's languages for `site` (enchant's tags, `ko_KR`): its `locale` first, then
/// English, which every post quotes; English alone when the site says no locale.
pub fn languages(site: &Site) -> Vec<String> {
    let locale = site.setting("locale").trim().replace('-', "_");
    let (lang, region) = locale.split_once('_').unwrap_or((&locale, ""));
    let lang = lang.to_ascii_lowercase();
    let primary = match (lang.as_str(), region) {
        ("", _) => "en_US".to_owned(),
        (lang, "") => format!("{lang}_{}", default_region(lang)),
        (lang, region) => format!("{lang}_{}", region.to_ascii_uppercase()),
    };
    let mut tags = vec![primary];
    if !tags[0].starts_with("en_") {
        tags.push("en_US".to_owned());
    }
    tags
}

/// The region a language without one is written in most (`ko` → `KR`).
fn default_region(lang: &str) -> String {
    match lang {
        "en" => "US".to_owned(),
        "ko" => "KR".to_owned(),
        "ja" => "JP".to_owned(),
        "zh" => "CN".to_owned(),
        other => other.to_ascii_uppercase(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SpellingError {
    #[error("{path} could not be written: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The site's own words, as its dictionary lists them (NFC, without blank and `#` lines).
pub fn words(site: &Site) -> Vec<String> {
    read_words(&site.root.join(DICTIONARY))
}

fn read_words(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| l.trim().nfc().collect::<String>())
        .filter(|w| !w.is_empty() && !w.starts_with('#'))
        .collect()
}

/// Adds `new` to the site's dictionary (kept sorted, each word once); returns the words that
/// were not in it yet. The file is written whole or not at all.
pub fn add_words(site: &Site, new: &[String]) -> Result<Vec<String>, SpellingError> {
    let path = site.root.join(DICTIONARY);
    let mut all = words(site);
    let added: Vec<String> = new
        .iter()
        .map(|w| w.trim().nfc().collect::<String>())
        .filter(|w| !w.is_empty() && !w.contains(char::is_whitespace))
        .filter(|w| !all.contains(w))
        .fold(Vec::new(), |mut seen, w| {
            if !seen.contains(&w) {
                seen.push(w);
            }
            seen
        });
    if added.is_empty() {
        return Ok(added);
    }
    all.extend(added.iter().cloned());
    all.sort();
    let text: String = all.iter().map(|w| format!("{w}\n")).collect();
    let write = || {
        fs::create_dir_all(path.parent().expect("the dictionary is in a folder"))?;
        document::write_atomic(&path, text.as_bytes())
    };
    write().map_err(|source| SpellingError::Write {
        path: path.clone(),
        source,
    })?;
    Ok(added)
}

/// Writes `words` as the personal word list of each of `languages` in `dir` (enchant's
/// `<tag>.dic`), replacing what was there.
pub fn write_word_lists(
    dir: &Path,
    languages: &[String],
    words: &[String],
) -> Result<(), SpellingError> {
    let text: String = words.iter().map(|w| format!("{w}\n")).collect();
    for tag in languages {
        let path = dir.join(format!("{tag}.dic"));
        let write = || {
            fs::create_dir_all(dir)?;
            document::write_atomic(&path, text.as_bytes())
        };
        write().map_err(|source| SpellingError::Write {
            path: path.clone(),
            source,
        })?;
    }
    Ok(())
}

/// Words the writer added through the checker (now in a word list of `dir`) that the site's
/// dictionary lacks: added to it, and returned.
pub fn keep_learned(
    dir: &Path,
    languages: &[String],
    site: &Site,
) -> Result<Vec<String>, SpellingError> {
    let listed: Vec<String> = languages
        .iter()
        .flat_map(|tag| read_words(&dir.join(format!("{tag}.dic"))))
        .collect();
    add_words(site, &listed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_follow_the_locale_with_english_beside() {
        for (config, tags) in [
            ("locale: ko-KR\n", vec!["ko_KR", "en_US"]),
            ("locale: \"ko\"\n", vec!["ko_KR", "en_US"]),
            ("locale: en-GB\n", vec!["en_GB"]),
            ("locale: de-de\n", vec!["de_DE", "en_US"]),
            ("title: x\n", vec!["en_US"]),
        ] {
            let (_dir, site) = crate::testing::site(config);
            assert_eq!(languages(&site), tags, "{config}");
        }
    }

    #[test]
    fn words_added_are_kept_sorted_once_and_learned_ones_come_back() {
        let (dir, site) = crate::testing::site("locale: ko-KR\n");
        assert_eq!(words(&site), Vec::<String>::new());
        // 한글 decomposed (as macOS writes it) is the same word composed.
        let nfd = "\u{1112}\u{1161}\u{11ab}\u{1100}\u{1173}\u{11af}".to_owned();
        let added = add_words(&site, &["kramdown".into(), nfd, " Postdesk ".into()]).unwrap();
        assert_eq!(added, ["kramdown", "한글", "Postdesk"]);
        assert_eq!(
            fs::read_to_string(dir.path().join(DICTIONARY)).unwrap(),
            "Postdesk\nkramdown\n한글\n"
        );
        assert_eq!(
            add_words(&site, &["한글".into(), "two words".into()]).unwrap(),
            Vec::<String>::new()
        );

        let lists = dir.path().join("lists");
        let tags = languages(&site);
        write_word_lists(&lists, &tags, &words(&site)).unwrap();
        assert_eq!(
            fs::read_to_string(lists.join("ko_KR.dic")).unwrap(),
            "Postdesk\nkramdown\n한글\n"
        );
        assert_eq!(
            fs::read_to_string(lists.join("en_US.dic")).unwrap(),
            "Postdesk\nkramdown\n한글\n"
        );
        // The checker's "Learn Spelling" appends to a list: the site keeps the word.
        fs::write(
            lists.join("ko_KR.dic"),
            "Postdesk\nkramdown\n한글\n데이터셋\n",
        )
        .unwrap();
        assert_eq!(keep_learned(&lists, &tags, &site).unwrap(), ["데이터셋"]);
        assert!(words(&site).contains(&"데이터셋".to_owned()));
    }
}

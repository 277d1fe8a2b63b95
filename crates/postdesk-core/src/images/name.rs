//! File names for images that need no escaping in a link and say what the image is: NFC, no
//! spaces or signs, screenshot names of Windows, macOS and Typora turned into
//! `screenshot-2023-03-28-150716`, Windows-reserved names avoided. Hangul stays Hangul: a name
//! like `데이터-흐름도.png` is what the writer means and every tool of the chain (git, Jekyll,
//! browsers) handles it, while the spaces and signs around it are what broke their links.
//! Not for: where the file goes (see `import`).

use unicode_normalization::UnicodeNormalization;

/// Names Windows will not create, whatever the extension.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Words screenshot tools put before the date: Windows (Korean and English), macOS, GNOME.
const SCREENSHOT_WORDS: &[&str] = &[
    "화면 캡처",
    "스크린샷",
    "screenshot from",
    "screenshot",
    "screen shot",
    "capture",
];

/// The stem (no extension) of a safe file name for an image called `original`.
pub fn safe_stem(original: &str) -> String {
    // Only the last path component counts: `../x.png` or `C:\a\b.png` give `x`/`b`.
    let base = original.rsplit(['/', '\\']).next().unwrap_or(original);
    let base: String = base.nfc().filter(|c| !c.is_control()).collect();
    let stem = match base.rsplit_once('.') {
        Some((s, ext)) if !s.is_empty() && ext.len() <= 5 => s.to_owned(),
        _ => base,
    };
    let lower = stem.to_lowercase();
    let screenshot = SCREENSHOT_WORDS
        .iter()
        .find(|w| lower.starts_with(*w))
        .map(|w| stem[w.len()..].to_owned());
    let rest = match &screenshot {
        Some(rest) => format!("screenshot {}", screenshot_time(rest)),
        None => stem,
    };
    let mut out = String::new();
    for c in rest.chars() {
        if c.is_alphanumeric() || c == '_' {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        out = "image".to_owned();
    }
    if RESERVED.contains(&out.as_str()) {
        out.push_str("-image");
    }
    out
}

/// `2023-03-28 150716`, `2023-03-28 at 15.07.16`, `2023-03-28 오후 3.07.16` → `2023-03-28 150716`
/// (macOS afternoon times on a 24-hour clock).
fn screenshot_time(rest: &str) -> String {
    let words: Vec<&str> = rest.split_whitespace().filter(|w| *w != "at").collect();
    let afternoon = words
        .iter()
        .any(|w| *w == "오후" || w.eq_ignore_ascii_case("pm"));
    let mut parts = Vec::new();
    for w in words {
        if w == "오전"
            || w == "오후"
            || w.eq_ignore_ascii_case("am")
            || w.eq_ignore_ascii_case("pm")
        {
            continue;
        }
        let clock: Vec<&str> = w.split(['.', ':']).collect();
        if clock.len() == 3
            && clock
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        {
            let mut hour: u32 = clock[0].parse().unwrap_or(0);
            if afternoon && hour < 12 {
                hour += 12;
            }
            parts.push(format!("{hour:02}{:0>2}{:0>2}", clock[1], clock[2]));
        } else {
            parts.push(w.to_owned());
        }
    }
    parts.join(" ")
}

/// The file extension for a format: lowercase, `jpg` for JPEG.
pub fn extension(original: &str, processed_ext: &str) -> String {
    let given = original.rsplit_once('.').map(|(_, e)| e.to_lowercase());
    match (processed_ext, given.as_deref()) {
        ("jpg", Some("jpeg")) => "jpg".to_owned(),
        (ext, _) => ext.to_owned(),
    }
}

/// Alt text from the original name: its stem, `_` as spaces, without brackets.
pub fn alt_text(original: &str) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or(original);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let text: String = stem
        .nfc()
        .map(|c| if c == '_' || c.is_control() { ' ' } else { c })
        .filter(|c| !matches!(c, '[' | ']' | '(' | ')'))
        .collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screenshot_names_become_readable_slugs() {
        assert_eq!(
            safe_stem("화면 캡처 2023-03-28 150716.png"),
            "screenshot-2023-03-28-150716"
        );
        assert_eq!(
            safe_stem("Screenshot 2023-03-28 150716.png"),
            "screenshot-2023-03-28-150716"
        );
        assert_eq!(
            safe_stem("Screenshot 2023-03-28 at 3.07.16 PM.png"),
            "screenshot-2023-03-28-150716"
        );
        assert_eq!(
            safe_stem("스크린샷 2023-03-28 오후 3.07.16.png"),
            "screenshot-2023-03-28-150716"
        );
        assert_eq!(
            safe_stem("Screenshot from 2023-03-28 15-07-16.png"),
            "screenshot-2023-03-28-15-07-16"
        );
        assert_eq!(
            safe_stem("image-20230328150716123.png"),
            "image-20230328150716123"
        );
    }

    #[test]
    fn names_are_safe_and_hangul_stays() {
        assert_eq!(safe_stem("데이터 흐름도 (최종).png"), "데이터-흐름도-최종");
        // NFD (as macOS writes names) becomes NFC.
        let nfd: String = "흐름도.png".nfd().collect();
        assert_eq!(safe_stem(&nfd), "흐름도");
        assert_eq!(safe_stem("../../etc/passwd.png"), "passwd");
        assert_eq!(safe_stem("C:\\Users\\me\\My Photo.JPG"), "my-photo");
        assert_eq!(safe_stem("CON.png"), "con-image");
        assert_eq!(safe_stem("bad\u{7}name\n.png"), "badname");
        assert_eq!(safe_stem("???.png"), "image");
        assert_eq!(
            alt_text("화면 캡처 2023-03-28 150716.png"),
            "화면 캡처 2023-03-28 150716"
        );
        assert_eq!(alt_text("my_photo [1].jpg"), "my photo 1");
        assert_eq!(extension("a.JPEG", "jpg"), "jpg");
    }
}

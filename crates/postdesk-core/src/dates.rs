//! When Jekyll publishes a post by its date: the moment a `date` names, read as Jekyll 4.3's
//! `Time.parse` reads it (its own offset, else the site's `timezone`, else the computer's), and
//! whether the site's `future` setting (false unless set) leaves a post dated later out.
//! Not for: a post's URL (see `permalink`) or the date a new post is given (see `new_post`).

use jiff::civil;
use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;
use serde_yaml::Value;

use crate::front_matter;
use crate::site::{date_prefix, Site};

/// A post that Jekyll leaves out of the site until its date has come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldBack {
    /// The date as the post writes it (its front-matter `date`, else its file name's).
    pub until: String,
    /// The line of the front-matter `date`, when the date is written there.
    pub line: Option<usize>,
}

/// The site's time zone: its `timezone` setting (an IANA name), else the computer's, as Jekyll
/// sets `TZ` from `timezone`.
pub fn site_zone(site: &Site) -> TimeZone {
    site.config
        .get("timezone")
        .and_then(Value::as_str)
        .and_then(|name| TimeZone::get(name).ok())
        .unwrap_or_else(TimeZone::system)
}

/// Whether Jekyll publishes posts dated later than the build: `future` set to anything Ruby
/// counts as true (Jekyll 4.3's default is false).
pub fn publishes_future(site: &Site) -> bool {
    !matches!(
        site.config.get("future"),
        None | Some(Value::Null) | Some(Value::Bool(false))
    )
}

/// Whether a build at `now` leaves out the post at `rel` whose text is `text` for its date.
/// Only files of `_posts/` are dated so (a draft is dated by its file's time when built).
pub fn held_back(site: &Site, rel: &str, text: &str, now: Timestamp) -> Option<HeldBack> {
    if !rel.starts_with("_posts/") || publishes_future(site) {
        return None;
    }
    let (until, line) = match front_matter::get(text, "date").ok().flatten() {
        Some(Value::String(date)) => (date.trim().to_owned(), front_matter::key_line(text, "date")),
        _ => (date_prefix(rel.rsplit('/').next()?)?.to_owned(), None),
    };
    (moment(site, &until)? > now).then_some(HeldBack { until, line })
}

/// The moment `written` names (`2024-05-01`, `2024-05-01 10:00`, `2024-05-01T10:00:00+09:00`,
/// `2024-05-01 10:00:00 +0900`, …): by its own offset when it has one, else in the site's time
/// zone. `None` for what is not such a date.
pub fn moment(site: &Site, written: &str) -> Option<Timestamp> {
    let date: civil::Date = date_prefix(written)?.parse().ok()?;
    let rest = written[10..].trim_start_matches([' ', 'T', 't']).trim_end();
    let (clock, offset) = split_offset(rest)?;
    let time = match clock {
        "" => civil::Time::midnight(),
        clock => clock.parse().ok()?,
    };
    let zone = match offset {
        Some(offset) => TimeZone::fixed(offset),
        None => site_zone(site),
    };
    Some(date.to_datetime(time).to_zoned(zone).ok()?.timestamp())
}

/// `10:00:00 +0900` as the clock time and its offset (`Z`, `UTC`, `+09`, `+0900`, `+09:00`).
/// `None` when what follows the time is no offset.
fn split_offset(rest: &str) -> Option<(&str, Option<Offset>)> {
    if let Some(clock) = rest.strip_suffix('Z').or_else(|| rest.strip_suffix("UTC")) {
        return Some((clock.trim_end(), Some(Offset::UTC)));
    }
    let Some(at) = rest.rfind(['+', '-']) else {
        return Some((rest, None));
    };
    let sign = if rest.as_bytes()[at] == b'-' { -1 } else { 1 };
    let digits: String = rest[at + 1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = match digits.len() {
        4 => digits[2..].parse().ok()?,
        _ => 0,
    };
    let offset = Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()?;
    Some((rest[..at].trim_end(), Some(offset)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::site;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_date_is_read_in_its_own_offset_else_the_sites_zone() {
        let (_dir, seoul) = site("timezone: Asia/Seoul\n");
        assert_eq!(
            moment(&seoul, "2024-05-01"),
            Some(at("2024-04-30T15:00:00Z"))
        );
        assert_eq!(
            moment(&seoul, "2024-05-01 10:30"),
            Some(at("2024-05-01T01:30:00Z"))
        );
        for written in [
            "2024-05-01 10:00:00 +0900",
            "2024-05-01 10:00:00+09:00",
            "2024-05-01T10:00:00+09",
            "2024-05-01 01:00:00 Z",
            "2024-04-30 20:00:00 -05:00",
        ] {
            assert_eq!(
                moment(&seoul, written),
                Some(at("2024-05-01T01:00:00Z")),
                "{written}"
            );
        }
        let (_dir, utc) = site("timezone: UTC\n");
        assert_eq!(moment(&utc, "2024-05-01"), Some(at("2024-05-01T00:00:00Z")));
        assert_eq!(moment(&utc, "2024-05-01 10:00 KST"), None);
        assert_eq!(moment(&utc, "someday"), None);
    }

    #[test]
    fn only_future_posts_of_a_site_without_future_are_held_back() {
        let (_dir, site_) = site("timezone: Asia/Seoul\nfuture: false\n");
        let now = at("2024-04-30T14:00:00Z"); // 23:00 on 2024-04-30 in Seoul
        let post = "---\ntitle: x\ndate: 2024-05-01 09:00:00 +0900\n---\n";
        assert_eq!(
            held_back(&site_, "_posts/2024-05-01-x.md", post, now),
            Some(HeldBack {
                until: "2024-05-01 09:00:00 +0900".to_owned(),
                line: Some(3)
            })
        );
        // Dated by the file name only: midnight in Seoul, an hour after `now`.
        assert_eq!(
            held_back(
                &site_,
                "_posts/2024-05-01-x.md",
                "---\ntitle: x\n---\n",
                now
            ),
            Some(HeldBack {
                until: "2024-05-01".to_owned(),
                line: None
            })
        );
        let today = "---\ntitle: x\ndate: 2024-04-30\n---\n";
        assert_eq!(
            held_back(&site_, "_posts/2024-05-01-x.md", today, now),
            None
        );
        assert_eq!(held_back(&site_, "_drafts/x.md", post, now), None);
        let (_dir, future) = site("future: true\n");
        assert_eq!(
            held_back(&future, "_posts/2024-05-01-x.md", post, now),
            None
        );
    }
}

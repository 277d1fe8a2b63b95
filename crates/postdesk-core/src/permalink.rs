//! Where Jekyll 4 publishes a post: its URL from the `permalink` setting of the post or the site
//! (`date`, `pretty`, `/:categories/:title/`, …), with placeholders filled and escaped as Jekyll
//! does it.
//! Not for: pages or collections other than posts.

use serde_yaml::{Mapping, Value};

use crate::site::{date_prefix, string_list, Site};

/// The URL path of the post at `rel` (`_posts/2023-03-22-gdata33.md`) with page variables
/// `page` (front matter over defaults), e.g. `/global_data_issue/gdata33/`.
pub fn post_path(site: &Site, rel: &str, page: &Mapping) -> String {
    let template = page
        .get("permalink")
        .and_then(Value::as_str)
        .or_else(|| site.config.get("permalink").and_then(Value::as_str))
        .unwrap_or("date");
    let template = match template {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        custom => custom,
    };
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let file_slug = date_prefix(stem).map_or(stem, |_| stem[10..].trim_start_matches('-'));
    let slug_source = page
        .get("slug")
        .and_then(Value::as_str)
        .unwrap_or(file_slug);
    let date = page
        .get("date")
        .and_then(Value::as_str)
        .and_then(date_prefix)
        .or_else(|| date_prefix(stem))
        .unwrap_or("1970-01-01");
    let (year, month, day) = (&date[..4], &date[5..7], &date[8..10]);
    let civil: Option<jiff::civil::Date> = date.parse().ok();
    let mut categories: Vec<String> = Vec::new();
    for key in ["categories", "category"] {
        for c in page.get(key).map(string_list).unwrap_or_default() {
            let c = c.to_lowercase();
            if !categories.contains(&c) {
                categories.push(c);
            }
        }
    }
    let placeholder = |name: &str| -> Option<String> {
        Some(match name {
            "year" => year.to_owned(),
            "month" => month.to_owned(),
            "day" => day.to_owned(),
            "i_month" => month.trim_start_matches('0').to_owned(),
            "i_day" => day.trim_start_matches('0').to_owned(),
            "short_year" => year[2..].to_owned(),
            "y_day" => format!("{:03}", civil?.day_of_year()),
            "week" => format!("{:02}", civil?.iso_week_date().week()),
            "short_day" => {
                let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
                days[civil?.weekday().to_monday_zero_offset() as usize].to_owned()
            }
            "title" => slugify(slug_source, true),
            "slug" => slugify(slug_source, false),
            "categories" => categories.join("/"),
            "output_ext" => ".html".to_owned(),
            "collection" => "posts".to_owned(),
            "name" => slugify(stem, false),
            "hour" | "minute" | "second" => "00".to_owned(),
            _ => return None,
        })
    };
    let mut out = String::from("/");
    let mut rest = template;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
            .count();
        // The longest placeholder name that is one (`:title` in `:title:output_ext`).
        match (1..=len)
            .rev()
            .find_map(|n| placeholder(&after[..n]).map(|v| (n, v)))
        {
            Some((n, value)) => {
                out.push_str(&escape_path(&value));
                rest = &after[n..];
            }
            None => {
                out.push(':');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    squeeze_slashes(&out.replace("..", "/").replace("./", ""))
}

/// The post's full published URL: the site's `url` and `baseurl` before its path.
pub fn post_url(site: &Site, rel: &str, page: &Mapping) -> Option<String> {
    let url = site.setting("url").trim_end_matches('/');
    if url.is_empty() || rel.starts_with("_drafts/") {
        return None;
    }
    let base = site.setting("baseurl").trim_matches('/');
    let base = if base.is_empty() {
        String::new()
    } else {
        format!("/{base}")
    };
    Some(format!("{url}{base}{}", post_path(site, rel, page)))
}

/// Jekyll's `slugify`: mode `pretty` keeping case for `:title`, mode `default` lowercased for
/// `:slug`. Letters of every script (Hangul too) are kept.
pub(crate) fn slugify(s: &str, pretty: bool) -> String {
    let keep = |c: char| c.is_alphanumeric() || (pretty && "._~!$&'()+,;=@".contains(c));
    let mut out = String::new();
    for c in s.chars() {
        if keep(c) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    if pretty {
        out.to_owned()
    } else {
        out.to_lowercase()
    }
}

/// Percent-encodes what a URL path may not hold, as Addressable (and so Jekyll) does.
fn escape_path(s: &str) -> String {
    const KEEP: &[u8] = b"-._~!$&'()*+,;=:@/";
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || KEEP.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn squeeze_slashes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::site;

    fn page(yaml: &str) -> Mapping {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn urls_as_jekyll_makes_them() {
        let (_d, s) = site("url: https://x.github.io\npermalink: /:categories/:title/\n");
        let p = page("categories: Global_Data_Issue");
        assert_eq!(
            post_path(&s, "_posts/2023-03-22-gdata33.md", &p),
            "/global_data_issue/gdata33/"
        );
        assert_eq!(
            post_url(&s, "_posts/2023-03-22-gdata33.md", &p).unwrap(),
            "https://x.github.io/global_data_issue/gdata33/"
        );
        assert_eq!(post_url(&s, "_drafts/x.md", &p), None);
        let (_d, s) = site("url: https://x.github.io\nbaseurl: /blog\n");
        let p = page("categories: [Data, AI]");
        assert_eq!(
            post_path(&s, "_posts/2023-03-22-Hello World.md", &p),
            "/data/ai/2023/03/22/Hello-World.html"
        );
        assert_eq!(
            post_url(&s, "_posts/2023-03-22-데이터.md", &page("{}")).unwrap(),
            "https://x.github.io/blog/2023/03/22/%EB%8D%B0%EC%9D%B4%ED%84%B0.html"
        );
        let p = page("permalink: /about/\n");
        assert_eq!(post_path(&s, "_posts/2023-03-22-x.md", &p), "/about/");
        let p = page("date: 2023-12-31 10:00:00 +0900\n");
        let (_d, s) = site("permalink: /:year/:y_day/:short_day/W:week/:slug\n");
        assert_eq!(
            post_path(&s, "_posts/2023-03-22-Some_Thing.md", &p),
            "/2023/365/Sun/W52/some-thing"
        );
    }
}

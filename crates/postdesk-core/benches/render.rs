//! `cargo bench -p postdesk-core --bench render`: throughput of the whole preview pipeline
//! (Liquid, kramdown rules, comrak, sanitizing) on the seed post and on a 230 KB post (the seed
//! body twenty times), with plain `comrak::markdown_to_html` on the same input, in the same run,
//! as the reference; the three take turns and the medians are printed. Passes or fails nothing.

mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use postdesk_core::post::Post;
use postdesk_core::render::{LivePreview, PreviewText, Target};
use postdesk_core::site::Site;

const SEED: &str = "_posts/2023-03-22-gdata33.md";

const ROUNDS: usize = 15;

fn mb_per_s(bytes: usize, per_run: Duration) -> f64 {
    bytes as f64 / 1e6 / per_run.as_secs_f64()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../posts");
    let site = Site::open(&root).expect("the sample site in posts/");
    let seed = site.read_post(SEED).expect("the seed post");
    let post = Post::split(&seed);
    let large = format!(
        "---\n{}---\n{}",
        post.front_matter.unwrap_or(""),
        post.body.repeat(20)
    );
    let preview = Target::Preview {
        image_base: "site://localhost/".into(),
    };
    println!("input            bytes   target    pipeline MB/s  comrak MB/s  pipeline/comrak time");
    let no_liquid = large.replace("{{site.url}}", "");
    for (name, text) in [
        ("seed", &seed),
        ("seed x20", &large),
        ("no liquid x20", &no_liquid),
    ] {
        let comrak_options = comrak::Options::default();
        let [reference, site_time, preview_time] = common::medians(
            ROUNDS,
            [
                &mut || {
                    black_box(comrak::markdown_to_html(black_box(text), &comrak_options));
                },
                &mut || {
                    black_box(
                        site.render_post(SEED, black_box(text), &Target::Site)
                            .unwrap(),
                    );
                },
                &mut || {
                    black_box(site.render_post(SEED, black_box(text), &preview).unwrap());
                },
            ],
        );
        for (label, ours) in [("site", site_time), ("preview", preview_time)] {
            println!(
                "{name:<12} {:>9}   {label:<8} {:>13.1}  {:>11.1}  {:>8.2}",
                text.len(),
                mb_per_s(text.len(), ours),
                mb_per_s(text.len(), reference),
                ours.as_secs_f64() / reference.as_secs_f64(),
            );
        }
    }
    keystroke(&site, &large);
}

/// One keystroke in the 230 KB post as the window sends it (an edit to the text it showed),
/// through the live preview: the edit applied, the post rendered, the changed blocks found.
fn keystroke(site: &Site, large: &str) {
    const IMAGES: &str = "site://localhost/";
    let mut live = LivePreview::default();
    let whole = PreviewText::Whole {
        text: large.to_owned(),
    };
    let mut shown = live
        .render(site, SEED, whole, IMAGES, None)
        .unwrap()
        .map(|u| u.id);
    let units = |s: &str| s.encode_utf16().count() as u32;
    let heading = "# 머리말";
    let at = units(&large[..large.find(heading).expect("the seed's first header") + heading.len()]);
    let length = units(large);
    let mut typed = false;
    let comrak_options = comrak::Options::default();
    let [reference, key] = common::medians(
        ROUNDS,
        [
            &mut || {
                black_box(comrak::markdown_to_html(black_box(large), &comrak_options));
            },
            &mut || {
                // Types a letter into the first header, then takes it out again.
                let (edit, length) = if typed {
                    ((at, at + 1, String::new()), length)
                } else {
                    ((at, at, "x".to_owned()), length + 1)
                };
                let text = PreviewText::Edits {
                    edits: vec![edit],
                    length,
                };
                let update = live.render(site, SEED, text, IMAGES, shown).unwrap();
                shown = Some(black_box(update).expect("the edit fits").id);
                typed = !typed;
            },
        ],
    );
    println!(
        "keystroke in the 230 KB post (live preview: edit, render, changed blocks): {:.2} ms; \
         comrak on the whole post {:.2} ms; ratio {:.2}",
        key.as_secs_f64() * 1e3,
        reference.as_secs_f64() * 1e3,
        key.as_secs_f64() / reference.as_secs_f64(),
    );
}

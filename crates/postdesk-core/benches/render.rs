//! `cargo bench -p postdesk-core --bench render`: throughput of the whole preview pipeline
//! (Liquid, kramdown rules, comrak, sanitizing) on the seed post and on a 230 KB post (the seed
//! body twenty times), with plain `comrak::markdown_to_html` on the same input, in the same run,
//! as the reference; the three take turns and the medians are printed. Passes or fails nothing.

mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use postdesk_core::post::Post;
use postdesk_core::render::Target;
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
}

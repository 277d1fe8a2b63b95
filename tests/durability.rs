//! SIGKILL at random moments while `postdesk fm set` saves a 4 MB post: the file is always the
//! old or the new complete text, never empty, torn or mixed. CI kills 100 times; the long run
//! is `POSTDESK_KILLS=1000 cargo test --test durability -- --nocapture`
//! (`make stress`), which prints its figures.
// SIGKILL is a Unix signal: on Windows the file is not compiled (it still has to build there).
#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::time::{Duration, Instant, SystemTime};

/// A small xorshift generator: the delays only need to be spread, and the seed is printed so a
/// failing run can be repeated with `POSTDESK_KILL_SEED`.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

#[test]
fn a_killed_save_leaves_the_old_or_the_new_text_never_a_torn_one() {
    let kills = env_number("POSTDESK_KILLS").unwrap_or(100);
    let seed = env_number("POSTDESK_KILL_SEED").unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
            | 1
    });
    let mut rng = Rng(seed);

    let copy = common::sample_site();
    let post = copy.post("_posts/2023-03-22-gdata33.md");
    let seed_text = fs::read_to_string(&post).unwrap();
    // About 4 MB: long enough that a kill lands inside the write, not only around it.
    let body = seed_text
        .split_once("\n---\n")
        .unwrap()
        .1
        .repeat(4_000_000 / seed_text.len());
    fs::write(&post, format!("---\ntitle: A\nlayout: single\n---\n{body}")).unwrap();
    let set = |title: &str| {
        let mut cmd = common::postdesk_command(&[
            "fm".as_ref(),
            "set".as_ref(),
            post.as_os_str(),
            "title".as_ref(),
            title.as_ref(),
        ] as &[&std::ffi::OsStr]);
        cmd.stdout(std::process::Stdio::null());
        cmd
    };

    // The two complete texts, and how long an undisturbed save takes.
    let started = Instant::now();
    assert!(set("B").status().unwrap().success());
    let text_b = fs::read(&post).unwrap();
    assert!(set("A").status().unwrap().success());
    let text_a = fs::read(&post).unwrap();
    let one_run = started.elapsed() / 2;
    assert_ne!(text_a, text_b);

    let dir = post.parent().unwrap().to_owned();
    let temp_files = || {
        fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".postdesk-"))
            .count()
    };
    let (mut mid_run, mut mid_write, mut finished) = (0, 0, 0);
    for i in 0..kills {
        let before = temp_files();
        let mut child = set(if i % 2 == 0 { "B" } else { "A" }).spawn().unwrap();
        if i % 4 == 3 {
            // Every fourth kill waits for the temp file to appear, then kills within the write,
            // the flush or the rename.
            while temp_files() == before && child.try_wait().unwrap().is_none() {}
            std::thread::sleep(Duration::from_micros(rng.below(4_000)));
        } else {
            let delay = rng.below(one_run.as_micros() as u64 * 3 / 2);
            std::thread::sleep(Duration::from_micros(delay));
        }
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.signal() == Some(9) {
            mid_run += 1;
        } else {
            finished += 1;
        }
        mid_write += temp_files() - before;
        let now = fs::read(&post).unwrap();
        assert!(
            now == text_a || now == text_b,
            "kill {i} (seed {seed}) left {} bytes that are neither text",
            now.len()
        );
    }
    println!(
        "durability: {kills} kills (seed {seed}), one save of {} KB takes {one_run:?}: \
         {mid_run} killed mid-run ({mid_write} of them while writing the temp file, which stays \
         behind until a save an hour later removes it), {finished} finished first; \
         the post was always one of the two complete texts",
        text_a.len() / 1024
    );
    assert!(
        mid_run > kills / 4,
        "only {mid_run} of {kills} kills landed while postdesk ran: the test is not testing"
    );
}

//! Watching a site of 10,000 files: memory, start-up, CPU while idle and during a burst of
//! 1,000 writes, for Postdesk's watcher and for `inotifywait -m -r` (Debian inotify-tools) on
//! the same tree in the same run. Each watcher runs as its own process and is measured from
//! /proc, so the writing done by the benchmark is not counted. Run with `make bench-watch`.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use postdesk_core::watch::SiteWatcher;

const POSTS: usize = 2_000;
const IMAGES: usize = 8_000;
const WRITES: usize = 1_000;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("watch-child") {
        return watch_child(Path::new(&args[2]));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    make_site(&site);
    println!("site of {} files in {}", POSTS + IMAGES + 1, site.display());

    let exe = std::env::current_exe().expect("own path");
    let postdesk = measure("postdesk watcher", &site, || {
        Command::new(&exe)
            .arg("watch-child")
            .arg(&site)
            .stdout(Stdio::piped())
            .spawn()
            .expect("the watcher child starts")
    });
    let reference = measure("inotifywait -m -r", &site, || {
        Command::new("inotifywait")
            .args(["-m", "-r", "-q", "-e", "modify,create,delete,move"])
            .arg(&site)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("inotifywait runs (apt install inotify-tools)")
    });
    let ratio = |a: f64, b: f64| format!("{:.2}", a / b.max(0.001));
    println!(
        "ratios postdesk / inotifywait: memory {}, burst CPU {}; idle: postdesk {:.3}% of a core \
         (the debouncer's timer), inotifywait {:.3}%",
        ratio(postdesk.rss_kb as f64, reference.rss_kb as f64),
        ratio(postdesk.burst_cpu_ms, reference.burst_cpu_ms),
        postdesk.idle_cpu_ms / 30.0,
        reference.idle_cpu_ms / 30.0,
    );
}

fn make_site(site: &Path) {
    fs::create_dir_all(site).unwrap();
    fs::write(site.join("_config.yml"), "title: Big blog\n").unwrap();
    for i in 0..POSTS {
        let dir = site.join(format!("_posts/{}", 2000 + i / 100));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join(format!("{}-01-01-post-{i}.md", 2000 + i / 100)),
            format!("---\ntitle: Post {i}\n---\nText.\n"),
        )
        .unwrap();
    }
    for i in 0..IMAGES {
        let dir = site.join(format!("images/post-{}", i / 20));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(format!("screenshot-{i}.png")), [0u8; 64]).unwrap();
    }
}

struct Figures {
    rss_kb: u64,
    idle_cpu_ms: f64,
    burst_cpu_ms: f64,
}

/// Starts a watcher process, lets it settle, then measures it idle for 3 s and through a burst.
fn measure(name: &str, site: &Path, start: impl FnOnce() -> Child) -> Figures {
    let started = Instant::now();
    let mut child = start();
    let lines = Arc::new(AtomicUsize::new(0));
    let stdout = child.stdout.take().unwrap();
    let counter = lines.clone();
    let reader = std::thread::spawn(move || {
        for _ in BufReader::new(stdout).lines() {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    });
    // Ready when a probe write is reported.
    let probe = site.join("_posts/2000/2000-01-01-post-0.md");
    while lines.load(Ordering::Relaxed) == 0 {
        fs::write(&probe, "---\ntitle: probe\n---\n").unwrap();
        std::thread::sleep(Duration::from_millis(50));
        assert!(child.try_wait().unwrap().is_none(), "{name} exited");
    }
    let ready = started.elapsed();
    std::thread::sleep(Duration::from_millis(1000));
    let pid = child.id();
    let cpu0 = cpu_ms(pid);
    std::thread::sleep(Duration::from_secs(3));
    let cpu1 = cpu_ms(pid);
    let rss_kb = rss_kb(pid);
    let before = lines.load(Ordering::Relaxed);
    for i in 0..WRITES {
        // 100 different posts across the year folders, ten writes each.
        let j = (i % 100) * 20;
        let year = 2000 + j / 100;
        let post = site.join(format!("_posts/{year}/{year}-01-01-post-{j}.md"));
        fs::write(&post, format!("---\ntitle: write {i}\n---\n")).unwrap();
    }
    std::thread::sleep(Duration::from_millis(1500));
    let cpu2 = cpu_ms(pid);
    let reported = lines.load(Ordering::Relaxed) - before;
    let _ = child.kill();
    let _ = child.wait();
    let _ = reader.join();
    println!(
        "{name:18} ready in {ready:>8.1?}, RSS {rss_kb:>6} KB, idle CPU {:>6.2} ms / 3 s, \
         burst of {WRITES} writes: CPU {:>6.2} ms, {reported} lines reported",
        cpu1 - cpu0,
        cpu2 - cpu1
    );
    let _ = std::io::stdout().flush();
    Figures {
        rss_kb,
        idle_cpu_ms: cpu1 - cpu0,
        burst_cpu_ms: cpu2 - cpu1,
    }
}

/// CPU time of a process (all its threads), in ms, from the scheduler's nanosecond counts.
fn cpu_ms(pid: u32) -> f64 {
    let tasks = fs::read_dir(format!("/proc/{pid}/task")).unwrap();
    let ns: u64 = tasks
        .flatten()
        .filter_map(|t| fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split(' ').next().and_then(|n| n.parse::<u64>().ok()))
        .sum();
    ns as f64 / 1e6
}

fn rss_kb(pid: u32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The child: Postdesk's watcher on `site`, one line per batch of changes.
fn watch_child(site: &Path) {
    let _watcher = SiteWatcher::start(site, |changes| {
        println!(
            "{} posts, {} images",
            changes.posts.len(),
            changes.images.len()
        );
        let _ = std::io::stdout().flush();
    })
    .expect("the site can be watched");
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

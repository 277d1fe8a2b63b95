//! What the benches share: timing tasks against a reference in the same run.

use std::time::{Duration, Instant};

/// The median time per run of each task over `rounds` rounds. A task runs in batches of about
/// 40 ms (one run when a run takes longer); the tasks take turns, batch by batch, after a
/// warm-up run each, so a slow spell of this shared machine weighs on all of them alike and
/// their ratios hold. The batch is sized by a run after the warm-up: a first run that does
/// once-only work (compiling patterns) would make the batches of a fast task a few runs long.
pub fn medians<const N: usize>(rounds: usize, mut tasks: [&mut dyn FnMut(); N]) -> [Duration; N] {
    let batch = tasks.each_mut().map(|task| {
        task();
        let started = Instant::now();
        task();
        (Duration::from_millis(40).as_secs_f64() / started.elapsed().as_secs_f64()).ceil() as u32
    });
    let mut times = [(); N].map(|_| Vec::with_capacity(rounds));
    for _ in 0..rounds {
        for ((task, runs), times) in tasks.iter_mut().zip(batch).zip(&mut times) {
            let started = Instant::now();
            for _ in 0..runs {
                task();
            }
            times.push(started.elapsed() / runs);
        }
    }
    times.map(|mut t| {
        t.sort();
        t[rounds / 2]
    })
}

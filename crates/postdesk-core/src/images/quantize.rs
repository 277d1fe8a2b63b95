//! A palette of at most 256 colours for an opaque screenshot of more colours, used only when
//! nobody could tell it from the original: its PSNR against the pixels it replaces is at least
//! 40 dB. Variance-minimising median cut over the image's colour histogram, refined by a few
//! k-means rounds; no dithering (dither noise is what PNG compresses worst, and the PSNR already
//! says the flat colours are right).
//! Not for: photos (those stay JPEG), images with transparency, or deciding about ≤ 256 colours
//! (oxipng makes those a palette without loss).

use rustc_hash::FxHashMap;

/// The PSNR (dB, over R, G and B) from which a palette is kept: the threshold at which the
/// difference to the original is not visible.
pub(crate) const VISUALLY_LOSSLESS_PSNR: f64 = 40.0;

/// Beyond this many distinct colours (an image of gradients or noise), no palette comes close
/// to 40 dB and counting further would only cost time.
const MAX_COLOURS: usize = 1 << 17;

/// k-means rounds after the median cut.
const ROUNDS: usize = 3;

/// A palette image: up to 256 colours and one index a pixel.
pub(crate) struct Quantized {
    pub(crate) palette: Vec<[u8; 3]>,
    pub(crate) indices: Vec<u8>,
}

/// The palette image of the RGB pixels `rgb` (3 bytes each), or `None` when it would fall
/// below `min_psnr`.
pub(crate) fn quantize(rgb: &[u8], min_psnr: f64) -> Option<Quantized> {
    let pixels = rgb.len() / 3;
    if pixels == 0 {
        return None;
    }
    let (colours, counts) = histogram(rgb)?;
    let mut palette = median_cut(&colours, &counts, 256);
    let mut nearest = vec![0u8; colours.len()];
    for _ in 0..ROUNDS {
        assign(&colours, &counts, &palette, &mut nearest);
        palette = centroids(&colours, &counts, &nearest, &palette);
    }
    let palette: Vec<[u8; 3]> = palette
        .iter()
        .map(|c| c.map(|v| v.round().clamp(0.0, 255.0) as u8))
        .collect();
    let exact: Vec<[f64; 3]> = palette.iter().map(|c| c.map(f64::from)).collect();
    let psnr = psnr_of(assign(&colours, &counts, &exact, &mut nearest), pixels);
    if psnr < min_psnr {
        return None;
    }
    let index: FxHashMap<u32, u8> = colours.iter().copied().zip(nearest).collect();
    let mut indices = Vec::with_capacity(pixels);
    let mut last = (u32::MAX, 0u8);
    for p in rgb.chunks_exact(3) {
        let key = rgb_key(p);
        if key != last.0 {
            last = (key, index[&key]);
        }
        indices.push(last.1);
    }
    Some(Quantized { palette, indices })
}

/// The PSNR of a sum of squared errors over `pixels` RGB pixels (infinite when exact).
fn psnr_of(sse: f64, pixels: usize) -> f64 {
    let mse = sse / (pixels as f64 * 3.0);
    if mse == 0.0 {
        f64::INFINITY
    } else {
        10.0 * (255.0f64 * 255.0 / mse).log10()
    }
}

fn rgb_key(p: &[u8]) -> u32 {
    u32::from(p[0]) << 16 | u32::from(p[1]) << 8 | u32::from(p[2])
}

fn channel(key: u32, axis: usize) -> u8 {
    (key >> (16 - 8 * axis)) as u8
}

fn channels(key: u32) -> [f64; 3] {
    [
        f64::from((key >> 16) as u8),
        f64::from((key >> 8) as u8),
        f64::from(key as u8),
    ]
}

/// The distinct colours and how many pixels have each; `None` past `MAX_COLOURS`.
fn histogram(rgb: &[u8]) -> Option<(Vec<u32>, Vec<u32>)> {
    let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
    let mut run = (u32::MAX, 0u32);
    let flush = |(key, n): (u32, u32), counts: &mut FxHashMap<u32, u32>| {
        if n > 0 {
            *counts.entry(key).or_default() += n;
        }
        counts.len() <= MAX_COLOURS
    };
    // Screenshots are runs of one colour: count a run at once.
    for p in rgb.chunks_exact(3) {
        let key = rgb_key(p);
        if key == run.0 {
            run.1 += 1;
        } else {
            if !flush(run, &mut counts) {
                return None;
            }
            run = (key, 1);
        }
    }
    if !flush(run, &mut counts) {
        return None;
    }
    Some(counts.into_iter().unzip())
}

/// A box of the median cut: a range of the (reordered) colours and their weighted sums.
struct Cell {
    range: std::ops::Range<usize>,
    n: f64,
    sum: [f64; 3],
    sse: f64,
}

impl Cell {
    fn of(colours: &[u32], counts: &[u32], range: std::ops::Range<usize>) -> Cell {
        let (mut n, mut sum, mut sq) = (0.0, [0.0; 3], 0.0);
        for i in range.clone() {
            let w = f64::from(counts[i]);
            let c = channels(colours[i]);
            n += w;
            for k in 0..3 {
                sum[k] += w * c[k];
                sq += w * c[k] * c[k];
            }
        }
        let sse = sq - sum.iter().map(|s| s * s).sum::<f64>() / n;
        Cell { range, n, sum, sse }
    }

    fn mean(&self) -> [f64; 3] {
        self.sum.map(|s| s / self.n)
    }
}

/// Up to `k` colours: the box of most squared error is cut in two, along its widest channel,
/// where the two halves' squared errors add up least (Wu's criterion on a median-cut box).
fn median_cut(colours: &[u32], counts: &[u32], k: usize) -> Vec<[f64; 3]> {
    let mut order: Vec<(u32, u32)> = colours
        .iter()
        .copied()
        .zip(counts.iter().copied())
        .collect();
    let (mut cs, mut ws): (Vec<u32>, Vec<u32>) = order.iter().copied().unzip();
    let mut cells = vec![Cell::of(&cs, &ws, 0..cs.len())];
    while cells.len() < k {
        let Some((at, _)) = cells
            .iter()
            .enumerate()
            .filter(|(_, c)| c.range.len() > 1 && c.sse > 0.0)
            .max_by(|a, b| a.1.sse.total_cmp(&b.1.sse))
        else {
            break;
        };
        let cell = cells.swap_remove(at);
        let range = cell.range.clone();
        let mean = cell.mean();
        let spread = |k: usize| -> f64 {
            range
                .clone()
                .map(|i| {
                    let d = channels(cs[i])[k] - mean[k];
                    f64::from(ws[i]) * d * d
                })
                .sum()
        };
        let axis = (0..3)
            .max_by(|&a, &b| spread(a).total_cmp(&spread(b)))
            .unwrap_or(0);
        let part = &mut order[range.clone()];
        part.sort_unstable_by_key(|&(c, _)| channel(c, axis));
        for (i, &(c, w)) in part.iter().enumerate() {
            cs[range.start + i] = c;
            ws[range.start + i] = w;
        }
        // Prefix sums along the sorted box; a cut goes between two different values of `axis`.
        let (mut n, mut sum, mut sq) = (0.0, [0.0; 3], 0.0);
        let mut best = (f64::INFINITY, range.start + 1);
        for i in range.start..range.end - 1 {
            let w = f64::from(ws[i]);
            let c = channels(cs[i]);
            n += w;
            for k in 0..3 {
                sum[k] += w * c[k];
                sq += w * c[k] * c[k];
            }
            if channel(cs[i + 1], axis) == channel(cs[i], axis) {
                continue;
            }
            let rest_n = cell.n - n;
            let left = sq - sum.iter().map(|s| s * s).sum::<f64>() / n;
            let rest_sum = [0, 1, 2].map(|k| cell.sum[k] - sum[k]);
            let total_sq = cell.sse + cell.sum.iter().map(|s| s * s).sum::<f64>() / cell.n;
            let right = (total_sq - sq) - rest_sum.iter().map(|s| s * s).sum::<f64>() / rest_n;
            if left + right < best.0 {
                best = (left + right, i + 1);
            }
        }
        let cut = best.1;
        cells.push(Cell::of(&cs, &ws, range.start..cut));
        cells.push(Cell::of(&cs, &ws, cut..range.end));
    }
    cells.iter().map(Cell::mean).collect()
}

/// Sets each colour's nearest palette entry; returns the total squared error over all pixels.
fn assign(colours: &[u32], counts: &[u32], palette: &[[f64; 3]], nearest: &mut [u8]) -> f64 {
    let mut sse = 0.0;
    for ((&c, &w), slot) in colours.iter().zip(counts).zip(nearest.iter_mut()) {
        let c = channels(c);
        let mut best = (f64::INFINITY, 0);
        for (i, p) in palette.iter().enumerate() {
            let d0 = c[0] - p[0];
            let mut d = d0 * d0;
            if d >= best.0 {
                continue;
            }
            let d1 = c[1] - p[1];
            let d2 = c[2] - p[2];
            d += d1 * d1 + d2 * d2;
            if d < best.0 {
                best = (d, i);
            }
        }
        *slot = best.1 as u8;
        sse += f64::from(w) * best.0;
    }
    sse
}

/// The weighted mean of the colours nearest each entry (an entry nobody is nearest stays).
fn centroids(
    colours: &[u32],
    counts: &[u32],
    nearest: &[u8],
    palette: &[[f64; 3]],
) -> Vec<[f64; 3]> {
    let mut sums = vec![([0.0f64; 3], 0.0f64); palette.len()];
    for ((&c, &w), &i) in colours.iter().zip(counts).zip(nearest) {
        let (sum, n) = &mut sums[usize::from(i)];
        let w = f64::from(w);
        for (s, v) in sum.iter_mut().zip(channels(c)) {
            *s += w * v;
        }
        *n += w;
    }
    sums.iter()
        .zip(palette)
        .map(|((sum, n), old)| if *n > 0.0 { sum.map(|s| s / n) } else { *old })
        .collect()
}

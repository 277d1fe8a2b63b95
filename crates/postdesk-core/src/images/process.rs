//! Making an image fit for the web without the writer thinking about it: never upscaled,
//! downscaled to a maximum width with Lanczos3 (SIMD, `fast_image_resize`), turned upright by its
//! EXIF orientation, stripped of EXIF/GPS and every other metadata, screenshots kept PNG (an
//! `oxipng` palette when that loses nothing, else a 256-colour palette when that cannot be seen,
//! else deflate bands on every core), photos kept JPEG. Animated GIF and SVG are left as they are. Bad input (empty, truncated, not an image, a decompression bomb) is an error, never a
//! panic.
//! Not for: names, folders or links (see `import`).

use std::io::Cursor;

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::quantize;

/// The largest image Postdesk decodes: a 100000×100000 PNG is refused from its header.
const MAX_SIDE: u32 = 20_000;
const MAX_ALLOC: u64 = 512 * 1024 * 1024;
/// JPEG quality for photos: visually clean, about a third of the bytes of quality 95.
const JPEG_QUALITY: u8 = 85;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImageError {
    #[error("{name} is empty")]
    Empty { name: String },
    #[error("{name} is not an image Postdesk can use (PNG, JPEG, GIF, WebP or SVG)")]
    NotAnImage { name: String },
    #[error("{name} is damaged or cut short and cannot be read: {detail}")]
    Damaged { name: String, detail: String },
    #[error(
        "{name} is too large to open safely ({detail}); scale it down in an image editor first"
    )]
    TooLarge { name: String, detail: String },
}

/// An image ready to be written: its bytes, file extension and size in pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    pub bytes: Vec<u8>,
    pub ext: &'static str,
    pub width: u32,
    pub height: u32,
    /// The size it came in at.
    pub original: (u32, u32),
}

/// How a screenshot (a PNG, WebP… anything but a JPEG photo) of more than 256 colours is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Screenshots {
    /// A palette of 256 colours when that cannot be seen (PSNR ≥ 40 dB against the pixels it
    /// replaces; about half the bytes of a UI screenshot), else lossless.
    #[default]
    Palette,
    /// Always every pixel as it is (`postdesk_lossless_screenshots: true` in `_config.yml`).
    Lossless,
}

/// Processes `bytes` (named `name`, for messages) for the web, at most `max_width` wide.
pub fn process(
    name: &str,
    bytes: &[u8],
    max_width: u32,
    screenshots: Screenshots,
) -> Result<Processed, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::Empty {
            name: name.to_owned(),
        });
    }
    if is_svg(bytes) {
        return Ok(Processed {
            bytes: bytes.to_vec(),
            ext: "svg",
            width: 0,
            height: 0,
            original: (0, 0),
        });
    }
    let format = image::guess_format(bytes).map_err(|_| ImageError::NotAnImage {
        name: name.to_owned(),
    })?;
    let damaged = |e: image::ImageError| match e {
        image::ImageError::Limits(l) => ImageError::TooLarge {
            name: name.to_owned(),
            detail: l.to_string(),
        },
        image::ImageError::Unsupported(_) => ImageError::NotAnImage {
            name: name.to_owned(),
        },
        other => ImageError::Damaged {
            name: name.to_owned(),
            detail: other.to_string(),
        },
    };
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(damaged)?;
    let (w, h) = decoder.dimensions();
    if format == ImageFormat::Gif {
        // GIFs are kept as they are (animations included); the header was checked above.
        return Ok(Processed {
            bytes: bytes.to_vec(),
            ext: "gif",
            width: w,
            height: h,
            original: (w, h),
        });
    }
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    if format == ImageFormat::Jpeg && orientation == Orientation::NoTransforms && w <= max_width {
        // Already small and upright: only the metadata goes, the pixels are not re-encoded.
        if let Some(stripped) = strip_jpeg_metadata(bytes) {
            return Ok(Processed {
                bytes: stripped,
                ext: "jpg",
                width: w,
                height: h,
                original: (w, h),
            });
        }
    }
    let mut img = DynamicImage::from_decoder(decoder).map_err(damaged)?;
    img.apply_orientation(orientation);
    let original = (img.width(), img.height());
    let img = downscale(img, max_width);
    let photo = format == ImageFormat::Jpeg;
    let (width, height) = (img.width(), img.height());
    let bytes = if photo {
        encode_jpeg(&img)
    } else {
        encode_png(img, screenshots)
    }
    .map_err(damaged)?;
    Ok(Processed {
        bytes,
        ext: if photo { "jpg" } else { "png" },
        width,
        height,
        original,
    })
}

fn is_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with("<svg") || (head.starts_with("<?xml") && head.contains("<svg"))
}

/// `img` at most `max_width` wide (never wider than it was), resized with Lanczos3.
fn downscale(img: DynamicImage, max_width: u32) -> DynamicImage {
    if img.width() <= max_width || max_width == 0 {
        return img;
    }
    let height = ((img.height() as u64 * max_width as u64 + img.width() as u64 / 2)
        / img.width() as u64)
        .max(1) as u32;
    // 8 bits a channel, with alpha only where the image has it (no copy when it is so already).
    let src = if img.color().has_alpha() {
        DynamicImage::ImageRgba8(img.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.into_rgb8())
    };
    let mut dst = match &src {
        DynamicImage::ImageRgba8(_) => DynamicImage::new_rgba8(max_width, height),
        _ => DynamicImage::new_rgb8(max_width, height),
    };
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    match Resizer::new().resize(&src, &mut dst, &options) {
        Ok(()) => dst,
        // Pixel layouts the SIMD resizer does not take: the `image` crate's own Lanczos3.
        Err(_) => src.resize(max_width, height, image::imageops::FilterType::Lanczos3),
    }
}

/// A PNG of `img`, without an alpha channel when every pixel is opaque. An image of at most 256
/// colours goes to oxipng, which turns it into a palette (or grey) image where that loses nothing.
/// Any other (a downscaled screenshot: Lanczos leaves many shades at every edge) becomes a palette
/// image when `screenshots` allows and 256 colours look the same (see `quantize`); else its
/// Paeth-filtered rows are deflated in bands, one per core, joined into one zlib stream as pigz
/// does. (Measured on a 4K screenshot scaled to 1600 px: as small as ImageMagick's and faster than
/// oxipng's libdeflate on one core; see `make bench-images`.)
fn encode_png(img: DynamicImage, screenshots: Screenshots) -> image::ImageResult<Vec<u8>> {
    let img = without_opaque_alpha(img);
    let (width, height) = (img.width(), img.height());
    let alpha = img.color().has_alpha();
    let (bpp, data) = if alpha {
        (4, img.into_rgba8().into_raw())
    } else {
        (3, img.into_rgb8().into_raw())
    };
    let io = |e: String| image::ImageError::IoError(std::io::Error::other(e));
    if !more_than_256_colours(&data, bpp) {
        let color = if alpha {
            oxipng::ColorType::RGBA
        } else {
            oxipng::ColorType::RGB {
                transparent_color: None,
            }
        };
        return optimized_png(width, height, color, data).map_err(io);
    }
    if screenshots == Screenshots::Palette && !alpha {
        if let Some(q) = quantize::quantize(&data, quantize::VISUALLY_LOSSLESS_PSNR) {
            let palette = q
                .palette
                .iter()
                .map(|&[r, g, b]| oxipng::RGBA8::new(r, g, b, 255));
            let color = oxipng::ColorType::Indexed {
                palette: palette.collect(),
            };
            return optimized_png(width, height, color, q.indices).map_err(io);
        }
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let bands = cores.min(height as usize / 64).max(1);
    let zlib = deflate_in_bands(&data, width as usize * bpp, bpp, bands)?;
    let mut out = Vec::with_capacity(zlib.len() + 64);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(if alpha {
        png::ColorType::Rgba
    } else {
        png::ColorType::Rgb
    });
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| io(e.to_string()))?;
    writer
        .write_chunk(png::chunk::IDAT, &zlib)
        .map_err(|e| io(e.to_string()))?;
    writer.finish().map_err(|e| io(e.to_string()))?;
    Ok(out)
}

/// The smallest PNG oxipng quickly finds for these pixels (palette sorted, bit depth reduced).
fn optimized_png(
    width: u32,
    height: u32,
    color: oxipng::ColorType,
    data: Vec<u8>,
) -> Result<Vec<u8>, String> {
    let raw = oxipng::RawImage::new(width, height, color, oxipng::BitDepth::Eight, data)
        .map_err(|e| e.to_string())?;
    let mut options = oxipng::Options::from_preset(0);
    options.filters = [oxipng::FilterStrategy::Basic(oxipng::RowFilter::Paeth)]
        .into_iter()
        .collect();
    options.deflater = oxipng::Deflater::Libdeflater { compression: 2 };
    options.strip = oxipng::StripChunks::All;
    raw.create_optimized_png(&options)
        .map_err(|e| e.to_string())
}

/// `img` as RGB when it has an alpha channel that is opaque everywhere.
fn without_opaque_alpha(img: DynamicImage) -> DynamicImage {
    match img {
        DynamicImage::ImageRgba8(rgba) if rgba.pixels().all(|p| p.0[3] == u8::MAX) => {
            DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(rgba).into_rgb8())
        }
        other => other,
    }
}

/// Whether the pixels (`bpp` bytes each) hold more than 256 distinct colours; stops counting there.
fn more_than_256_colours(data: &[u8], bpp: usize) -> bool {
    let mut seen = std::collections::HashSet::new();
    let mut last = None;
    for pixel in data.chunks_exact(bpp) {
        let colour = pixel.iter().fold(0u32, |c, b| c << 8 | u32::from(*b));
        if last != Some(colour) && seen.insert(colour) && seen.len() > 256 {
            return true;
        }
        last = Some(colour);
    }
    false
}

/// The zlib stream of the Paeth-filtered rows of `data` (`stride` bytes a row, `bpp` a pixel),
/// deflated in `bands` bands of rows at once: every band but the last ends on a sync flush, so
/// the raw deflate bands join into one stream (each band starts with an empty window: a few
/// bytes more than one stream, in a fraction of the time).
fn deflate_in_bands(
    data: &[u8],
    stride: usize,
    bpp: usize,
    bands: usize,
) -> std::io::Result<Vec<u8>> {
    const LEVEL: u32 = 4;
    let rows = data.len() / stride;
    let bounds: Vec<usize> = (0..=bands).map(|i| rows * i / bands).collect();
    let done: Vec<_> = std::thread::scope(|scope| {
        let workers: Vec<_> = bounds
            .windows(2)
            .enumerate()
            .map(|(i, w)| {
                let (first, end) = (w[0], w[1]);
                scope.spawn(move || {
                    let filtered = paeth_filtered(data, stride, bpp, first..end);
                    let flush = if i + 1 == bands {
                        flate2::FlushCompress::Finish
                    } else {
                        flate2::FlushCompress::Sync
                    };
                    let deflated =
                        deflate(&filtered, LEVEL, flush).map_err(std::io::Error::other)?;
                    Ok((
                        zlib_rs::adler32::adler32(1, &filtered),
                        filtered.len(),
                        deflated,
                    ))
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("compressing the image failed")))
            })
            .collect::<std::io::Result<_>>()
    })?;
    // zlib header (deflate, 32 KB window, fastest-level hint), the bands, Adler-32 of it all.
    let mut out = vec![0x78, 0x01];
    let mut adler = 1u32;
    for (band_adler, len, deflated) in &done {
        out.extend_from_slice(deflated);
        adler = zlib_rs::adler32::adler32_combine(adler, *band_adler, *len as u64);
    }
    out.extend(adler.to_be_bytes());
    Ok(out)
}

/// Rows `rows` of `data` as PNG scanlines, each a filter-type byte (4, Paeth) and the filtered
/// bytes; a row's predictor reads the row above it even across a band's first row.
fn paeth_filtered(data: &[u8], stride: usize, bpp: usize, rows: std::ops::Range<usize>) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows.len() * (stride + 1));
    let zero = vec![0; stride];
    for y in rows {
        let row = &data[y * stride..(y + 1) * stride];
        let above = if y == 0 {
            &zero[..]
        } else {
            &data[(y - 1) * stride..y * stride]
        };
        out.push(4);
        out.extend(row.iter().zip(above).enumerate().map(|(i, (&x, &b))| {
            let (a, c) = if i >= bpp {
                (row[i - bpp], above[i - bpp])
            } else {
                (0, 0)
            };
            x.wrapping_sub(paeth(a, b, c))
        }));
    }
    out
}

/// The PNG Paeth predictor: whichever of left, above and upper-left is nearest to left + above − upper-left.
fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let (ia, ib, ic) = (i16::from(a), i16::from(b), i16::from(c));
    let pa = (ib - ic).abs();
    let pb = (ia - ic).abs();
    let pc = (ia + ib - 2 * ic).abs();
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// Raw deflate of `data` at `level`, ending with `flush` (a sync flush leaves the stream open and
/// byte-aligned for the next band; finish closes it).
fn deflate(
    data: &[u8],
    level: u32,
    flush: flate2::FlushCompress,
) -> Result<Vec<u8>, flate2::CompressError> {
    let mut compress = flate2::Compress::new(flate2::Compression::new(level), false);
    let mut out = Vec::with_capacity(data.len() / 2 + 1024);
    loop {
        let consumed = compress.total_in() as usize;
        let status = compress.compress_vec(&data[consumed..], &mut out, flush)?;
        let all_in = compress.total_in() as usize == data.len();
        let room_left = out.len() < out.capacity();
        match status {
            flate2::Status::StreamEnd => return Ok(out),
            // A sync flush is complete once all input is in and the output did not fill up.
            _ if all_in && room_left && flush == flate2::FlushCompress::Sync => return Ok(out),
            _ => out.reserve(out.capacity().max(64 * 1024)),
        }
    }
}

fn encode_jpeg(img: &DynamicImage) -> image::ImageResult<Vec<u8>> {
    let mut out = Vec::new();
    let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
    rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))?;
    Ok(out)
}

/// The JPEG without its APP1–APP15 (EXIF, XMP, GPS…) and comment segments; the JFIF APP0 and
/// everything the pixels need stay byte for byte. `None` when the stream is not what it claims.
fn strip_jpeg_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut out = vec![0xFF, 0xD8];
    let mut i = 2;
    loop {
        if *bytes.get(i)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(i + 1)?;
        if marker == 0xDA {
            // Start of scan: the rest is image data.
            out.extend_from_slice(&bytes[i..]);
            return Some(out);
        }
        let len = u16::from_be_bytes([*bytes.get(i + 2)?, *bytes.get(i + 3)?]) as usize;
        let end = i + 2 + len;
        let segment = bytes.get(i..end)?;
        let metadata = (0xE1..=0xEF).contains(&marker) || marker == 0xFE;
        if !metadata {
            out.extend_from_slice(segment);
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgb, Rgba};

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = ImageBuffer::from_fn(w, h, |x, y| {
            Rgba([(x % 256) as u8, (y % 256) as u8, 200, 255])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgba8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    fn jpeg_with_exif(orientation: u8) -> Vec<u8> {
        let img = ImageBuffer::from_fn(40, 20, |x, _| Rgb([if x < 20 { 255 } else { 0 }, 0, 0]));
        let mut plain = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_with_encoder(JpegEncoder::new_with_quality(&mut plain, 90))
            .unwrap();
        // An APP1 Exif segment (big-endian TIFF, one IFD entry: Orientation) and a GPS-ish comment.
        let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01".to_vec();
        tiff.extend([
            0x01,
            0x12,
            0,
            3,
            0,
            0,
            0,
            1,
            0,
            orientation,
            0,
            0,
            0,
            0,
            0,
            0,
        ]);
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend(tiff);
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
        out.extend(((app1.len() + 2) as u16).to_be_bytes());
        out.extend(app1);
        out.extend([0xFF, 0xFE, 0, 10]);
        out.extend(b"GPS 37.5");
        out.extend_from_slice(&plain[2..]);
        out
    }

    #[test]
    fn screenshots_are_scaled_down_never_up_and_stay_png() {
        let big = process("shot.png", &png(3200, 1000), 1600, Screenshots::Palette).unwrap();
        assert_eq!(
            (big.ext, big.width, big.height, big.original),
            ("png", 1600, 500, (3200, 1000))
        );
        let small = process("shot.png", &png(300, 100), 1600, Screenshots::Palette).unwrap();
        assert_eq!((small.width, small.height), (300, 100));
        let decoded = image::load_from_memory(&big.bytes).unwrap();
        assert_eq!(decoded.width(), 1600);
    }

    #[test]
    fn photos_are_turned_upright_and_lose_their_metadata() {
        // Orientation 6: the camera was turned; the upright image is 20 wide and 40 high.
        let turned = process("photo.jpg", &jpeg_with_exif(6), 1600, Screenshots::Palette).unwrap();
        assert_eq!((turned.ext, turned.width, turned.height), ("jpg", 20, 40));
        assert!(!turned.bytes.windows(4).any(|w| w == b"Exif"));
        let upright = process("photo.jpg", &jpeg_with_exif(1), 1600, Screenshots::Palette).unwrap();
        assert_eq!((upright.width, upright.height), (40, 20));
        assert!(!upright.bytes.windows(4).any(|w| w == b"Exif"));
        assert!(!upright.bytes.windows(3).any(|w| w == b"GPS"));
        image::load_from_memory(&upright.bytes).unwrap();
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(matches!(
            process("e.png", b"", 1600, Screenshots::Palette),
            Err(ImageError::Empty { .. })
        ));
        assert!(matches!(
            process("t.txt", b"hello, world", 1600, Screenshots::Palette),
            Err(ImageError::NotAnImage { .. })
        ));
        let whole = png(64, 64);
        assert!(matches!(
            process(
                "cut.png",
                &whole[..whole.len() / 2],
                1600,
                Screenshots::Palette
            ),
            Err(ImageError::Damaged { .. })
        ));
        // A PNG whose header declares 100000×100000 pixels.
        let mut bomb = whole.clone();
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let crc = zlib_rs::crc32::crc32(0, &bomb[12..29]);
        bomb[29..33].copy_from_slice(&crc.to_be_bytes());
        assert!(matches!(
            process("bomb.png", &bomb, 1600, Screenshots::Palette),
            Err(ImageError::TooLarge { .. })
        ));
        let svg = b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        assert_eq!(
            process("d.svg", svg, 1600, Screenshots::Palette)
                .unwrap()
                .bytes,
            svg.to_vec()
        );
    }

    fn decoded_png(bytes: &[u8]) -> (png::ColorType, Vec<u8>) {
        let mut reader = png::Decoder::new(Cursor::new(bytes)).read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        pixels.truncate(info.buffer_size());
        (info.color_type, pixels)
    }

    #[test]
    fn many_coloured_images_are_deflated_in_bands_without_loss() {
        // Noise-like pixels: far more than 256 colours, as a downscaled screenshot has. Tall enough
        // for a band per core; an odd height so the bands differ in size.
        let noise = |x: u32, y: u32, k: u32| {
            let h = (x.wrapping_mul(73_856_093)
                ^ y.wrapping_mul(19_349_663)
                ^ k.wrapping_mul(83_492_791))
            .wrapping_mul(2_654_435_761);
            (h >> 24) as u8
        };
        let rgb = ImageBuffer::from_fn(301, 389, |x, y| Rgb([noise(x, y, 0), noise(x, y, 1), 9]));
        let bytes =
            encode_png(DynamicImage::ImageRgb8(rgb.clone()), Screenshots::Lossless).unwrap();
        assert!(decoded_png(&bytes) == (png::ColorType::Rgb, rgb.into_raw()));

        let rgba = ImageBuffer::from_fn(130, 257, |x, y| {
            Rgba([
                noise(x, y, 0),
                noise(x, y, 1),
                noise(x, y, 2),
                (x % 256) as u8,
            ])
        });
        let bytes = encode_png(
            DynamicImage::ImageRgba8(rgba.clone()),
            Screenshots::Lossless,
        )
        .unwrap();
        assert!(decoded_png(&bytes) == (png::ColorType::Rgba, rgba.into_raw()));

        // Opaque everywhere: the alpha channel goes.
        let opaque = ImageBuffer::from_fn(200, 150, |x, y| {
            Rgba([noise(x, y, 0), noise(x, y, 1), 0, 255])
        });
        let bytes = encode_png(
            DynamicImage::ImageRgba8(opaque.clone()),
            Screenshots::Lossless,
        )
        .unwrap();
        let (colour, pixels) = decoded_png(&bytes);
        assert_eq!(colour, png::ColorType::Rgb);
        assert!(pixels == DynamicImage::ImageRgba8(opaque).into_rgb8().into_raw());
    }

    #[test]
    fn few_coloured_images_become_a_palette() {
        let img = ImageBuffer::from_fn(400, 300, |x, y| {
            Rgb(if (x / 40 + y / 30) % 2 == 0 {
                [255, 255, 255]
            } else {
                [20, 90, 200]
            })
        });
        let bytes = encode_png(DynamicImage::ImageRgb8(img.clone()), Screenshots::Palette).unwrap();
        assert_eq!(decoded_png(&bytes).0, png::ColorType::Indexed);
        assert!(image::load_from_memory(&bytes).unwrap().into_rgb8() == img);
    }

    /// A UI screenshot in miniature: three flat panels, and on them anti-aliased dots in four
    /// inks, each edge pixel a blend of ink and panel: about a thousand colours, most pixels flat.
    fn ui_screenshot() -> image::RgbImage {
        let panels = [
            [250.0, 250.0, 252.0],
            [30.0, 58.0, 138.0],
            [241.0, 245.0, 249.0],
        ];
        let inks = [
            [20.0, 20.0, 20.0],
            [255.0, 255.0, 255.0],
            [200.0, 40.0, 40.0],
            [40.0, 140.0, 60.0],
        ];
        ImageBuffer::from_fn(480, 320, |x, y| {
            let panel: [f64; 3] = panels[(x / 160) as usize];
            let ink: [f64; 3] = inks[(y / 80) as usize];
            let (cx, cy) = (f64::from(x % 16) - 7.3, f64::from(y % 16) - 7.6);
            let radius = 2.5 + f64::from((x / 16 + 7 * (y / 16)) % 9) * 0.31;
            let cover = ((radius - (cx * cx + cy * cy).sqrt()) / 1.4).clamp(0.0, 1.0);
            Rgb([0, 1, 2].map(|k| (panel[k] + (ink[k] - panel[k]) * cover).round() as u8))
        })
    }

    /// A photo-like image: smooth gradients in every channel under sensor-like noise.
    fn gradient() -> image::RgbImage {
        ImageBuffer::from_fn(320, 240, |x, y| {
            let noise = |k: u32| {
                let h = (x.wrapping_mul(73_856_093) ^ y.wrapping_mul(19_349_663) ^ k)
                    .wrapping_mul(2_654_435_761);
                f64::from(h >> 28) - 7.5
            };
            let base = [
                f64::from(x) * 0.7 + 20.0,
                f64::from(y) * 0.9 + 10.0,
                f64::from(x + y) * 0.4 + 30.0,
            ];
            Rgb([0, 1, 2].map(|k| (base[k] + noise(k as u32)).clamp(0.0, 255.0) as u8))
        })
    }

    /// PSNR over R, G and B, computed here apart from the quantizer's own count.
    fn psnr(a: &[u8], b: &[u8]) -> f64 {
        assert_eq!(a.len(), b.len());
        let sse: f64 = a
            .iter()
            .zip(b)
            .map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2))
            .sum();
        10.0 * (255.0f64.powi(2) * a.len() as f64 / sse).log10()
    }

    fn png_file(img: &image::RgbImage) -> Vec<u8> {
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img.clone())
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn a_screenshot_of_few_colours_becomes_a_palette_that_looks_the_same() {
        let shot = ui_screenshot();
        assert!(more_than_256_colours(shot.as_raw(), 3));
        let processed = process("shot.png", &png_file(&shot), 1600, Screenshots::Palette).unwrap();
        assert_eq!(decoded_png(&processed.bytes).0, png::ColorType::Indexed);
        let pixels = image::load_from_memory(&processed.bytes)
            .unwrap()
            .into_rgb8();
        let db = psnr(shot.as_raw(), pixels.as_raw());
        assert!((40.0..f64::INFINITY).contains(&db), "PSNR {db:.1} dB");
        let lossless = process("shot.png", &png_file(&shot), 1600, Screenshots::Lossless).unwrap();
        assert!(processed.bytes.len() < lossless.bytes.len());
    }

    #[test]
    fn a_photo_like_gradient_stays_lossless_and_a_photo_jpeg() {
        let photo = gradient();
        // Its best palette falls below 40 dB by this test's own count, and the quantizer says so.
        let q = quantize::quantize(photo.as_raw(), 0.0).unwrap();
        let remapped: Vec<u8> = q
            .indices
            .iter()
            .flat_map(|&i| q.palette[usize::from(i)])
            .collect();
        let db = psnr(photo.as_raw(), &remapped);
        assert!(db < 40.0, "PSNR {db:.1} dB");
        assert!(quantize::quantize(photo.as_raw(), quantize::VISUALLY_LOSSLESS_PSNR).is_none());

        let processed =
            process("photo.png", &png_file(&photo), 1600, Screenshots::Palette).unwrap();
        let (colour, pixels) = decoded_png(&processed.bytes);
        assert_eq!(colour, png::ColorType::Rgb);
        assert!(pixels == photo.clone().into_raw());

        let mut jpeg = Vec::new();
        DynamicImage::ImageRgb8(photo)
            .write_with_encoder(JpegEncoder::new_with_quality(&mut jpeg, 95))
            .unwrap();
        let processed = process("photo.jpg", &jpeg, 200, Screenshots::Palette).unwrap();
        assert_eq!(processed.ext, "jpg");
        assert_eq!(
            image::guess_format(&processed.bytes).unwrap(),
            ImageFormat::Jpeg
        );
    }

    #[test]
    fn lossless_screenshots_keep_every_pixel() {
        let shot = ui_screenshot();
        let processed = process("shot.png", &png_file(&shot), 1600, Screenshots::Lossless).unwrap();
        let (colour, pixels) = decoded_png(&processed.bytes);
        assert_eq!(colour, png::ColorType::Rgb);
        assert!(pixels == shot.clone().into_raw());
        let palette = process("shot.png", &png_file(&shot), 1600, Screenshots::Palette).unwrap();
        let quantized = image::load_from_memory(&palette.bytes).unwrap().into_rgb8();
        assert!(quantized != shot, "the default would have changed pixels");
    }

    #[test]
    fn deflate_bands_join_into_one_zlib_stream() {
        // Three bands whatever the cores of this machine; a real zlib decoder checks the join and
        // the combined Adler-32.
        let (stride, rows) = (3 * 97, 200);
        let data: Vec<u8> = (0..stride * rows)
            .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_be_bytes()[0])
            .collect();
        let zlib = deflate_in_bands(&data, stride, 3, 3).unwrap();
        let mut inflated = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::ZlibDecoder::new(&zlib[..]),
            &mut inflated,
        )
        .unwrap();
        assert!(inflated == paeth_filtered(&data, stride, 3, 0..rows));
    }
}

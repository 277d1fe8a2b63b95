//! Making an image fit for the web without the writer thinking about it: never upscaled,
//! downscaled to a maximum width with Lanczos3 (SIMD, `fast_image_resize`), turned upright by its
//! EXIF orientation, stripped of EXIF/GPS and every other metadata, screenshots kept PNG and
//! recompressed losslessly (`oxipng`), photos kept JPEG. Animated GIF and SVG are left as they
//! are. Bad input (empty, truncated, not an image, a decompression bomb) is an error, never a
//! panic.
//! Not for: names, folders or links (see `import`).

use std::io::Cursor;

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

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

/// Processes `bytes` (named `name`, for messages) for the web, at most `max_width` wide.
pub fn process(name: &str, bytes: &[u8], max_width: u32) -> Result<Processed, ImageError> {
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
        encode_png(img)
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

/// A lossless PNG of `img`: oxipng takes the pixels directly (no PNG written twice), reduces
/// colour type, bit depth and palette where that loses nothing, and deflates Paeth-filtered rows
/// with libdeflate at level 2. (Measured on a 4K screenshot: as small as ImageMagick's, at a fraction of
/// oxipng's default effort; see `make bench-images`.)
fn encode_png(img: DynamicImage) -> image::ImageResult<Vec<u8>> {
    let (width, height) = (img.width(), img.height());
    let (color, data) = if img.color().has_alpha() {
        (oxipng::ColorType::RGBA, img.into_rgba8().into_raw())
    } else {
        (
            oxipng::ColorType::RGB {
                transparent_color: None,
            },
            img.into_rgb8().into_raw(),
        )
    };
    let raw = oxipng::RawImage::new(width, height, color, oxipng::BitDepth::Eight, data)
        .map_err(|e| image::ImageError::IoError(std::io::Error::other(e.to_string())))?;
    let mut options = oxipng::Options::from_preset(0);
    options.filters = [oxipng::FilterStrategy::Basic(oxipng::RowFilter::Paeth)]
        .into_iter()
        .collect();
    options.deflater = oxipng::Deflater::Libdeflater { compression: 2 };
    options.strip = oxipng::StripChunks::All;
    raw.create_optimized_png(&options)
        .map_err(|e| image::ImageError::IoError(std::io::Error::other(e.to_string())))
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
        let big = process("shot.png", &png(3200, 1000), 1600).unwrap();
        assert_eq!(
            (big.ext, big.width, big.height, big.original),
            ("png", 1600, 500, (3200, 1000))
        );
        let small = process("shot.png", &png(300, 100), 1600).unwrap();
        assert_eq!((small.width, small.height), (300, 100));
        let decoded = image::load_from_memory(&big.bytes).unwrap();
        assert_eq!(decoded.width(), 1600);
    }

    #[test]
    fn photos_are_turned_upright_and_lose_their_metadata() {
        // Orientation 6: the camera was turned; the upright image is 20 wide and 40 high.
        let turned = process("photo.jpg", &jpeg_with_exif(6), 1600).unwrap();
        assert_eq!((turned.ext, turned.width, turned.height), ("jpg", 20, 40));
        assert!(!turned.bytes.windows(4).any(|w| w == b"Exif"));
        let upright = process("photo.jpg", &jpeg_with_exif(1), 1600).unwrap();
        assert_eq!((upright.width, upright.height), (40, 20));
        assert!(!upright.bytes.windows(4).any(|w| w == b"Exif"));
        assert!(!upright.bytes.windows(3).any(|w| w == b"GPS"));
        image::load_from_memory(&upright.bytes).unwrap();
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(matches!(
            process("e.png", b"", 1600),
            Err(ImageError::Empty { .. })
        ));
        assert!(matches!(
            process("t.txt", b"hello, world", 1600),
            Err(ImageError::NotAnImage { .. })
        ));
        let whole = png(64, 64);
        assert!(matches!(
            process("cut.png", &whole[..whole.len() / 2], 1600),
            Err(ImageError::Damaged { .. })
        ));
        // A PNG whose header declares 100000×100000 pixels.
        let mut bomb = whole.clone();
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let crc = crc32(&bomb[12..29]);
        bomb[29..33].copy_from_slice(&crc.to_be_bytes());
        assert!(matches!(
            process("bomb.png", &bomb, 1600),
            Err(ImageError::TooLarge { .. })
        ));
        let svg = b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        assert_eq!(process("d.svg", svg, 1600).unwrap().bytes, svg.to_vec());
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for b in data {
            crc ^= *b as u32;
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}

//! SVG → PNG (resvg, tiny-skia) and SVG → PDF (svg2pdf): figures an analyst can put
//! anywhere, with no browser and no system library.
//!
//! Determinism: text is shaped with the bundled DejaVu Sans (`assets/fonts/`, the
//! last named family of every figure's `font-family` list and the generic
//! `sans-serif`/`serif`/`monospace` here), never with the machine's fonts, so the same
//! SVG gives the same bytes everywhere. Neither format carries a date: tiny-skia
//! writes no time chunk, svg2pdf no `CreationDate` and no random document id. No
//! external resource is read: `<image>` references are dropped.

use std::sync::{Arc, OnceLock};

use resvg::usvg;

/// The bundled regular face.
const DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// The bundled bold face.
const DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
/// The family every generic name resolves to.
const FAMILY: &str = "DejaVu Sans";

/// The largest PNG drawn, in pixels (a 10,000 × 10,000 figure): beyond it the
/// pixmap alone would take 400 MB; SVG and PDF have no such limit.
pub const MAX_PIXELS: u64 = 100_000_000;

fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(DEJAVU_SANS.to_vec());
        db.load_font_data(DEJAVU_SANS_BOLD.to_vec());
        db.set_sans_serif_family(FAMILY);
        db.set_serif_family(FAMILY);
        db.set_monospace_family(FAMILY);
        db.set_cursive_family(FAMILY);
        db.set_fantasy_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Why a figure could not be converted.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// The SVG does not parse.
    #[error("the SVG does not parse: {0}")]
    Parse(#[from] usvg::Error),
    /// The raster would exceed [`MAX_PIXELS`].
    #[error(
        "the figure is {w} × {h} pixels, more than a PNG of {MAX_PIXELS} pixels jenga draws; write SVG or PDF instead"
    )]
    TooManyPixels {
        /// Width in pixels.
        w: u32,
        /// Height in pixels.
        h: u32,
    },
    /// The raster cannot be allocated (an empty figure).
    #[error("cannot draw a {w} × {h} PNG")]
    Pixmap {
        /// Width in pixels.
        w: u32,
        /// Height in pixels.
        h: u32,
    },
    /// The PNG encoder failed.
    #[error("cannot encode the PNG: {0}")]
    Png(String),
    /// svg2pdf failed.
    #[error("cannot convert the figure to PDF: {0}")]
    Pdf(String),
}

/// The largest PNG the report draws, in pixels: a figure over it is drawn scaled
/// down to fit (a 2,000 × 2,000 figure, or twice a 1080p slide); its SVG and PDF keep
/// every detail. The seed's figures are all under it, drawn at one pixel per SVG pixel.
pub const REPORT_PNG_PIXELS: u64 = 4_000_000;

/// A parsed figure, converted to PNG and PDF without parsing (and shaping its text)
/// again.
pub struct Parsed(usvg::Tree);

/// Parses `svg` with the bundled fonts only; a family the figure names but jenga
/// does not bundle (Helvetica, Times) falls through to DejaVu Sans. The fonts are
/// loaded once per process.
///
/// # Errors
/// The SVG does not parse.
pub fn parse(svg: &str) -> Result<Parsed, ConvertError> {
    parse_tree(svg).map(Parsed)
}

fn parse_tree(svg: &str) -> Result<usvg::Tree, ConvertError> {
    let default_select = usvg::FontResolver::default_font_selector();
    let options = usvg::Options {
        font_family: FAMILY.to_owned(),
        fontdb: fonts(),
        font_resolver: usvg::FontResolver {
            select_font: Box::new(move |font, db| {
                default_select(font, db).or_else(|| {
                    db.query(&usvg::fontdb::Query {
                        families: &[usvg::fontdb::Family::Name(FAMILY)],
                        weight: usvg::fontdb::Weight(font.weight()),
                        ..Default::default()
                    })
                })
            }),
            select_fallback: usvg::FontResolver::default_fallback_selector(),
        },
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    Ok(usvg::Tree::from_str(svg, &options)?)
}

/// The figure as a PNG at one pixel per SVG pixel, on white.
///
/// # Errors
/// The SVG does not parse, is empty, or exceeds [`MAX_PIXELS`].
///
/// # Complexity
/// O(width × height) for the raster plus the size of the drawing.
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>, ConvertError> {
    to_png(&parse(svg)?, None)
}

/// The size of the PNG of a `w` × `h` figure drawn within `budget` pixels, and the
/// scale it is drawn at: 1 when it fits, else the largest scale whose raster does.
fn fit(w: u32, h: u32, budget: u64) -> (u32, u32, f32) {
    let pixels = u64::from(w) * u64::from(h);
    if pixels <= budget || pixels == 0 {
        return (w, h, 1.0);
    }
    #[allow(clippy::cast_precision_loss)]
    let mut scale = (budget as f64 / pixels as f64).sqrt();
    let dims = |s: f64| {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let d = |v: u32| ((f64::from(v) * s).floor() as u32).max(1);
        (d(w), d(h))
    };
    // Floating-point rounding must not leave the raster over the budget.
    while {
        let (a, b) = dims(scale);
        u64::from(a) * u64::from(b) > budget
    } {
        scale *= 0.999;
    }
    let (a, b) = dims(scale);
    #[allow(clippy::cast_possible_truncation)]
    (a, b, scale as f32)
}

/// The figure as a PNG on white: at one pixel per SVG pixel when `fit_within` is
/// `None` or the figure has at most that many pixels, else scaled down to fit them.
///
/// # Errors
/// The figure is empty, or, drawn at full size, exceeds [`MAX_PIXELS`].
///
/// # Complexity
/// O(pixels) for the raster plus the size of the drawing.
pub fn to_png(figure: &Parsed, fit_within: Option<u64>) -> Result<Vec<u8>, ConvertError> {
    let tree = &figure.0;
    let size = tree.size().to_int_size();
    let (w, h, scale) = match fit_within {
        Some(budget) => fit(size.width(), size.height(), budget.min(MAX_PIXELS)),
        None => (size.width(), size.height(), 1.0),
    };
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(ConvertError::TooManyPixels { w, h });
    }
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).ok_or(ConvertError::Pixmap { w, h })?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    encode_opaque(&pixmap)
}

/// `pixmap`, drawn on white and so opaque everywhere, as an 8-bit RGB PNG: the alpha
/// channel (255 in every pixel, so premultiplied and straight colour agree) is
/// dropped, and the rows are filtered and deflated by the png crate's `Fast` mode
/// (fdeflate), several times faster than tiny-skia's own encoder (adaptive filters,
/// zlib's default level) for files about as small on these flat-coloured figures.
///
/// # Complexity
/// O(pixels).
fn encode_opaque(pixmap: &resvg::tiny_skia::Pixmap) -> Result<Vec<u8>, ConvertError> {
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::with_capacity(rgb.len() / 8);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let png_error = |e: png::EncodingError| ConvertError::Png(e.to_string());
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer.write_image_data(&rgb).map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(out)
}

/// The figure as a one-page PDF of the figure's size (1 SVG pixel = 0.75 pt, the CSS
/// ratio). Text is text, in subsets of the bundled fonts embedded in the file, so it
/// can be selected, searched and read by a screen reader, and the file is small (the
/// connected world's China tower: 9.3 MB as glyph outlines, 0.25 MB as text). svg2pdf
/// numbers the objects of embedded fonts in the order of a `HashMap`, which differs
/// between runs: [`super::pdf_streams`] renumbers them in a fixed order, writes the
/// objects in the order of their numbers and deflates the streams (zlib-rs, fast
/// level) rather than svg2pdf. svg2pdf also writes the entries of each resource
/// dictionary in hash order: [`canonical_resources`] sorts them.
///
/// # Errors
/// The SVG does not parse, or svg2pdf fails.
///
/// # Complexity
/// Linear in the size of the drawing.
pub fn svg_to_pdf(svg: &str) -> Result<Vec<u8>, ConvertError> {
    to_pdf(&parse(svg)?)
}

/// [`svg_to_pdf`] of a parsed figure.
///
/// # Errors
/// svg2pdf fails.
pub fn to_pdf(figure: &Parsed) -> Result<Vec<u8>, ConvertError> {
    let pdf = svg2pdf_raw(figure)?;
    Ok(canonical_resources(&super::pdf_streams::compress(&pdf)))
}

/// svg2pdf's PDF of `figure`, fonts embedded, streams uncompressed: bytes that depend
/// on svg2pdf's hash order, before [`to_pdf`] fixes them.
fn svg2pdf_raw(figure: &Parsed) -> Result<Vec<u8>, ConvertError> {
    svg2pdf::to_pdf(
        &figure.0,
        svg2pdf::ConversionOptions {
            embed_text: true,
            // Deflated by `pdf_streams`, several times faster than svg2pdf's level 6.
            compress: false,
            ..svg2pdf::ConversionOptions::default()
        },
        svg2pdf::PageOptions { dpi: 96.0 },
    )
    .map_err(|e| ConvertError::Pdf(e.to_string()))
}

/// Sorts the entries of every resource sub-dictionary (`/ExtGState << ... >>`,
/// `/Font`, `/XObject`, `/Pattern`, `/Shading`, `/ColorSpace`) of a PDF written by
/// pdf-writer, which puts each entry on a line of its own. Reordering lines inside a
/// block keeps its length, so every object's offset, and the cross-reference table,
/// stay valid. Stream data (between `stream` and `endstream`) is copied untouched.
///
/// # Complexity
/// O(n log n) in the size of the file.
fn canonical_resources(pdf: &[u8]) -> Vec<u8> {
    const BLOCKS: [&[u8]; 6] = [
        b"/ExtGState <<",
        b"/Font <<",
        b"/XObject <<",
        b"/Pattern <<",
        b"/Shading <<",
        b"/ColorSpace <<",
    ];
    let mut out = Vec::with_capacity(pdf.len());
    let mut rest = pdf;
    let mut block: Option<Vec<&[u8]>> = None;
    while !rest.is_empty() {
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| i + 1);
        let (line, tail) = rest.split_at(end);
        rest = tail;
        let text = line.trim_ascii();
        if let Some(entries) = block.as_mut() {
            if text == b">>" {
                entries.sort_unstable();
                for e in entries.drain(..) {
                    out.extend_from_slice(e);
                }
                out.extend_from_slice(line);
                block = None;
            } else {
                entries.push(line);
            }
            continue;
        }
        out.extend_from_slice(line);
        if BLOCKS.contains(&text) {
            block = Some(Vec::new());
        } else if text == b"stream" {
            // Binary data up to the line `endstream`.
            let marker = b"\nendstream";
            let stop = rest
                .windows(marker.len())
                .position(|w| w == marker)
                .map_or(rest.len(), |i| i + 1);
            out.extend_from_slice(&rest[..stop]);
            rest = &rest[stop..];
        }
    }
    // An unterminated block (not written by pdf-writer): keep it as it was.
    if let Some(entries) = block {
        for e in entries {
            out.extend_from_slice(e);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"40\" font-family=\"Helvetica,Arial,sans-serif\"><rect x=\"0\" y=\"0\" width=\"60\" height=\"40\" fill=\"#0072b2\"/><text x=\"64\" y=\"24\" font-size=\"14\">H100</text><image href=\"/etc/passwd\" width=\"10\" height=\"10\"/></svg>";

    #[test]
    fn png_is_a_png_of_the_figure_size_with_text_drawn() {
        let png = svg_to_png(SVG).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (120, 40));
        assert_eq!(
            info.color_type,
            png::ColorType::Rgb,
            "opaque: no alpha channel"
        );
        // The text's pixels are dark: the bundled font was found.
        let dark = buf
            .chunks(3)
            .enumerate()
            .filter(|(i, p)| i % 120 > 62 && p[0] < 100 && p[1] < 100 && p[2] < 100)
            .count();
        assert!(dark > 20, "{dark} dark pixels: no text drawn");
        assert_eq!(svg_to_png(SVG).unwrap(), png, "deterministic");
    }

    #[test]
    fn pdf_is_a_pdf_with_the_text_drawn() {
        let pdf = svg_to_pdf(SVG).unwrap();
        assert!(pdf.starts_with(b"%PDF-1."));
        assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/FontFile2"), "the text's font is embedded");
        assert!(!text.contains("CreationDate"));
        assert!(text.contains("DejaVuSans"), "the bundled font, subset");
        assert!(text.contains("/ToUnicode"), "the text can be extracted");
        assert_eq!(svg_to_pdf(SVG).unwrap(), pdf, "deterministic");
    }

    /// svg2pdf numbers the objects of two embedded fonts (regular and bold) in a
    /// `HashMap`'s order, which changes between maps even in one process: its raw
    /// output varies, jenga's PDF does not, and its fonts' objects follow their
    /// `Type0` dictionaries' order.
    #[test]
    fn pdfs_with_two_embedded_fonts_are_the_same_bytes_every_time() {
        let svg = SVG.replace(
            "</svg>",
            "<text x=\"4\" y=\"36\" font-size=\"12\" font-weight=\"bold\">Nvidia</text></svg>",
        );
        let parsed = parse(&svg).unwrap();
        let raw: std::collections::BTreeSet<Vec<u8>> =
            (0..24).map(|_| svg2pdf_raw(&parsed).unwrap()).collect();
        assert!(raw.len() > 1, "svg2pdf's font order no longer varies");
        let first = to_pdf(&parsed).unwrap();
        for _ in 0..24 {
            assert_eq!(to_pdf(&parsed).unwrap(), first);
        }
        let text = String::from_utf8_lossy(&first);
        assert_eq!(text.matches("/FontFile2").count(), 2, "both faces embedded");
        // Objects in the order of their numbers; the first font's block first.
        let numbers: Vec<usize> = text
            .lines()
            .filter_map(|l| l.strip_suffix(" 0 obj")?.parse().ok())
            .collect();
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
        let descendant = |font: usize| -> usize {
            let at = text.find(&format!("\n{font} 0 obj\n")).unwrap();
            let rest = &text[at..];
            let d = rest.find("/DescendantFonts [").unwrap() + 18;
            rest[d..].split(' ').next().unwrap().parse().unwrap()
        };
        assert!(descendant(1) < descendant(2));
    }

    #[test]
    fn resource_entries_are_sorted_and_streams_untouched() {
        let pdf = b"<<\n  /ExtGState <<\n    /gs1 9 0 R\n    /gs0 8 0 R\n  >>\n>>\nstream\n/Font <<\n/b\n/a\nendstream\n";
        let c = canonical_resources(pdf);
        assert_eq!(c.len(), pdf.len());
        assert_eq!(
            String::from_utf8(c).unwrap(),
            "<<\n  /ExtGState <<\n    /gs0 8 0 R\n    /gs1 9 0 R\n  >>\n>>\nstream\n/Font <<\n/b\n/a\nendstream\n"
        );
    }

    #[test]
    fn big_figures_fit_the_budget_and_small_ones_keep_their_size() {
        assert_eq!(fit(2281, 861, REPORT_PNG_PIXELS), (2281, 861, 1.0));
        let (w, h, s) = fit(27346, 2075, REPORT_PNG_PIXELS);
        assert!(u64::from(w) * u64::from(h) <= REPORT_PNG_PIXELS);
        assert!(u64::from(w) * u64::from(h) > REPORT_PNG_PIXELS * 99 / 100);
        assert!((f64::from(w) / f64::from(h) - 27346.0 / 2075.0).abs() < 0.05);
        assert!(s < 1.0);
        let big = SVG.replace(
            "width=\"120\" height=\"40\"",
            "width=\"1200\" height=\"400\"",
        );
        let png = to_png(&parse(&big).unwrap(), Some(48_000)).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let info = decoder.read_info().unwrap().info().clone();
        assert_eq!((info.width, info.height), (379, 126));
        assert!(u64::from(info.width) * u64::from(info.height) <= 48_000);
    }

    #[test]
    fn bad_or_huge_figures_are_errors() {
        assert!(
            svg_to_png("<svg")
                .unwrap_err()
                .to_string()
                .contains("does not parse")
        );
        let huge = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"20000\" height=\"20000\"/>";
        assert!(
            svg_to_png(huge)
                .unwrap_err()
                .to_string()
                .contains("write SVG or PDF")
        );
    }
}

//! The built-in SVG renderer: draws a [`Diagram`] from [`super::layout`] and a
//! [`Matrix`] as a grid, with a heading, bands, a legend, `<title>`/`<desc>`, no
//! scripts and no external references. Numbers are printed with one decimal, so the
//! same figure gives the same bytes.

mod matrix;

pub use matrix::matrix;

use std::fmt::Write as _;

use super::layout::{self, Input, Layout, Point};
use super::palette::{self, Rgb};
use super::text::{self, xml};
use super::{DNode, Dash, Diagram, EdgeKind, LegendItem, NodeStyle};

/// The font stack; it ends in the generic family.
pub const FONT: &str = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";

const NAME_SIZE: f64 = 12.0;
const NAME_LINE: f64 = 15.0;
const SMALL_SIZE: f64 = 10.0;
const SMALL_LINE: f64 = 13.0;
const PAD_X: f64 = 11.0;
const PAD_Y: f64 = 8.0;
const MIN_NODE_W: f64 = 96.0;
const GUTTER: f64 = 118.0;
const MARGIN: f64 = 24.0;
const HEADER: f64 = 78.0;
const ROW_GAP: f64 = 40.0;
const BAND_GAP: f64 = 62.0;
const BAND_PAD: f64 = 22.0;

/// A number with one decimal and no negative zero.
fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    let r = if r == 0.0 { 0.0 } else { r };
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// An id safe in XML and unique enough inside one figure.
fn safe_id(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn node_size(node: &DNode) -> (f64, f64) {
    let mut w: f64 = node
        .lines
        .iter()
        .map(|l| text::width(l, NAME_SIZE, true))
        .fold(0.0, f64::max);
    let mut h = node.lines.len() as f64 * NAME_LINE;
    // The caption is regular, the tag bold (as drawn below).
    for (extra, bold) in [(&node.caption, false), (&node.tag, true)] {
        if let Some(extra) = extra {
            w = w.max(text::width(extra, SMALL_SIZE, bold));
            h += SMALL_LINE;
        }
    }
    (
        (w + 2.0 * PAD_X).max(MIN_NODE_W).ceil(),
        (h + 2.0 * PAD_Y).ceil(),
    )
}

fn open_svg(out: &mut String, width: f64, height: f64, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"jenga-title jenga-desc\" \
         font-family=\"{font}\">\n\
         <title id=\"jenga-title\">{t}</title>\n<desc id=\"jenga-desc\">{d}</desc>\n",
        w = n(width),
        h = n(height),
        font = xml(FONT),
        t = xml(title),
        d = xml(desc),
    );
    let _ = writeln!(
        out,
        "<defs>\n\
         <marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,1 L10,5 L0,9 z\" fill=\"{e}\"/></marker>\n\
         <marker id=\"arrow-broken\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M0,1 L10,5 L0,9 z\" fill=\"{v}\"/></marker>\n\
         <marker id=\"arrow-partner\" viewBox=\"0 0 12 10\" refX=\"11\" refY=\"5\" markerWidth=\"8\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M1,5 L6,1 L11,5 L6,9 z\" fill=\"#ffffff\" stroke=\"{e}\" stroke-width=\"1.3\"/></marker>\n\
         <pattern id=\"hatch\" width=\"7\" height=\"7\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"7\" stroke=\"{i}\" stroke-width=\"1.2\" stroke-opacity=\"0.35\"/></pattern>\n\
         </defs>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
        e = palette::EDGE,
        v = palette::VERMILLION,
        i = palette::INK,
    );
}

fn heading(out: &mut String, title: &str, subtitle: &str) {
    let _ = writeln!(
        out,
        "<text x=\"{m}\" y=\"34\" font-size=\"20\" font-weight=\"bold\" fill=\"{ink}\">{t}</text>\n\
         <text x=\"{m}\" y=\"56\" font-size=\"12.5\" fill=\"{muted}\">{s}</text>",
        m = n(MARGIN),
        ink = palette::INK,
        muted = palette::MUTED,
        t = xml(title),
        s = xml(subtitle),
    );
}

fn dash_attr(dash: Dash) -> &'static str {
    match dash {
        Dash::Solid => "",
        Dash::Dashed => " stroke-dasharray=\"6 3\"",
        Dash::Dotted => " stroke-dasharray=\"1.5 2.5\"",
    }
}

/// Draws a node box at `(x, y)` of size `(w, h)` with its style.
fn node_box(out: &mut String, style: &NodeStyle, x: f64, y: f64, w: f64, h: f64) {
    let rx = if style.rounded { 7.0 } else { 1.5 };
    let sw = if style.heavy { 3.2 } else { 1.3 };
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"{}/>",
        n(x),
        n(y),
        n(w),
        n(h),
        n(rx),
        style.fill,
        style.stroke,
        n(sw),
        dash_attr(style.dash)
    );
    if style.hatch {
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"url(#hatch)\"/>",
            n(x),
            n(y),
            n(w),
            n(h),
            n(rx)
        );
    }
    if style.double {
        let inset = if style.heavy { 5.0 } else { 3.5 };
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1\"/>",
            n(x + inset),
            n(y + inset),
            n(w - 2.0 * inset),
            n(h - 2.0 * inset),
            n((rx - inset).max(1.0)),
            style.stroke
        );
    }
}

fn edge_look(kind: EdgeKind, broken: bool) -> (Rgb, f64, &'static str, &'static str) {
    let dash = match kind {
        EdgeKind::Required => "",
        EdgeKind::Alternative => " stroke-dasharray=\"7 4\"",
        EdgeKind::Unknown | EdgeKind::Owner => " stroke-dasharray=\"2 3\"",
        EdgeKind::Partner if !broken => {
            return (
                palette::EDGE,
                1.1,
                " stroke-dasharray=\"6 2 1.5 2\"",
                "arrow-partner",
            );
        }
        EdgeKind::Partner => " stroke-dasharray=\"6 2 1.5 2\"",
        EdgeKind::Added => return (palette::BLUE, 2.8, "", "arrow"),
        EdgeKind::Removed => {
            return (
                palette::VERMILLION,
                2.8,
                " stroke-dasharray=\"9 3 2 3\"",
                "arrow-broken",
            );
        }
    };
    if broken {
        (palette::VERMILLION, 2.4, dash, "arrow-broken")
    } else {
        (palette::EDGE, 1.3, dash, "arrow")
    }
}

/// An SVG path through `points` with vertical tangents (a cubic per segment).
fn spline(points: &[Point], flat: bool, dx: f64, dy: f64) -> String {
    let mut d = String::new();
    let Some(first) = points.first() else {
        return d;
    };
    let _ = write!(d, "M{},{}", n(first.x + dx), n(first.y + dy));
    if flat {
        if let Some(last) = points.last() {
            let dip = 26.0;
            let _ = write!(
                d,
                " C{},{} {},{} {},{}",
                n(first.x + dx),
                n(first.y + dy + dip),
                n(last.x + dx),
                n(last.y + dy + dip),
                n(last.x + dx),
                n(last.y + dy)
            );
        }
        return d;
    }
    for w in points.windows(2) {
        let (p, q) = (w[0], w[1]);
        if (p.x - q.x).abs() < 0.05 {
            let _ = write!(d, " L{},{}", n(q.x + dx), n(q.y + dy));
        } else {
            let my = (p.y + q.y) / 2.0;
            let _ = write!(
                d,
                " C{},{} {},{} {},{}",
                n(p.x + dx),
                n(my + dy),
                n(q.x + dx),
                n(my + dy),
                n(q.x + dx),
                n(q.y + dy)
            );
        }
    }
    d
}

/// Lays out and sizes the legend in rows of at most `width`; returns its height.
fn legend(out: &mut String, items: &[LegendItem], x0: f64, y0: f64, width: f64) -> f64 {
    if items.is_empty() {
        return 0.0;
    }
    let _ = writeln!(
        out,
        "<g class=\"legend\">\n<text x=\"{}\" y=\"{}\" font-size=\"11\" font-weight=\"bold\" fill=\"{}\" letter-spacing=\"1\">LEGEND</text>",
        n(x0),
        n(y0 + 12.0),
        palette::MUTED
    );
    let (mut x, mut y) = (x0, y0 + 24.0);
    let row_h = 24.0;
    for item in items {
        let label = match item {
            LegendItem::Node { label, .. } | LegendItem::Edge { label, .. } => label,
        };
        let w = 34.0 + 8.0 + text::width(label, 11.0, false) + 22.0;
        if x > x0 && x + w > x0 + width {
            x = x0;
            y += row_h;
        }
        match item {
            LegendItem::Node { style, .. } => node_box(out, style, x, y, 34.0, 18.0),
            LegendItem::Edge { kind, broken, .. } => {
                let (c, sw, dash, marker) = edge_look(*kind, *broken);
                let _ = writeln!(
                    out,
                    "<path d=\"M{},{} L{},{}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"{}\"{dash} marker-end=\"url(#{marker})\"/>",
                    n(x + 1.0),
                    n(y + 9.0),
                    n(x + 32.0),
                    n(y + 9.0),
                    n(sw)
                );
            }
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{}\">{}</text>",
            n(x + 42.0),
            n(y + 13.0),
            palette::INK,
            xml(label)
        );
        x += w;
    }
    out.push_str("</g>\n");
    y + row_h - y0
}

/// Estimates the legend's height for a given width without drawing it.
fn legend_height(items: &[LegendItem], width: f64) -> f64 {
    let mut scratch = String::new();
    legend(&mut scratch, items, 0.0, 0.0, width)
}

/// Draws a tower or the overview.
pub fn diagram(d: &Diagram) -> String {
    let sizes: Vec<(f64, f64)> = d.nodes.iter().map(node_size).collect();
    let row_band = d.row_bands();
    let gaps: Vec<f64> = (0..row_band.len())
        .map(|r| {
            if r == 0 {
                BAND_PAD
            } else if row_band[r] != row_band[r - 1] {
                BAND_GAP
            } else {
                ROW_GAP
            }
        })
        .collect();
    let input = Input {
        rows: row_band.len(),
        gaps,
        node_rows: d.nodes.iter().map(|n| n.row).collect(),
        sizes,
        edges: d.edges.iter().map(|e| (e.from, e.to)).collect(),
    };
    let lay: Layout = layout::layout(&input);
    let title_w = text::width(&d.title, 20.0, true).max(text::width(&d.subtitle, 12.5, false));
    let content_w = GUTTER + lay.width + 2.0 * 24.0;
    let width = (content_w + 2.0 * MARGIN)
        .max(title_w + 2.0 * MARGIN)
        .max(640.0)
        .ceil();
    // Centre the nodes inside the bands.
    let band_w = width - 2.0 * MARGIN;
    let dx = MARGIN + GUTTER + (band_w - GUTTER - lay.width) / 2.0;
    let dy = HEADER;
    let legend_w = width - 2.0 * MARGIN;
    let body_h = if d.nodes.is_empty() {
        40.0
    } else {
        lay.height + BAND_PAD
    };
    let legend_y = dy + body_h + 26.0;
    let height = (legend_y + legend_height(&d.legend, legend_w) + MARGIN).ceil();

    let mut out = String::new();
    open_svg(&mut out, width, height, &d.title, &d.desc);
    heading(&mut out, &d.title, &d.subtitle);
    if d.nodes.is_empty() {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"{}\">Nothing to draw: no components.</text>",
            n(MARGIN),
            n(dy + 24.0),
            palette::MUTED
        );
    }
    // Bands.
    out.push_str("<g class=\"bands\">\n");
    let mut first = 0;
    for (b, band) in d.bands.iter().enumerate() {
        let last = first + band.rows.saturating_sub(1);
        if let (Some(top), Some(bottom)) = (lay.rows.get(first), lay.rows.get(last)) {
            let y = dy + top.0 - BAND_PAD;
            let h = bottom.1 - top.0 + 2.0 * BAND_PAD;
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"5\" fill=\"{}\"/>\n\
                 <text x=\"{}\" y=\"{}\" font-size=\"11\" font-weight=\"bold\" letter-spacing=\"1.2\" fill=\"{}\">{}</text>",
                n(MARGIN),
                n(y),
                n(band_w),
                n(h),
                palette::BANDS[b % 2],
                n(MARGIN + 14.0),
                n(y + h / 2.0 + 4.0),
                palette::MUTED,
                xml(&band.label.to_uppercase())
            );
        }
        first += band.rows;
    }
    out.push_str("</g>\n<g class=\"edges\">\n");
    for (e, route) in d.edges.iter().zip(&lay.edges) {
        let (c, sw, dash, marker) = edge_look(e.kind, e.broken);
        let name = |k: usize| {
            d.nodes
                .get(k)
                .map(|x| x.lines.join(" "))
                .unwrap_or_default()
        };
        let _ = writeln!(
            out,
            "<path d=\"{}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"{}\"{dash} marker-end=\"url(#{marker})\"><title>{} needs {}</title></path>",
            spline(&route.points, route.flat, dx, dy),
            n(sw),
            xml(&name(e.from)),
            xml(&name(e.to)),
        );
    }
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for (node, r) in d.nodes.iter().zip(&lay.nodes) {
        let (x, y) = (r.x + dx, r.y + dy);
        let _ = writeln!(
            out,
            "<g id=\"node-{}\"><title>{}</title>",
            safe_id(&node.key),
            xml(&node.tooltip)
        );
        node_box(&mut out, &node.style, x, y, r.w, r.h);
        let cx = x + r.w / 2.0;
        let mut ty = y + PAD_Y + NAME_SIZE;
        for line in &node.lines {
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\" font-weight=\"bold\" fill=\"{}\">{}</text>",
                n(cx),
                n(ty),
                n(NAME_SIZE),
                node.style.ink,
                xml(line)
            );
            ty += NAME_LINE;
        }
        ty += SMALL_LINE - NAME_LINE + 1.0;
        if let Some(c) = &node.caption {
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\" fill=\"{}\">{}</text>",
                n(cx),
                n(ty),
                n(SMALL_SIZE),
                palette::MUTED,
                xml(c)
            );
            ty += SMALL_LINE;
        }
        if let Some(t) = &node.tag {
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\" font-weight=\"bold\" fill=\"{}\">{}</text>",
                n(cx),
                n(ty),
                n(SMALL_SIZE),
                palette::INK,
                xml(t)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
    legend(&mut out, &d.legend, MARGIN, legend_y, legend_w);
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        assert_eq!(n(-0.01), "0");
        assert_eq!(n(12.0), "12");
        assert_eq!(n(12.345), "12.3");
    }

    #[test]
    fn ids_are_sanitised() {
        assert_eq!(safe_id("a.b\"<c"), "a_b__c");
    }
}

//! The built-in SVG drawing of the exposure matrix: a grid with slanted column
//! headings, each cell coloured and worded by its status.

use std::fmt::Write as _;

use crate::analysis::NodeStatus;
use crate::render::matrix::{Matrix, cell_meaning, cell_word};
use crate::render::palette;
use crate::render::text::{self, xml};
use crate::render::{Dash, LegendItem, Mark, NodeStyle};

use super::{HEADER, MARGIN, heading, legend, legend_height, n, open_svg};

/// Draws the exposure matrix: a grid with slanted column headings.
pub fn matrix(m: &Matrix) -> String {
    const CELL_W: f64 = 72.0;
    const CELL_H: f64 = 30.0;
    let row_w = m
        .rows
        .iter()
        .map(|r| text::width(r, 12.0, true))
        .fold(60.0, f64::max)
        + 16.0;
    let head_w = m
        .groups
        .iter()
        .flat_map(|g| g.columns.iter())
        .map(|c| text::width(c, 11.0, false))
        .fold(0.0, f64::max);
    let slant = std::f64::consts::FRAC_1_SQRT_2;
    let head_h = head_w * slant + 24.0;
    let cols = m.column_count();
    let grid_x = MARGIN + row_w;
    let group_y = HEADER + 8.0;
    let grid_y = group_y + 22.0 + head_h;
    let grid_w = cols as f64 * CELL_W;
    let title_w = text::width(&m.title, 20.0, true).max(text::width(&m.subtitle, 12.5, false));
    let width = (grid_x + grid_w + head_w * slant + MARGIN)
        .max(title_w + 2.0 * MARGIN)
        .max(560.0)
        .ceil();
    let legend_items: Vec<LegendItem> = [
        NodeStatus::Failed,
        NodeStatus::Unknown,
        NodeStatus::Degraded,
        NodeStatus::Intact,
    ]
    .into_iter()
    .map(|s| LegendItem::Node {
        style: NodeStyle {
            fill: palette::cell_colour(s),
            stroke: palette::INK,
            ink: palette::cell_ink(s),
            double: false,
            heavy: false,
            dash: Dash::Solid,
            hatch: false,
            rounded: false,
        },
        label: format!(
            "{} {}: {}",
            Mark::Status(s).glyph(),
            cell_word(s),
            cell_meaning(s)
        ),
    })
    .collect();
    let legend_y = grid_y + m.rows.len() as f64 * CELL_H + 28.0;
    let legend_w = width - 2.0 * MARGIN;
    let height = (legend_y + legend_height(&legend_items, legend_w) + MARGIN).ceil();
    let mut out = String::new();
    open_svg(&mut out, width, height, &m.title, &m.desc);
    heading(&mut out, &m.title, &m.subtitle);
    // Group headings with a rule over their columns.
    let mut c0 = 0usize;
    for g in &m.groups {
        let x = grid_x + c0 as f64 * CELL_W;
        let w = g.columns.len() as f64 * CELL_W;
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" font-weight=\"bold\" letter-spacing=\"1\" fill=\"{}\">{}</text>\n\
             <path d=\"M{},{} L{},{}\" stroke=\"{}\" stroke-width=\"1.5\"/>",
            n(x + 4.0),
            n(group_y + 10.0),
            palette::MUTED,
            xml(&g.label.to_uppercase()),
            n(x + 2.0),
            n(group_y + 16.0),
            n(x + w - 2.0),
            n(group_y + 16.0),
            palette::MUTED
        );
        c0 += g.columns.len();
    }
    // Column headings, slanted.
    for (k, c) in m.groups.iter().flat_map(|g| g.columns.iter()).enumerate() {
        let x = grid_x + (k as f64 + 0.5) * CELL_W;
        let y = grid_y - 8.0;
        let _ = writeln!(
            out,
            "<text transform=\"translate({},{}) rotate(-45)\" font-size=\"11\" fill=\"{}\">{}</text>",
            n(x),
            n(y),
            palette::INK,
            xml(c)
        );
    }
    for (r, name) in m.rows.iter().enumerate() {
        let y = grid_y + r as f64 * CELL_H;
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" font-weight=\"bold\" fill=\"{}\">{}</text>",
            n(MARGIN),
            n(y + CELL_H / 2.0 + 4.0),
            palette::INK,
            xml(name)
        );
        for (k, s) in m
            .cells
            .get(r)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let x = grid_x + k as f64 * CELL_W;
            let _ = writeln!(
                out,
                "<g><title>{} — {}: {}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"2\"/>\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10.5\" fill=\"{}\"{}>{} {}</text></g>",
                xml(name),
                xml(m
                    .groups
                    .iter()
                    .flat_map(|g| g.columns.iter())
                    .nth(k)
                    .map_or("", String::as_str)),
                cell_word(*s),
                n(x),
                n(y),
                n(CELL_W),
                n(CELL_H),
                palette::cell_colour(*s),
                n(x + CELL_W / 2.0),
                n(y + CELL_H / 2.0 + 4.0),
                palette::cell_ink(*s),
                if *s == NodeStatus::Failed {
                    " font-weight=\"bold\""
                } else {
                    ""
                },
                Mark::Status(*s).glyph(),
                cell_word(*s)
            );
        }
    }
    legend(&mut out, &legend_items, MARGIN, legend_y, legend_w);
    out.push_str("</svg>\n");
    out
}

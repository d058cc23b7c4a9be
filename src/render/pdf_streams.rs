//! Compression of a PDF's uncompressed streams, for the figures' PDFs.
//!
//! svg2pdf deflates every content stream with miniz_oxide at level 6, and for the
//! report's figures, whose text is drawn as glyph outlines, that compression was half
//! of the report's time. jenga asks svg2pdf for uncompressed streams and deflates them
//! here with zlib-rs (through flate2) at its fast level, which is several times
//! quicker for a few percent more bytes. The rewrite knows the layout pdf-writer
//! writes — a header, objects `N 0 obj` … `endobj` each starting on a line of its own
//! with the dictionary closed by an unindented `>>`, a stream's length in its
//! dictionary's `/Length`, then the cross-reference table, the trailer and
//! `startxref` — and rebuilds the table's offsets; anything else is left as it was
//! (an uncompressed PDF is still a valid one).
//!
//! The same pass makes the bytes independent of svg2pdf's hash order: the objects of
//! embedded fonts are numbered in a fixed order ([`canonical_fonts`]) and every object
//! is written in the order of its number.

use std::io::Write as _;

/// The next position of `needle` in `hay` from `from`.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// The unsigned decimal at the start of `s`, and its length.
fn number(s: &[u8]) -> Option<(usize, usize)> {
    let len = s.iter().take_while(|b| b.is_ascii_digit()).count();
    let text = std::str::from_utf8(&s[..len]).ok()?;
    Some((text.parse().ok()?, len))
}

fn deflate(data: &[u8]) -> Option<Vec<u8>> {
    let mut e = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(data.len() / 4),
        flate2::Compression::fast(),
    );
    e.write_all(data).ok()?;
    e.finish().ok()
}

/// `pdf` with every stream that has no `/Filter` deflated (`/FlateDecode`), the
/// cross-reference table rebuilt; `pdf` unchanged when its layout is not the one
/// pdf-writer writes.
///
/// # Complexity
/// Linear in the size of the file, plus the compression.
pub fn compress(pdf: &[u8]) -> Vec<u8> {
    rewrite(pdf).unwrap_or_else(|| pdf.to_vec())
}

/// One object of the file: its number, its bytes (`N 0 obj` … `endobj\n`, streams
/// already deflated) and how many of them are text that may hold references (the
/// header and the dictionary; a stream's data after them is never touched).
struct Object {
    id: usize,
    bytes: Vec<u8>,
    text: usize,
}

fn rewrite(pdf: &[u8]) -> Option<Vec<u8>> {
    let xref = find(pdf, b"\nxref\n", 0).map(|i| i + 1)?;
    // The header ends at the first blank line.
    let mut p = find(pdf, b"\n\n", 0)? + 2;
    let header = &pdf[..p];
    let mut objects: Vec<Object> = Vec::new();
    while p < xref {
        if pdf[p] == b'\n' {
            p += 1;
            continue;
        }
        let (id, len) = number(&pdf[p..])?;
        let head = p + len;
        if pdf.get(head..head + 7)? != b" 0 obj\n" {
            return None;
        }
        let body = head + 7;
        if pdf.get(body..body + 3) == Some(b"<<\n") {
            let close = find(pdf, b"\n>>\n", body)? + 4;
            if pdf.get(close..close + 7) == Some(b"stream\n") {
                let dict = &pdf[body..close];
                let at = find(dict, b"\n  /Length ", 0)? + 11;
                let (length, digits) = number(&dict[at..])?;
                let data_at = close + 7;
                let data = pdf.get(data_at..data_at + length)?;
                let end = data_at + length;
                let tail = b"\nendstream\nendobj\n";
                if pdf.get(end..end + tail.len())? != tail {
                    return None;
                }
                let mut bytes = pdf[p..body].to_vec();
                let text;
                if find(dict, b"/Filter", 0).is_some() {
                    text = close + 7 - p;
                    bytes.extend_from_slice(&pdf[body..end + tail.len()]);
                } else {
                    let packed = deflate(data)?;
                    bytes.extend_from_slice(&dict[..at]);
                    bytes.extend_from_slice(packed.len().to_string().as_bytes());
                    // The dictionary up to its closing `>>`, then the filter.
                    bytes.extend_from_slice(&dict[at + digits..dict.len() - 3]);
                    bytes.extend_from_slice(b"  /Filter /FlateDecode\n>>\nstream\n");
                    text = bytes.len();
                    bytes.extend_from_slice(&packed);
                    bytes.extend_from_slice(tail);
                }
                objects.push(Object { id, bytes, text });
                p = end + tail.len();
                continue;
            }
        }
        let end = find(pdf, b"\nendobj\n", body)? + 8;
        objects.push(Object {
            id,
            bytes: pdf[p..end].to_vec(),
            text: end - p,
        });
        p = end;
    }
    canonical_fonts(&mut objects);
    objects.sort_by_key(|o| o.id);
    let mut out =
        Vec::with_capacity(objects.iter().map(|o| o.bytes.len() + 1).sum::<usize>() + 4096);
    out.extend_from_slice(header);
    let mut offsets: Vec<(usize, usize)> = Vec::with_capacity(objects.len());
    for o in &objects {
        offsets.push((o.id, out.len()));
        out.extend_from_slice(&o.bytes);
        out.push(b'\n');
    }
    // The cross-reference table: `xref`, `0 N`, then N entries of 20 bytes.
    let xref_at = out.len();
    let (first, a) = number(pdf.get(xref + 5..)?)?;
    let (count, b) = number(pdf.get(xref + 5 + a + 1..)?)?;
    let entries = xref + 5 + a + 1 + b + 1;
    if first != 0 {
        return None;
    }
    out.extend_from_slice(&pdf[xref..entries]);
    for k in 0..count {
        let e = pdf.get(entries + 20 * k..entries + 20 * (k + 1))?;
        if e[17] == b'n' {
            let i = offsets.binary_search_by_key(&k, |&(id, _)| id).ok()?;
            out.extend_from_slice(format!("{:010}", offsets[i].1).as_bytes());
            out.extend_from_slice(&e[10..]);
        } else {
            out.extend_from_slice(e);
        }
    }
    let trailer = entries + 20 * count;
    let start = find(pdf, b"startxref\n", trailer)? + 10;
    out.extend_from_slice(&pdf[trailer..start]);
    let (_, digits) = number(&pdf[start..])?;
    out.extend_from_slice(xref_at.to_string().as_bytes());
    out.extend_from_slice(&pdf[start + digits..]);
    Some(out)
}

/// The objects each embedded font brings beside its `Type0` dictionary: the CID
/// font, its descriptor, the `ToUnicode` CMap and the font file, numbered in a row
/// (`/DescendantFonts [c 0 R]` is the first).
const FONT_OBJECTS: usize = 4;

/// Numbers the objects of the embedded fonts in a fixed order. svg2pdf numbers the
/// `Type0` dictionaries in the order the glyphs first occur (fixed), but the four
/// objects of each font in the iteration order of a `HashMap`, which differs from
/// run to run: here each font's block goes, in the order of the `Type0` numbers, to
/// the blocks' numbers sorted, and every reference in the objects' dictionaries
/// follows (stream data is never rewritten; it holds no references). Any other
/// layout is left as it is.
fn canonical_fonts(objects: &mut [Object]) {
    let mut fonts: Vec<(usize, usize)> = objects
        .iter()
        .filter_map(|o| {
            let text = &o.bytes[..o.text];
            find(text, b"/Subtype /Type0\n", 0)?;
            let at = find(text, b"/DescendantFonts [", 0)? + 18;
            let (c, len) = number(&text[at..])?;
            (text.get(at + len..at + len + 5)? == b" 0 R]").then_some((o.id, c))
        })
        .collect();
    fonts.sort_unstable();
    let mut blocks: Vec<usize> = fonts.iter().map(|&(_, c)| c).collect();
    blocks.sort_unstable();
    let disjoint = blocks.windows(2).all(|w| w[1] >= w[0] + FONT_OBJECTS);
    let map: Vec<(usize, usize)> = fonts
        .iter()
        .zip(&blocks)
        .filter(|((_, c), b)| c != *b)
        .flat_map(|(&(_, c), &b)| (0..FONT_OBJECTS).map(move |k| (c + k, b + k)))
        .collect();
    if map.is_empty() || !disjoint {
        return;
    }
    let renumber = |n: usize| map.iter().find(|&&(from, _)| from == n).map(|&(_, to)| to);
    for o in objects.iter_mut() {
        let mut text = Vec::with_capacity(o.text + 16);
        let mut i = 0;
        let t = &o.bytes[..o.text];
        // The object's own number, then every `N 0 R` after a non-digit.
        while i < t.len() {
            let at_start = i == 0 || !t[i - 1].is_ascii_digit() && t[i - 1] != b'.';
            if at_start
                && t[i].is_ascii_digit()
                && let Some((n, len)) = number(&t[i..])
            {
                let follows = &t[i + len..];
                let reference = follows.starts_with(b" 0 R")
                    && follows.get(4).is_none_or(|c| !c.is_ascii_alphanumeric());
                let own = i == 0 && follows.starts_with(b" 0 obj");
                match renumber(n).filter(|_| reference || own) {
                    Some(m) => text.extend_from_slice(m.to_string().as_bytes()),
                    None => text.extend_from_slice(&t[i..i + len]),
                }
                if own {
                    o.id = renumber(n).unwrap_or(n);
                }
                i += len;
                continue;
            }
            text.push(t[i]);
            i += 1;
        }
        let delta = text.len();
        text.extend_from_slice(&o.bytes[o.text..]);
        o.bytes = text;
        o.text = delta;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PDF as pdf-writer lays it out, one uncompressed stream and one filtered.
    fn sample() -> Vec<u8> {
        let mut pdf = b"%PDF-1.7\n%\x80\x80\x80\x80\n\n".to_vec();
        let mut offsets = Vec::new();
        offsets.push(pdf.len());
        pdf.extend_from_slice(b"1 0 obj\n<<\n  /Type /Catalog\n  /Pages 2 0 R\n>>\nendobj\n\n");
        offsets.push(pdf.len());
        let content = b"0 0 m 10 10 l S\n".repeat(50);
        pdf.extend_from_slice(
            format!(
                "2 0 obj\n<<\n  /Length {}\n  /Resources <<\n    /X 1\n  >>\n>>\nstream\n",
                content.len()
            )
            .as_bytes(),
        );
        pdf.extend_from_slice(&content);
        pdf.extend_from_slice(b"\nendstream\nendobj\n\n");
        offsets.push(pdf.len());
        pdf.extend_from_slice(b"3 0 obj\n<<\n  /Length 3\n  /Filter /FlateDecode\n>>\nstream\nabc\nendstream\nendobj\n\n");
        let xref = pdf.len();
        pdf.extend_from_slice(b"xref\n0 4\n0000000000 65535 f\r\n");
        for o in offsets {
            pdf.extend_from_slice(format!("{o:010} 00000 n\r\n").as_bytes());
        }
        pdf.extend_from_slice(
            format!("trailer\n<<\n  /Size 4\n  /Root 1 0 R\n>>\nstartxref\n{xref}\n%%EOF")
                .as_bytes(),
        );
        pdf
    }

    #[test]
    fn streams_are_deflated_and_the_offsets_rebuilt() {
        let pdf = sample();
        let out = compress(&pdf);
        assert!(out.len() < pdf.len());
        let count = |needle: &[u8]| out.windows(needle.len()).filter(|w| *w == needle).count();
        assert_eq!(count(b"/Filter /FlateDecode"), 2);
        // Every offset of the table points at its object, startxref at the table.
        let xref = find(&out, b"\nxref\n", 0).unwrap() + 1;
        let table = std::str::from_utf8(&out[xref..]).unwrap();
        for (k, line) in table.lines().skip(3).take(3).enumerate() {
            let at: usize = line[..10].parse().unwrap();
            assert!(out[at..].starts_with(format!("{} 0 obj", k + 1).as_bytes()));
        }
        let start = table.rsplit("startxref\n").next().unwrap();
        assert_eq!(
            start.lines().next().unwrap().parse::<usize>().unwrap(),
            xref
        );
        // The stream decompresses to the content.
        let at = find(&out, b"/Length ", 0).unwrap() + 8;
        let (len, _) = number(&out[at..]).unwrap();
        let data_at = find(&out, b"stream\n", at).unwrap() + 7;
        let mut d = flate2::read::ZlibDecoder::new(&out[data_at..data_at + len]);
        let mut back = Vec::new();
        std::io::Read::read_to_end(&mut d, &mut back).unwrap();
        assert_eq!(back, b"0 0 m 10 10 l S\n".repeat(50));
        assert_eq!(compress(&pdf), out, "deterministic");
    }

    #[test]
    fn an_unknown_layout_is_left_as_it_was() {
        let odd = b"%PDF-1.7\n\n1 0 obj (x) endobj\n".to_vec();
        assert_eq!(compress(&odd), odd);
    }
}

//! Figures as SVG, PNG, PDF and DOT: `--format`, or the extension of `-o`, chooses;
//! a contradiction or an extension of no figure format is a usage error (exit 2) that
//! writes nothing. Checked by magic numbers, by `file` when it is installed, by
//! decoding the PNG and by reading the PDF's header, cross-reference and trailer.

use std::path::Path;

use crate::harness::{jenga_in, root};

fn render(args: &[&str]) -> crate::harness::Outcome {
    let mut all = vec!["--stacks", "stacks"];
    all.extend(args);
    jenga_in(root(), &all)
}

/// What `file` says about `path`, when `file` is installed.
fn file_says(path: &Path) -> Option<String> {
    let out = std::process::Command::new("file")
        .arg("-b")
        .arg(path)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Decodes a PNG: its width and height.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    // Not blank: the figure drew something other than the white background.
    let channels = info.color_type.samples();
    assert!(
        buf.chunks(channels).any(|p| p[..3] != [255, 255, 255]),
        "a blank PNG"
    );
    (info.width, info.height)
}

/// Checks a PDF's structure: header, one page, a cross-reference table whose
/// `startxref` points at it, and the trailer.
fn check_pdf(bytes: &[u8]) {
    assert!(bytes.starts_with(b"%PDF-1."), "PDF header");
    assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"), "PDF trailer");
    let find_last = |needle: &[u8]| bytes.windows(needle.len()).rposition(|w| w == needle);
    let at = find_last(b"startxref").expect("startxref");
    let start: usize = String::from_utf8_lossy(&bytes[at + 9..])
        .trim()
        .trim_end_matches("%%EOF")
        .trim()
        .parse()
        .unwrap();
    assert!(
        bytes[start..].starts_with(b"xref"),
        "startxref points at the xref table"
    );
    assert!(find_last(b"trailer").is_some(), "trailer dictionary");
    let pages = bytes
        .windows(12)
        .filter(|w| w.starts_with(b"/Type /Page") && w[11] != b's')
        .count();
    assert_eq!(pages, 1, "one page");
}

#[test]
fn the_extension_chooses_the_figure_format() {
    let dir = tempfile::tempdir().unwrap();
    for engine in ["builtin", "graphviz"] {
        if engine == "graphviz" && !crate::render::graphviz() {
            continue;
        }
        for (name, magic, says) in [
            ("sg.pdf", &b"%PDF-"[..], "PDF document"),
            ("sg.png", &b"\x89PNG\r\n\x1a\n"[..], "PNG image data"),
            ("sg.svg", &b"<?xml"[..], "SVG"),
            ("sg.dot", &b"digraph"[..], "text"),
            ("sg.gv", &b"digraph"[..], "text"),
        ] {
            let path = dir.path().join(format!("{engine}-{name}"));
            let out = render(&[
                "render",
                "SG",
                "--engine",
                engine,
                "-o",
                path.to_str().unwrap(),
            ]);
            assert_eq!(out.code, 0, "{name}: {}", out.stderr);
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                bytes.starts_with(magic),
                "{engine} {name}: {:?}",
                &bytes[..16]
            );
            if let Some(s) = file_says(&path) {
                assert!(s.contains(says), "{engine} {name}: file says {s}");
            }
            match name {
                "sg.png" => {
                    let (w, h) = png_size(&bytes);
                    assert!(w > 200 && h > 200, "{w} × {h}");
                }
                "sg.pdf" => check_pdf(&bytes),
                _ => {}
            }
            // The same bytes again (bundled fonts, no dates).
            let again = dir.path().join(format!("again-{engine}-{name}"));
            render(&[
                "render",
                "SG",
                "--engine",
                engine,
                "-o",
                again.to_str().unwrap(),
            ]);
            assert_eq!(std::fs::read(&again).unwrap(), bytes, "{engine} {name}");
        }
    }
}

#[test]
fn format_flag_writes_png_and_pdf_to_standard_output_and_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jenga"))
        .args([
            "--stacks", "stacks", "render", "matrix", "--engine", "builtin", "--format", "png",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success());
    png_size(&out.stdout);
    let path = dir.path().join("overview");
    let out = render(&[
        "render",
        "overview",
        "--engine",
        "builtin",
        "--format",
        "pdf",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    check_pdf(&std::fs::read(&path).unwrap());
}

#[test]
fn a_mismatched_or_unknown_extension_is_a_usage_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).to_str().unwrap().to_owned();
    for (args, says) in [
        (
            vec!["render", "SG", "-o", &p("sg.docx")],
            "`.docx` is not a figure format",
        ),
        (
            vec!["render", "SG", "--format", "dot", "-o", &p("x.svg")],
            "`--format dot` contradicts",
        ),
        (
            vec!["render", "SG", "--format", "png", "-o", &p("x.pdf")],
            "`--format png` contradicts",
        ),
        (
            vec!["render", "SG", "--format", "svg", "-o", &p("x.png")],
            "`--format svg` contradicts",
        ),
        (
            vec!["diff", "stacks", "stacks", "--figure", &p("d.docx")],
            "`.docx` is not a figure format",
        ),
    ] {
        let out = render(&args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn diff_figure_follows_its_extension() {
    let dir = tempfile::tempdir().unwrap();
    for (name, check) in [
        (
            "d.png",
            (|b: &[u8]| assert!(png_size(b).0 > 0)) as fn(&[u8]),
        ),
        ("d.pdf", |b: &[u8]| check_pdf(b)),
        ("d.dot", |b: &[u8]| assert!(b.starts_with(b"digraph"))),
        ("d.svg", |b: &[u8]| assert!(b.starts_with(b"<?xml"))),
    ] {
        let path = dir.path().join(name);
        let out = render(&[
            "diff",
            "stacks",
            "tests/fixtures/eco/evil",
            "--engine",
            "builtin",
            "--figure",
            path.to_str().unwrap(),
        ]);
        assert_eq!(out.code, 0, "{name}: {}", out.stderr);
        check(&std::fs::read(&path).unwrap());
    }
}

/// A figure's PDF holds its labels as text (embedded subsets of the bundled fonts,
/// with a `ToUnicode` map), not as glyph outlines: Poppler's `pdftotext` reads back
/// every word of the SVG's `<text>` elements, for the tower of SG and the overview.
#[test]
fn figure_pdfs_hold_their_labels_as_text() {
    let Some(pdftotext) = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("pdftotext"))
            .find(|f| f.is_file())
    }) else {
        assert!(
            std::env::var_os("JENGA_REQUIRE_POPPLER").is_none(),
            "JENGA_REQUIRE_POPPLER=1 but pdftotext is not on PATH (apt-get install poppler-utils)"
        );
        eprintln!("skipping: pdftotext (poppler-utils) is not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for target in ["SG", "overview"] {
        let svg = render(&["render", target, "--engine", "builtin", "--format", "svg"]);
        assert_eq!(svg.code, 0, "{}", svg.stderr);
        let pdf = dir.path().join(format!("{target}.pdf"));
        let out = render(&[
            "render",
            target,
            "--engine",
            "builtin",
            "-o",
            pdf.to_str().unwrap(),
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let text = std::process::Command::new(&pdftotext)
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        assert!(text.status.success());
        let all = String::from_utf8_lossy(&text.stdout);
        let read: std::collections::BTreeSet<&str> = all.split_whitespace().collect();
        // pdftotext reads letter-spaced or rotated labels a character at a time.
        let squashed: String = all.split_whitespace().collect();
        let doc = roxmltree::Document::parse(&svg.stdout).unwrap();
        let mut words = 0;
        for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
            let label: String = t
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect();
            if t.has_attribute("letter-spacing") || t.has_attribute("transform") {
                let chars: String = label.split_whitespace().collect();
                assert!(squashed.contains(&chars), "{target}.pdf lacks {chars:?}");
                continue;
            }
            for w in label.split_whitespace() {
                words += 1;
                assert!(read.contains(w), "{target}.pdf lacks the word {w:?}");
            }
        }
        assert!(words > 20, "{target}: only {words} words checked");
    }
}

//! The report's `index.html` in a real browser: headless Chromium takes a screenshot and
//! the test checks that the page and its figures were drawn (not a blank page).
//!
//! Skips when Chromium is missing, unless `JENGA_REQUIRE_CHROMIUM=1` (CI), where a
//! missing browser fails the test.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Debian calls it `chromium`; other systems `chromium-browser` or `google-chrome`.
fn find_chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

fn chromium() -> Option<PathBuf> {
    let found = find_chromium();
    if found.is_none() {
        assert!(
            std::env::var_os("JENGA_REQUIRE_CHROMIUM").is_none_or(|v| v != "1"),
            "JENGA_REQUIRE_CHROMIUM=1 but Chromium is not on PATH (apt-get install chromium)"
        );
        eprintln!("skipping the browser test: Chromium is not on PATH");
    }
    found
}

/// Takes a `width`×`height` screenshot of `page` into `png`, with the browser's profile
/// and temporary files inside `scratch`; kills the browser after a minute.
fn screenshot(exe: &Path, page: &Path, png: &Path, scratch: &Path, size: (u32, u32)) {
    let mut child = Command::new(exe)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-extensions",
            "--hide-scrollbars",
        ])
        .arg(format!(
            "--user-data-dir={}",
            scratch.join("profile").display()
        ))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("--window-size={},{}", size.0, size.1))
        .arg(format!("file://{}", page.display()))
        .env("HOME", scratch)
        .env("TMPDIR", scratch)
        .env("XDG_CONFIG_HOME", scratch.join("config"))
        .env("XDG_CACHE_HOME", scratch.join("cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    match wait_timeout::ChildExt::wait_timeout(&mut child, Duration::from_secs(60)).unwrap() {
        Some(status) => assert!(status.success(), "chromium failed: {status}"),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 60 s");
        }
    }
}

/// Decodes an RGB(A) PNG into pixels.
fn pixels(png: &Path) -> (u32, u32, Vec<[u8; 3]>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let step = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("unexpected PNG colour type {other:?}"),
    };
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let px = buf[..info.buffer_size()]
        .chunks(step)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    (info.width, info.height, px)
}

#[test]
fn report_page_renders_in_headless_chromium() {
    let Some(exe) = chromium() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report");
    let run = Command::new(env!("CARGO_BIN_EXE_jenga"))
        .args(["report", "--engine", "builtin", "-q", "-o"])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // The freshly generated report, and the committed one (Graphviz's figures).
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("output/index.html");
    for (k, page) in [out.join("index.html"), committed].iter().enumerate() {
        let scratch = tmp.path().join(format!("browser-{k}"));
        std::fs::create_dir_all(&scratch).unwrap();
        let png = tmp.path().join(format!("shot-{k}.png"));
        screenshot(&exe, page, &png, &scratch, (1280, 3000));
        check_not_blank(&png, page);
    }
}

fn check_not_blank(png: &Path, page: &Path) {
    let (w, h, px) = pixels(png);
    assert_eq!((w, h), (1280, 3000));
    let white = px.iter().filter(|p| p.iter().all(|&c| c >= 250)).count();
    let inked = px.len() - white;
    let colours: std::collections::BTreeSet<[u8; 3]> = px.iter().copied().collect();
    assert!(
        inked * 100 > px.len(),
        "{}: the page is blank: {inked} of {} pixels are not white",
        page.display(),
        px.len()
    );
    assert!(
        colours.len() > 50,
        "{}: only {} colours",
        page.display(),
        colours.len()
    );
    // The figures are drawn, not just the page: the fill of the US jurisdiction
    // (#b8d8e9, used by no style of the page itself) shows up.
    let near = |p: &[u8; 3], q: [u8; 3]| p.iter().zip(q).all(|(a, b)| a.abs_diff(b) <= 6);
    let figure_px = px.iter().filter(|p| near(p, [0xb8, 0xd8, 0xe9])).count();
    assert!(
        figure_px > 500,
        "{}: the figures were not drawn ({figure_px} pixels of the US fill)",
        page.display()
    );
}

/// axe-core's `axe.min.js` (npm `axe-core`): `JENGA_AXE`, else the global npm root.
/// Skipped when missing unless `JENGA_REQUIRE_AXE=1` (CI).
fn axe_core() -> Option<PathBuf> {
    let found = std::env::var_os("JENGA_AXE")
        .map(PathBuf::from)
        .or_else(|| {
            let out = Command::new("npm").args(["root", "-g"]).output().ok()?;
            let root = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            Some(Path::new(&root).join("axe-core/axe.min.js"))
        })
        .filter(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("JENGA_REQUIRE_AXE").is_none_or(|v| v != "1"),
            "JENGA_REQUIRE_AXE=1 but axe-core is not installed (npm install -g axe-core)"
        );
        eprintln!("skipping the accessibility check: axe-core is not installed");
    }
    found
}

/// Runs Chromium headless on `page` with `extra` arguments; returns standard output.
fn chromium_run(exe: &Path, page: &Path, scratch: &Path, extra: &[String]) -> String {
    let out = Command::new(exe)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-extensions",
            "--allow-file-access-from-files",
        ])
        .arg(format!(
            "--user-data-dir={}",
            scratch.join("profile").display()
        ))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .env("HOME", scratch)
        .env("TMPDIR", scratch)
        .env("XDG_CONFIG_HOME", scratch.join("config"))
        .env("XDG_CACHE_HOME", scratch.join("cache"))
        .stdin(Stdio::null())
        .output()
        .expect("chromium starts");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The script injected into a copy of the page: it applies the print stylesheet
/// (`@media print` rules made unconditional) at the width of an A4 page inside its
/// margins, measures every figure, runs axe-core's colour-contrast rule, and writes
/// the result as JSON into `<pre id="jenga-result">`.
const PROBE: &str = r#"<script>
window.addEventListener('load', async () => {
  for (const sheet of document.styleSheets)
    for (const rule of sheet.cssRules)
      if (rule.media && rule.media.mediaText.includes('print')) rule.media.mediaText = 'all';
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const page = document.documentElement.clientWidth;
  const figures = [...document.querySelectorAll('figure img')].map(img => {
    const b = img.getBoundingClientRect();
    return {src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0,
            left: b.left, right: b.right, width: b.width, height: b.height};
  });
  const axeResult = await axe.run(document, {runOnly: ['color-contrast']});
  const out = document.createElement('pre');
  out.id = 'jenga-result';
  out.textContent = JSON.stringify({page, figures,
    violations: axeResult.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.html + ' ' + n.failureSummary)})),
    passes: axeResult.passes.reduce((n, v) => n + v.nodes.length, 0)});
  document.body.appendChild(out);
});
</script>"#;

/// A4 (210 mm) less the report's 1.5 cm print margins, in CSS pixels (96 per inch).
const A4_CONTENT_PX: u32 = 680;

#[test]
fn report_prints_to_pdf_with_every_figure_inside_the_page_and_passes_axe_contrast() {
    let Some(exe) = chromium() else {
        return;
    };
    let axe = axe_core();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report");
    let run = Command::new(env!("CARGO_BIN_EXE_jenga"))
        .args(["report", "--engine", "builtin", "-q", "-o"])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("output");
    for (k, dir) in [out.clone(), committed].iter().enumerate() {
        let scratch = tmp.path().join(format!("print-{k}"));
        std::fs::create_dir_all(&scratch).unwrap();
        // Printed by Chromium to PDF, as an analyst would.
        let pdf = scratch.join("report.pdf");
        chromium_run(
            &exe,
            &dir.join("index.html"),
            &scratch,
            &[
                format!("--print-to-pdf={}", pdf.display()),
                "--no-pdf-header-footer".to_owned(),
            ],
        );
        let bytes = std::fs::read(&pdf).unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{}: not a PDF", dir.display());
        let pages = bytes
            .windows(12)
            .filter(|w| w.starts_with(b"/Type /Page") && w[11] != b's')
            .count()
            + bytes
                .windows(11)
                .filter(|w| w.starts_with(b"/Type/Page") && w[10] != b's')
                .count();
        assert!(pages > 3, "{}: {pages} pages printed", dir.display());
        let Some(axe) = &axe else {
            continue;
        };
        // The same page with the print stylesheet applied at A4 width, measured.
        let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
        let probe = dir.join("jenga-probe.html");
        let script = format!(
            "<script src=\"file://{}\"></script>{PROBE}</head>",
            axe.display()
        );
        // The page forbids scripts (its Content-Security-Policy); the probe's copy
        // drops that one line to run axe-core.
        let html: String = html
            .lines()
            .filter(|l| !l.contains("Content-Security-Policy"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(!html.contains("<script"), "the report itself has no script");
        std::fs::write(&probe, html.replacen("</head>", &script, 1)).unwrap();
        let dom = chromium_run(
            &exe,
            &probe,
            &scratch,
            &[
                format!("--window-size={A4_CONTENT_PX},1200"),
                "--virtual-time-budget=60000".to_owned(),
                "--dump-dom".to_owned(),
            ],
        );
        std::fs::remove_file(&probe).unwrap();
        let json = dom
            .split("<pre id=\"jenga-result\">")
            .nth(1)
            .and_then(|s| s.split("</pre>").next())
            .unwrap_or_else(|| panic!("{}: the probe did not finish", dir.display()))
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let page = v["page"].as_f64().unwrap();
        assert!(page <= f64::from(A4_CONTENT_PX), "{page}");
        let figures = v["figures"].as_array().unwrap();
        let figure_files = std::fs::read_dir(dir.join("towers")).unwrap().count() / 4;
        assert!(figures.len() > figure_files, "{} figures", figures.len());
        for f in figures {
            let src = &f["src"];
            assert_eq!(f["loaded"], true, "{src} did not load");
            assert!(
                f["left"].as_f64().unwrap() >= -0.5,
                "{src} starts left of the page: {f}"
            );
            assert!(
                f["right"].as_f64().unwrap() <= page + 0.5,
                "{src} overflows the page ({page} px): {f}"
            );
            assert!(f["width"].as_f64().unwrap() > 50.0, "{src} vanished: {f}");
            // At most 24 cm tall: it fits an A4 page inside its margins.
            assert!(
                f["height"].as_f64().unwrap() <= 24.0 / 2.54 * 96.0 + 0.5,
                "{src} is taller than the page: {f}"
            );
        }
        let violations = v["violations"].as_array().unwrap();
        assert!(
            violations.is_empty(),
            "{}: axe-core contrast violations: {violations:#?}",
            dir.display()
        );
        assert!(
            v["passes"].as_u64().unwrap() > 20,
            "axe checked too little: {v}"
        );
    }
}

/// Poppler's `pdftotext` (Debian `poppler-utils`), which reads the printed PDF.
/// Skipped when missing unless `JENGA_REQUIRE_POPPLER=1` (CI).
fn pdftotext() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("pdftotext"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("JENGA_REQUIRE_POPPLER").is_none_or(|v| v != "1"),
            "JENGA_REQUIRE_POPPLER=1 but pdftotext is not on PATH (apt-get install poppler-utils)"
        );
        eprintln!("skipping the PDF text check: pdftotext (poppler-utils) is not installed");
    }
    found
}

/// One printed page as `pdftotext -bbox-layout` reads it: its media box (width,
/// height, in points) and its words with their boxes (xMin, yMin, xMax, yMax).
struct PdfPage {
    width: f64,
    height: f64,
    words: Vec<(String, [f64; 4])>,
}

/// The pages of `pdf`, read by Poppler (not by anything of jenga's or Chromium's).
fn pdf_pages(exe: &Path, pdf: &Path) -> Vec<PdfPage> {
    let xhtml = pdf.with_extension("bbox.html");
    let status = Command::new(exe)
        .arg("-bbox-layout")
        .arg(pdf)
        .arg(&xhtml)
        .status()
        .expect("pdftotext runs");
    assert!(status.success(), "pdftotext failed: {status}");
    let text = std::fs::read_to_string(&xhtml).unwrap();
    // The DOCTYPE names an external DTD, which roxmltree need not read.
    let body = &text[text.find("<html").expect("pdftotext writes XHTML")..];
    let doc = roxmltree::Document::parse(body).expect("pdftotext's XHTML parses");
    let num = |n: roxmltree::Node, a: &str| -> f64 { n.attribute(a).unwrap().parse().unwrap() };
    doc.descendants()
        .filter(|n| n.has_tag_name("page"))
        .map(|p| PdfPage {
            width: num(p, "width"),
            height: num(p, "height"),
            words: p
                .descendants()
                .filter(|n| n.has_tag_name("word"))
                .map(|w| {
                    (
                        w.text().unwrap_or_default().to_owned(),
                        [
                            num(w, "xMin"),
                            num(w, "yMin"),
                            num(w, "xMax"),
                            num(w, "yMax"),
                        ],
                    )
                })
                .collect(),
        })
        .collect()
}

/// The alphanumeric runs of `s` (pdftotext and the SVG split words differently at
/// punctuation: `(es-foundation-models,` against `es-foundation-models`).
/// Chromium's fonts draw `ff`, `fi`, `fl` as one ligature glyph, which pdftotext
/// reads back as the ligature's character: both sides are compared without them.
fn tokens(s: &str) -> Vec<String> {
    let s = s
        .replace('\u{FB00}', "ff")
        .replace('\u{FB01}', "fi")
        .replace('\u{FB02}', "fl")
        .replace('\u{FB03}', "ffi")
        .replace('\u{FB04}', "ffl");
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A figure's labels: the text of its SVG's `<text>` elements, split into those drawn
/// straight (read back as words) and those drawn letter-spaced or rotated (which
/// pdftotext reads letter by letter, so they are compared as characters).
fn svg_labels(svg: &Path) -> (Vec<String>, Vec<String>) {
    let text = std::fs::read_to_string(svg).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let (mut straight, mut split) = (Vec::new(), Vec::new());
    for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let label: String = t
            .descendants()
            .filter(roxmltree::Node::is_text)
            .filter_map(|n| n.text())
            .collect();
        let turned = t
            .ancestors()
            .filter_map(|a| a.attribute("transform"))
            .any(|tr| tr.contains("rotate"));
        if turned || t.attribute("letter-spacing").is_some() {
            split.push(label);
        } else {
            straight.push(label);
        }
    }
    (straight, split)
}

/// Every figure of the report, found in the PDF that Chromium prints: the words of
/// its SVG labels all on one page (the figure is there and nothing of it is cut
/// off), and every word of every page inside that page's media box (the figure fits
/// the printed column).
#[test]
fn every_figure_is_found_inside_the_printed_pdf() {
    let Some(exe) = chromium() else {
        return;
    };
    let Some(poppler) = pdftotext() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("report");
    let run = Command::new(env!("CARGO_BIN_EXE_jenga"))
        .args(["report", "--engine", "builtin", "-q", "-o"])
        .arg(&dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let scratch = tmp.path().join("print");
    std::fs::create_dir_all(&scratch).unwrap();
    let pdf = scratch.join("report.pdf");
    chromium_run(
        &exe,
        &dir.join("index.html"),
        &scratch,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".to_owned(),
        ],
    );
    let pages = pdf_pages(&poppler, &pdf);
    assert!(pages.len() > 3, "{} pages", pages.len());
    let mut words = 0;
    for (k, p) in pages.iter().enumerate() {
        // A4 in points, as the print stylesheet's `@page` asks.
        assert!((p.width - 595.0).abs() < 2.0 && (p.height - 842.0).abs() < 2.0);
        for (w, [x0, y0, x1, y1]) in &p.words {
            words += 1;
            assert!(
                *x0 >= -0.01 && *y0 >= -0.01 && *x1 <= p.width + 0.01 && *y1 <= p.height + 0.01,
                "page {}: `{w}` at [{x0}, {y0}, {x1}, {y1}] lies outside the {}×{} media box",
                k + 1,
                p.width,
                p.height
            );
        }
    }
    let page_tokens: Vec<std::collections::BTreeSet<String>> = pages
        .iter()
        .map(|p| p.words.iter().flat_map(|(w, _)| tokens(w)).collect())
        .collect();
    let page_chars: Vec<std::collections::BTreeMap<char, usize>> = pages
        .iter()
        .map(|p| {
            let mut m = std::collections::BTreeMap::new();
            for c in p.words.iter().flat_map(|(w, _)| w.chars()) {
                *m.entry(c).or_default() += 1;
            }
            m
        })
        .collect();
    let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
    let figures: Vec<&str> = html
        .split("<img src=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let towers = std::fs::read_dir(dir.join("towers")).unwrap().count() / 5;
    assert!(figures.len() > towers + 2, "{} figures", figures.len());
    for src in figures {
        let (straight, split) = svg_labels(&dir.join(src));
        let want: std::collections::BTreeSet<String> =
            straight.iter().flat_map(|l| tokens(l)).collect();
        assert!(
            want.len() >= 5,
            "{src}: too few labels to find it ({want:?})"
        );
        // The page that holds the most of the figure's words must hold them all.
        let (page, found) = page_tokens
            .iter()
            .enumerate()
            .map(|(k, t)| (k, want.intersection(t).count()))
            .max_by_key(|&(k, n)| (n, std::cmp::Reverse(k)))
            .unwrap();
        let missing: Vec<&String> = want.difference(&page_tokens[page]).collect();
        assert!(
            missing.is_empty(),
            "{src}: on page {}, {found} of its {} words; missing {missing:?}",
            page + 1,
            want.len()
        );
        let mut need = std::collections::BTreeMap::<char, usize>::new();
        for c in split
            .iter()
            .flat_map(|l| l.chars())
            .filter(|c| !c.is_whitespace())
        {
            *need.entry(c).or_default() += 1;
        }
        for (c, n) in need {
            let have = page_chars[page].get(&c).copied().unwrap_or(0);
            assert!(
                have >= n,
                "{src}: page {} holds {have} `{c}` of its rotated or spaced labels' {n}",
                page + 1
            );
        }
    }
    assert!(words > 1000, "{words} words printed");
}

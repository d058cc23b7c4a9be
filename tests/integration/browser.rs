//! The report's `index.html` in a real browser: headless Chromium takes a screenshot and
//! the test checks that the page and its figures were drawn (not a blank page).
//!
//! Skips when Chromium is missing, unless `JENGA_REQUIRE_CHROMIUM=1` (CI), where a
//! missing browser fails the test.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium failed: {status}");
            break;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
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

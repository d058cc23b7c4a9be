//! Drawing the report's figures and writing every file into the staging directory.

use std::io::Write as _;

use rayon::prelude::*;

use crate::error::Error;
use crate::render::{SvgEngine, convert};

use super::Fig;

/// Draws every figure and writes it, with the text files, into the staging directory.
///
/// The SVGs are drawn in parallel (rayon; one `dot` process per figure with Graphviz:
/// several graphs in one `dot` run lay out differently from run to run). Meanwhile
/// [`WRITERS`] threads write the files as they become ready; each file is synced to
/// disk before the directory is swapped in, and those syncs, which wait on the disk
/// rather than the CPU, overlap with the drawing and with each other.
///
/// # Complexity
/// O(total bytes) of writing, plus one `dot` run (or one built-in layout) per figure.
pub fn draw_and_write(
    staging: &crate::fsutil::Staging,
    figs: &[Fig],
    texts: impl FnOnce() -> Result<Vec<(String, Vec<u8>)>, Error> + Send,
    engine: SvgEngine,
    timeout: std::time::Duration,
    bar: &crate::progress::Progress,
) -> Result<(), Error> {
    let (tx, rx) = std::sync::mpsc::channel::<(String, Vec<u8>)>();
    let rx = std::sync::Mutex::new(rx);
    let failed: std::sync::Mutex<Option<Error>> = std::sync::Mutex::new(None);
    let work = || {
        loop {
            let next = match rx.lock() {
                Ok(r) => r.recv(),
                Err(_) => break,
            };
            let Ok((path, text)) = next else { break };
            if let Err(e) = staging.write(&path, &text)
                && let Ok(mut f) = failed.lock()
            {
                f.get_or_insert(e.into());
            }
        }
    };
    let drawn = std::thread::scope(|scope| {
        // A thread the system refuses (EAGAIN on a loaded machine) is one writer
        // fewer, never a panic; with none at all, this thread writes at the end.
        let mut writers = 0;
        for _ in 0..WRITERS {
            if std::thread::Builder::new()
                .spawn_scoped(scope, work)
                .is_err()
            {
                break;
            }
            writers += 1;
        }
        let text_tx = tx.clone();
        let texts = move || -> Result<(), Error> {
            for (path, text) in texts()? {
                let _ = text_tx.send((path, text));
            }
            Ok(())
        };
        // The biggest figures first, so that no core waits on one drawn last.
        let mut order: Vec<&Fig> = figs.iter().collect();
        order.sort_by_key(|f| std::cmp::Reverse(f.figure.size_hint()));
        let figures = || {
            order.par_iter().try_for_each_with(tx.clone(), |tx, f| {
                let started = std::time::Instant::now();
                let svg = f
                    .figure
                    .to_svg(engine, timeout)
                    .map_err(|e| Error::Failed(format!("{}.svg: {e}", f.stem)))?;
                // The same figure as PNG and PDF, for slides and print: parsed (and its
                // text shaped) once for both, drawn side by side.
                let parsed = convert::parse(&svg)
                    .map_err(|e| Error::Failed(format!("{}.svg: {e}", f.stem)))?;
                let drawn_at = started.elapsed();
                let timed = |f: &dyn Fn() -> Result<Vec<u8>, convert::ConvertError>| {
                    let t = std::time::Instant::now();
                    (f(), t.elapsed())
                };
                let ((png, png_time), (pdf, pdf_time)) = rayon::join(
                    || timed(&|| convert::to_png(&parsed, Some(convert::REPORT_PNG_PIXELS))),
                    || timed(&|| convert::to_pdf(&parsed)),
                );
                if crate::timings::enabled() {
                    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
                    let _ = writeln!(
                        std::io::stderr().lock(),
                        "timing: figure {} svg+parse {:.1} ms png {:.1} ms pdf {:.1} ms",
                        f.stem,
                        ms(drawn_at),
                        ms(png_time),
                        ms(pdf_time)
                    );
                }
                let png = png.map_err(|e| Error::Failed(format!("{}.png: {e}", f.stem)))?;
                let pdf = pdf.map_err(|e| Error::Failed(format!("{}.pdf: {e}", f.stem)))?;
                bar.inc(1);
                let _ = tx.send((format!("{}.svg", f.stem), svg.into_bytes()));
                let _ = tx.send((format!("{}.png", f.stem), png));
                let _ = tx.send((format!("{}.pdf", f.stem), pdf));
                Ok::<(), Error>(())
            })
        };
        let (sent, drawn) = rayon::join(texts, figures);
        let drawn = sent.and(drawn);
        drop(tx);
        if writers == 0 {
            work();
        }
        drawn
    });
    drawn?;
    match failed.into_inner() {
        Ok(None) => Ok(()),
        Ok(Some(e)) => Err(e),
        Err(_) => Err(Error::Failed("a report writer thread failed".to_owned())),
    }
}

/// How many threads write the report's files.
const WRITERS: usize = 16;

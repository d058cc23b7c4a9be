//! Running Graphviz `dot` (with a timeout) and tidying its SVG: no DOCTYPE with an
//! external DTD, no comments (they carry the Graphviz version and the node ids), and
//! an accessible `<title>`/`<desc>` as the first children of the root element.

use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use wait_timeout::ChildExt as _;

use super::RenderError;
use super::text::xml;

/// The `dot` executable on `PATH`, if any.
pub fn find_dot() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(if cfg!(windows) { "dot.exe" } else { "dot" }))
        .find(|p| p.is_file())
}

/// Whether Graphviz `dot` is on `PATH`.
pub fn available() -> bool {
    find_dot().is_some()
}

/// What `dot` produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotRun {
    /// Standard output.
    pub stdout: String,
    /// Standard error: warnings, when the run succeeded.
    pub stderr: String,
}

/// Runs `dot -T FORMAT` on `source`, killing it after `timeout`.
///
/// # Errors
/// `dot` missing, failing (non-zero exit, with its message) or too slow.
pub fn run(source: &str, format: &str, timeout: Duration) -> Result<DotRun, RenderError> {
    let exe = find_dot().ok_or(RenderError::GraphvizMissing)?;
    let mut child = Command::new(exe)
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| RenderError::Graphviz(e.to_string()))?;
    let (Some(mut stdin), Some(mut stdout), Some(mut stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(RenderError::Graphviz(
            "could not open pipes to `dot`".to_owned(),
        ));
    };
    let input = source.as_bytes().to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = stdout.read_to_end(&mut b);
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = stderr.read_to_end(&mut b);
        b
    });
    let status = match child.wait_timeout(timeout) {
        Ok(Some(status)) => status,
        Ok(None) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(RenderError::Timeout(timeout));
        }
        Err(e) => return Err(RenderError::Graphviz(e.to_string())),
    };
    let _ = writer.join();
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let stderr = String::from_utf8_lossy(&stderr).trim().to_owned();
    if !status.success() {
        return Err(RenderError::Graphviz(if stderr.is_empty() {
            format!("exit status {status}")
        } else {
            stderr
        }));
    }
    Ok(DotRun {
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr,
    })
}

/// Runs `dot -Tsvg` on `source` and returns the raw SVG.
///
/// # Errors
/// As [`run`].
pub fn run_dot(source: &str, timeout: Duration) -> Result<String, RenderError> {
    run(source, "svg", timeout).map(|r| r.stdout)
}

/// Removes every `<!...>` declaration and `<!-- -->` comment after the XML declaration.
fn strip_declarations(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(start) = rest.find("<!") {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = if tail.starts_with("<!--") {
            tail.find("-->").map(|e| e + 3)
        } else {
            tail.find('>').map(|e| e + 1)
        };
        match end {
            Some(e) => rest = &tail[e..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Makes Graphviz's SVG self-contained and accessible.
///
/// # Errors
/// When the output has no `<svg` root element or carries a script.
pub fn tidy_svg(raw: &str, title: &str, desc: &str) -> Result<String, RenderError> {
    let svg = strip_declarations(raw);
    let start = svg
        .find("<svg")
        .ok_or_else(|| RenderError::Graphviz("no <svg> element in the output".to_owned()))?;
    let close = svg[start..]
        .find('>')
        .map(|e| start + e + 1)
        .ok_or_else(|| RenderError::Graphviz("unterminated <svg> element".to_owned()))?;
    if svg.contains("<script") || svg.contains("href=\"http") {
        return Err(RenderError::Graphviz(
            "the output carries a script or an external reference".to_owned(),
        ));
    }
    let open = &svg[start..close];
    let open = open.replacen(
        "<svg",
        "<svg role=\"img\" aria-labelledby=\"jenga-title jenga-desc\"",
        1,
    );
    Ok(format!(
        "{}{}\n<title id=\"jenga-title\">{}</title>\n<desc id=\"jenga-desc\">{}</desc>{}",
        &svg[..start],
        open,
        xml(title),
        xml(desc),
        &svg[close..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_removes_doctype_and_comments_and_adds_title() {
        let raw = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\"\n \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<!-- Generated by graphviz -->\n<svg width=\"1pt\" viewBox=\"0 0 1 1\">\n<!-- a&#45;&#45;b -->\n<g/>\n</svg>\n";
        let t = tidy_svg(raw, "A <b>", "d").unwrap();
        assert!(!t.contains("DOCTYPE"));
        assert!(!t.contains("<!--"));
        assert!(t.contains("<title id=\"jenga-title\">A &lt;b&gt;</title>"));
        assert!(t.starts_with("<?xml"));
        assert!(t.contains("role=\"img\""));
    }

    #[test]
    fn tidy_refuses_scripts() {
        assert!(tidy_svg("<svg><script/></svg>", "t", "d").is_err());
    }
}

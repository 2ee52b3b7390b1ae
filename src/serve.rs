//! `render --watch --serve PORT`: the renders folder served on this machine only
//! (`127.0.0.1`), so its gallery can read `manifest.json` and reload itself after each render,
//! which a page opened from disk cannot (browsers refuse a `file://` page's requests).
//!
//! GET and HEAD of the files in the folder, with byte ranges (browsers load and seek video by
//! ranges), nothing cached (every look is the latest render), and an `ETag` that changes with
//! each write, which the gallery polls for.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::time::UNIX_EPOCH;

use anyhow::Context;

/// Longest request head read; a longer one is refused.
const MAX_HEAD: usize = 16 << 10;

/// Serves `root` on `127.0.0.1:port` (0: any free port) until the process ends; returns the
/// address it listens on.
pub fn serve(root: &Path, port: u16) -> anyhow::Result<SocketAddr> {
    let root = std::fs::canonicalize(root)
        .with_context(|| format!("cannot serve `{}`", root.display()))?;
    let listener = TcpListener::bind(("127.0.0.1", port)).with_context(|| {
        format!("cannot serve on 127.0.0.1:{port}; pick another --serve PORT (0 picks a free one)")
    })?;
    let addr = listener.local_addr()?;
    std::thread::Builder::new()
        .name("serve".into())
        .spawn(move || {
            for stream in listener.incoming().flatten() {
                let root = root.clone();
                // A browser drops connections it no longer needs (video it seeks past).
                let _ = std::thread::Builder::new().spawn(move || handle(stream, &root));
            }
        })?;
    Ok(addr)
}

/// Answers the requests of one connection until the browser closes it.
fn handle(stream: TcpStream, root: &Path) -> io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    loop {
        let Some(request) = read_head(&mut reader)? else {
            return Ok(());
        };
        respond(&mut stream, root, &request)?;
        if request.close {
            return Ok(());
        }
    }
}

/// What is asked of a request: method, target and the headers that matter here.
struct Request {
    method: String,
    target: String,
    range: Option<String>,
    close: bool,
}

/// The next request's head; `None` when the connection is closed.
fn read_head(reader: &mut impl BufRead) -> io::Result<Option<Request>> {
    let mut head = reader.take(MAX_HEAD as u64);
    let mut line = String::new();
    if head.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let mut request = Request {
        method: parts.next().unwrap_or_default().to_string(),
        target: parts.next().unwrap_or_default().to_string(),
        range: None,
        close: false,
    };
    loop {
        line.clear();
        if head.read_line(&mut line)? == 0 {
            // Cut short, or longer than MAX_HEAD: nothing more is read from this connection.
            return Ok(None);
        }
        if line == "\r\n" || line == "\n" {
            return Ok(Some(request));
        }
        if let Some((name, value)) = line.split_once(':') {
            let value = value.trim();
            match name.trim().to_ascii_lowercase().as_str() {
                "range" => request.range = Some(value.to_string()),
                "connection" => request.close = value.eq_ignore_ascii_case("close"),
                _ => {}
            }
        }
    }
}

fn respond(stream: &mut TcpStream, root: &Path, request: &Request) -> io::Result<()> {
    let method = request.method.as_str();
    if method != "GET" && method != "HEAD" {
        return status_only(stream, "405 Method Not Allowed");
    }
    let Some(path) = local_path(root, &request.target) else {
        return status_only(stream, "404 Not Found");
    };
    let Ok(mut file) = File::open(&path) else {
        return status_only(stream, "404 Not Found");
    };
    let meta = file.metadata()?;
    let len = meta.len();
    let (status, start, end) = match request.range.as_deref().map(|r| byte_range(r, len)) {
        None | Some(Range::Ignored) => ("200 OK", 0, len),
        Some(Range::Bytes(start, end)) => ("206 Partial Content", start, end),
        Some(Range::Unsatisfiable) => {
            let head = format!(
                "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{len}\r\nContent-Length: 0\r\n\r\n"
            );
            return stream.write_all(head.as_bytes());
        }
    };
    // Each render replaces the file (a new one renamed into place), so its time changes.
    let written = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\nAccept-Ranges: bytes\r\nCache-Control: no-store\r\nETag: \"{written:x}-{len:x}\"\r\n",
        content_type(&path),
        end - start
    );
    if status.starts_with("206") {
        head.push_str(&format!(
            "Content-Range: bytes {start}-{}/{len}\r\n",
            end - 1
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if method == "GET" {
        file.seek(SeekFrom::Start(start))?;
        io::copy(&mut file.take(end - start), stream)?;
    }
    stream.flush()
}

fn status_only(stream: &mut TcpStream, status: &str) -> io::Result<()> {
    let head = format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\n\r\n");
    stream.write_all(head.as_bytes())
}

/// The file a request target names in `root`; `None` for anything outside it (`..`, a link
/// that leads elsewhere), a folder's `index.html` for a folder.
fn local_path(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    let decoded = percent_decode(path)?;
    let relative = Path::new(decoded.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let mut full = std::fs::canonicalize(root.join(relative)).ok()?;
    if full.is_dir() {
        full.push("index.html");
    }
    (full.starts_with(root) && full.is_file()).then_some(full)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[derive(Debug, PartialEq)]
enum Range {
    /// Half-open `[start, end)`.
    Bytes(u64, u64),
    /// Not a single byte range; the whole file is sent, as HTTP allows.
    Ignored,
    Unsatisfiable,
}

/// Parses `bytes=a-b`, `bytes=a-` and `bytes=-n` against a file of `len` bytes.
fn byte_range(header: &str, len: u64) -> Range {
    let Some((first, last)) = header
        .strip_prefix("bytes=")
        .filter(|spec| !spec.contains(','))
        .and_then(|spec| spec.split_once('-'))
    else {
        return Range::Ignored;
    };
    let (first, last) = (first.trim(), last.trim());
    let parsed = match (first.parse::<u64>(), last.parse::<u64>()) {
        (Ok(a), Ok(b)) if a <= b => Some((a, b.saturating_add(1).min(len))),
        (Ok(a), Err(_)) if last.is_empty() => Some((a, len)),
        (Err(_), Ok(n)) if first.is_empty() && n > 0 => Some((len.saturating_sub(n), len)),
        _ => return Range::Ignored,
    };
    match parsed {
        Some((start, end)) if start < end => Range::Bytes(start, end),
        _ => Range::Unsatisfiable,
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("json") => "application/json",
        Some("mp4") => "video/mp4",
        Some("webm") => "video/webm",
        Some("mov") => "video/quicktime",
        Some("gif") => "image/gif",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends `request` to `addr` and returns the whole answer as text.
    fn ask(addr: SocketAddr, request: &str) -> String {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    }

    #[test]
    fn serves_the_folder_and_nothing_outside_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("renders");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("manifest.json"), "{\"version\":1}").unwrap();
        std::fs::write(root.join("index.html"), "<p>gallery</p>").unwrap();
        std::fs::write(root.join("a b@x.png"), "0123456789").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt")).unwrap();
        let addr = serve(&root, 0).unwrap();
        assert!(addr.ip().is_loopback());

        let get = |target: &str, extra: &str| {
            ask(
                addr,
                &format!("GET {target} HTTP/1.1\r\nConnection: close\r\n{extra}\r\n"),
            )
        };
        let manifest = get("/manifest.json", "");
        assert!(manifest.starts_with("HTTP/1.1 200 OK"), "{manifest}");
        assert!(
            manifest.contains("Content-Type: application/json"),
            "{manifest}"
        );
        assert!(manifest.contains("Cache-Control: no-store"), "{manifest}");
        assert!(manifest.contains("ETag: \""), "{manifest}");
        assert!(manifest.ends_with("{\"version\":1}"), "{manifest}");
        assert!(get("/", "").ends_with("<p>gallery</p>"));
        let part = get("/a%20b%40x.png", "Range: bytes=2-4\r\n");
        assert!(part.starts_with("HTTP/1.1 206"), "{part}");
        assert!(part.contains("Content-Range: bytes 2-4/10"), "{part}");
        assert!(part.ends_with("\r\n\r\n234"), "{part}");
        for outside in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/link.txt",
            "/gone.png",
        ] {
            let answer = get(outside, "");
            assert!(answer.starts_with("HTTP/1.1 404"), "{outside}: {answer}");
            assert!(!answer.contains("secret"), "{outside}: {answer}");
        }
        let post = ask(
            addr,
            "POST /manifest.json HTTP/1.1\r\nConnection: close\r\n\r\n",
        );
        assert!(post.starts_with("HTTP/1.1 405"), "{post}");

        // A port taken is an error that says what to do.
        let e = serve(&root, addr.port()).unwrap_err();
        assert!(
            format!("{e:#}").contains("pick another --serve PORT"),
            "{e:#}"
        );
    }

    #[test]
    fn byte_ranges_follow_http() {
        assert_eq!(byte_range("bytes=0-", 100), Range::Bytes(0, 100));
        assert_eq!(byte_range("bytes=10-19", 100), Range::Bytes(10, 20));
        assert_eq!(byte_range("bytes=90-200", 100), Range::Bytes(90, 100));
        assert_eq!(byte_range("bytes=-30", 100), Range::Bytes(70, 100));
        assert_eq!(byte_range("bytes=100-", 100), Range::Unsatisfiable);
        assert_eq!(byte_range("bytes=0-1,5-6", 100), Range::Ignored);
        assert_eq!(byte_range("items=0-1", 100), Range::Ignored);
    }
}

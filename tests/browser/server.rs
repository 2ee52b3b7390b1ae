//! A static file server on 127.0.0.1 for the browser test: GET and HEAD, the content types of
//! a renders folder, and byte ranges, which Chromium uses to load and seek video.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::thread;

/// Serves `root` on an ephemeral port until the test process ends; returns its address.
pub fn serve(root: &Path) -> io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let root = root.to_path_buf();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            thread::spawn(move || {
                // A browser drops media connections it no longer needs; that is not an error.
                let _ = handle(stream, &root);
            });
        }
    });
    Ok(addr)
}

fn handle(stream: TcpStream, root: &Path) -> io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let mut range = None;
        let mut close = false;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                let value = value.trim();
                match name.trim().to_ascii_lowercase().as_str() {
                    "range" => range = Some(value.to_string()),
                    "connection" => close = value.eq_ignore_ascii_case("close"),
                    _ => {}
                }
            }
        }
        let mut parts = request_line.split_whitespace();
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        respond(&mut stream, root, method, target, range.as_deref())?;
        if close {
            return Ok(());
        }
    }
}

fn respond(
    stream: &mut TcpStream,
    root: &Path,
    method: &str,
    target: &str,
    range: Option<&str>,
) -> io::Result<()> {
    if method != "GET" && method != "HEAD" {
        return status_only(stream, "405 Method Not Allowed");
    }
    let Some(path) = local_path(root, target) else {
        return status_only(stream, "404 Not Found");
    };
    let Ok(mut file) = File::open(&path) else {
        return status_only(stream, "404 Not Found");
    };
    let len = file.metadata()?.len();
    let (status, start, end) = match range.map(|r| byte_range(r, len)) {
        None | Some(Range::Ignored) => ("200 OK", 0, len),
        Some(Range::Bytes(start, end)) => ("206 Partial Content", start, end),
        Some(Range::Unsatisfiable) => {
            let head = format!(
                "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{len}\r\nContent-Length: 0\r\n\r\n"
            );
            return stream.write_all(head.as_bytes());
        }
    };
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\nAccept-Ranges: bytes\r\nCache-Control: no-store\r\n",
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

/// The file a request target names under `root`; `None` for anything that would leave it.
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
    let full = root.join(relative);
    Some(if full.is_dir() {
        full.join("index.html")
    } else {
        full
    })
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
        (Ok(a), Ok(b)) if a <= b => Some((a, (b + 1).min(len))),
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
        Some("mp4") => "video/mp4",
        Some("gif") => "image/gif",
        Some("png") => "image/png",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
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

#[test]
fn requests_stay_inside_the_served_folder() {
    let root = Path::new("/srv/renders");
    assert_eq!(
        local_path(root, "/a%20b.mp4?x=1"),
        Some(root.join("a b.mp4"))
    );
    assert_eq!(local_path(root, "/../etc/passwd"), None);
    assert_eq!(local_path(root, "/%2E%2E/etc/passwd"), None);
}

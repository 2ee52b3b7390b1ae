//! Reading a source within a ceiling on what it may cost: a file's size is checked before it
//! is read and again while it is read (a file can grow, a FIFO has no size), and a line-based
//! file is refused at its first line over the cap without that line ever being held whole.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use anyhow::Context;

/// No benchmark tool's output comes near this; a bigger file is a mistake, not data.
pub const MAX_SOURCE_BYTES: u64 = 256 * 1024 * 1024;

/// The most a JSON file may hold: parsed, JSON takes several times its size in memory.
pub const MAX_JSON_BYTES: u64 = 64 * 1024 * 1024;

/// The longest line of a line-based file (a table, JSON lines, an event log). A JSON line with
/// every request's details is a few MB; a longer one is no run.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// How a source is laid out, which says the ceiling it is read under.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Shape {
    /// One or more JSON values (at most `MAX_JSON_BYTES`).
    Json,
    /// Lines (each at most `MAX_LINE_BYTES`), such as CSV, JSON lines or an event log.
    Lines,
}

/// The bytes of a file to import of shape `shape`; too big, a line too long, or unreadable is
/// an error naming the file (and the line).
pub(super) fn read_source_as(path: &Path, shape: Shape) -> anyhow::Result<Vec<u8>> {
    let shown = path.display();
    let file = std::fs::File::open(path).with_context(|| format!("cannot read `{shown}`"))?;
    let size = file
        .metadata()
        .with_context(|| format!("cannot read `{shown}`"))?
        .len();
    let cap = match shape {
        Shape::Json => MAX_JSON_BYTES,
        Shape::Lines => MAX_SOURCE_BYTES,
    };
    let too_big = |size: u64| match shape {
        Shape::Json => anyhow::anyhow!(
            "`{shown}` is {} MiB; a JSON file of more than {} MiB is refused, as no benchmark tool writes one",
            size.div_ceil(1 << 20),
            MAX_JSON_BYTES >> 20
        ),
        Shape::Lines => anyhow::anyhow!(
            "`{shown}` is {} MB; not a benchmark result",
            size / 1_000_000
        ),
    };
    if size > cap {
        return Err(too_big(size));
    }
    let mut reader = BufReader::new(file.take(cap + 1));
    let mut bytes = Vec::with_capacity(size as usize);
    match shape {
        Shape::Json => {
            reader
                .read_to_end(&mut bytes)
                .with_context(|| format!("cannot read `{shown}`"))?;
        }
        Shape::Lines => read_lines(&mut reader, &mut bytes, MAX_LINE_BYTES)
            .map_err(|e| match e {
                LinesError::Long { line } => anyhow::anyhow!(
                    "`{shown}` line {line} is longer than {} MiB; refused, as no line of a table or log is that long",
                    MAX_LINE_BYTES >> 20
                ),
                LinesError::Io(e) => anyhow::anyhow!("cannot read `{shown}`: {e}"),
            })?,
    }
    if bytes.len() as u64 > cap {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Why lines could not be read.
#[derive(Debug)]
enum LinesError {
    /// `line`: 1-based, the first line longer than the cap.
    Long {
        line: usize,
    },
    Io(std::io::Error),
}

/// Appends what `reader` holds to `out`, a buffer at a time, stopping at the first line of more
/// than `max_line` bytes (its end of line not counted) before the rest of it is read.
fn read_lines(
    reader: &mut impl BufRead,
    out: &mut Vec<u8>,
    max_line: usize,
) -> Result<(), LinesError> {
    let (mut line, mut length) = (1, 0);
    loop {
        let buffer = match reader.fill_buf() {
            Ok([]) => return Ok(()),
            Ok(buffer) => buffer,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(LinesError::Io(e)),
        };
        let (taken, ends_line) = match buffer.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (buffer.len(), false),
        };
        let chunk = &buffer[..taken];
        length += chunk.strip_suffix(b"\n").unwrap_or(chunk).len();
        if length > max_line {
            return Err(LinesError::Long { line });
        }
        out.extend_from_slice(chunk);
        reader.consume(taken);
        if ends_line {
            line += 1;
            length = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &[u8], max: usize, buffer: usize) -> Result<Vec<u8>, usize> {
        let mut reader = BufReader::with_capacity(buffer, text);
        let mut out = Vec::new();
        match read_lines(&mut reader, &mut out, max) {
            Ok(()) => Ok(out),
            Err(LinesError::Long { line }) => Err(line),
            Err(LinesError::Io(e)) => panic!("{e}"),
        }
    }

    #[test]
    fn lines_up_to_the_cap_are_read_whole_in_any_buffer_size() {
        let text = b"abcd\nefgh\n\nij";
        for buffer in 1..8 {
            assert_eq!(lines(text, 4, buffer).unwrap(), text);
        }
    }

    #[test]
    fn the_first_line_over_the_cap_is_named_before_it_is_read_whole() {
        let text = b"abc\nabcde\nabcdefgh\n";
        for buffer in 1..8 {
            assert_eq!(lines(text, 4, buffer), Err(2));
        }
        // A last line without an end of line counts too.
        assert_eq!(lines(b"ab\nabcde", 4, 2), Err(2));
    }

    #[test]
    fn a_json_file_over_the_cap_is_refused_by_its_size_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.json");
        let file = std::fs::File::create(&path).unwrap();
        // A sparse file: its size says what it would hold, nothing is written.
        file.set_len(MAX_JSON_BYTES + 1).unwrap();
        let e = read_source_as(&path, Shape::Json).unwrap_err().to_string();
        assert!(
            e.contains("big.json") && e.contains("more than 64 MiB is refused"),
            "{e}"
        );
    }
}

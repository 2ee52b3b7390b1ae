//! Server-sent events: turns the bytes of a streaming response into `data:` payloads,
//! however the network splits them.
//!
//! Thousands of streams pass every token through here, so the decoder allocates nothing once
//! its buffers have grown: a line that arrives whole is read in place, only a line split
//! across reads is gathered, and each event borrows the decoder's one payload buffer.

/// A line longer than this is not an event stream.
const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SseEvent<'a> {
    /// The joined `data:` lines of one event.
    Data(&'a str),
    /// An `error:` line (llama.cpp reports stream errors this way).
    Error(&'a str),
}

/// Why bytes are not an event stream.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SseError {
    #[error("a line of the event stream is over {MAX_LINE_BYTES} bytes")]
    LineTooLong,
    #[error("the event stream is not valid UTF-8")]
    NotUtf8,
}

#[derive(Debug, Default)]
pub struct SseDecoder {
    /// The start of a line the last read cut off.
    partial: Vec<u8>,
    /// The `data:` lines of the event being read, joined.
    data: String,
    /// Whether the event being read has had a `data:` line (an empty one counts).
    has_data: bool,
}

impl SseDecoder {
    /// Feeds the next bytes; each complete event goes to `on_event` as it is found.
    pub fn feed<E: From<SseError>>(
        &mut self,
        bytes: &[u8],
        mut on_event: impl FnMut(SseEvent<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut rest = bytes;
        while let Some(nl) = rest.iter().position(|&b| b == b'\n') {
            let (line, after) = (&rest[..nl], &rest[nl + 1..]);
            rest = after;
            if self.partial.is_empty() {
                self.line_done(line, &mut on_event)?;
            } else {
                let mut whole = std::mem::take(&mut self.partial);
                whole.extend_from_slice(line);
                let done = self.line_done(&whole, &mut on_event);
                whole.clear();
                self.partial = whole;
                done?;
            }
        }
        self.partial.extend_from_slice(rest);
        if self.partial.len() > MAX_LINE_BYTES {
            return Err(SseError::LineTooLong.into());
        }
        Ok(())
    }

    /// The stream ended: an event not closed by a blank line still counts.
    pub fn finish<E: From<SseError>>(
        &mut self,
        mut on_event: impl FnMut(SseEvent<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        if !self.partial.is_empty() {
            let line = std::mem::take(&mut self.partial);
            self.line_done(&line, &mut on_event)?;
        }
        self.dispatch(&mut on_event)
    }

    /// Hands on the event read so far, if it had data.
    fn dispatch<E>(
        &mut self,
        on_event: &mut impl FnMut(SseEvent<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        if !std::mem::take(&mut self.has_data) {
            return Ok(());
        }
        let done = on_event(SseEvent::Data(&self.data));
        self.data.clear();
        done
    }

    fn line_done<E: From<SseError>>(
        &mut self,
        line: &[u8],
        on_event: &mut impl FnMut(SseEvent<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return self.dispatch(on_event);
        }
        let line = std::str::from_utf8(line).map_err(|_| SseError::NotUtf8)?;
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "error" => on_event(SseEvent::Error(value))?,
            // Comments (`: ping`), `event:`, `id:`, `retry:` carry nothing we measure.
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a client sees of an event, owned so it outlives the decoder's buffer.
    #[derive(Debug, PartialEq)]
    enum Seen {
        Data(String),
        Error(String),
    }

    fn collect(out: &mut Vec<Seen>) -> impl FnMut(SseEvent<'_>) -> Result<(), SseError> + '_ {
        |e| {
            out.push(match e {
                SseEvent::Data(d) => Seen::Data(d.to_string()),
                SseEvent::Error(e) => Seen::Error(e.to_string()),
            });
            Ok(())
        }
    }

    fn decode(chunks: &[&[u8]]) -> Vec<Seen> {
        let mut d = SseDecoder::default();
        let mut out = Vec::new();
        for c in chunks {
            d.feed(c, collect(&mut out)).unwrap();
        }
        d.finish(collect(&mut out)).unwrap();
        out
    }

    fn data(s: &str) -> Seen {
        Seen::Data(s.to_string())
    }

    #[test]
    fn splits_events_across_any_chunking() {
        let stream = b"data: {\"a\":1}\n\n: ping\n\ndata: {\"b\":2}\r\n\r\ndata: [DONE]\n\n";
        let whole = decode(&[stream]);
        assert_eq!(
            whole,
            [data("{\"a\":1}"), data("{\"b\":2}"), data("[DONE]")]
        );
        for cut in 1..stream.len() {
            assert_eq!(
                decode(&[&stream[..cut], &stream[cut..]]),
                whole,
                "cut at {cut}"
            );
        }
        let bytewise: Vec<&[u8]> = stream.chunks(1).collect();
        assert_eq!(decode(&bytewise), whole);
    }

    #[test]
    fn joins_multi_line_data_and_reports_errors() {
        assert_eq!(decode(&[b"data: a\ndata: b\n\n"]), [data("a\nb")]);
        assert_eq!(
            decode(&[b"error: {\"code\":500}\n\n"]),
            [Seen::Error("{\"code\":500}".into())]
        );
        // An unterminated last event still arrives.
        assert_eq!(decode(&[b"data: x"]), [data("x")]);
        // An empty data line is an event with no text; a blank line alone is none.
        assert_eq!(
            decode(&[b"data:\n\n\n\ndata: y\n\n"]),
            [data(""), data("y")]
        );
        // A line cut across three reads is whole again, and the next event starts clean.
        assert_eq!(
            decode(&[b"data: {\"a\"", b":1", b"}\n\ndata: z\n\n"]),
            [data("{\"a\":1}"), data("z")]
        );
    }

    #[test]
    fn rejects_binary() {
        let mut d = SseDecoder::default();
        let mut out = Vec::new();
        assert_eq!(
            d.feed(b"data: \xff\xfe\n\n", collect(&mut out)),
            Err(SseError::NotUtf8)
        );
    }
}

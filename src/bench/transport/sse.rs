//! Server-sent events: turns the bytes of a streaming response into `data:` payloads,
//! however the network splits them.

/// A line longer than this is not an event stream.
const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub enum SseEvent {
    /// The joined `data:` lines of one event.
    Data(String),
    /// An `error:` line (llama.cpp reports stream errors this way).
    Error(String),
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
    line: Vec<u8>,
    data: Option<String>,
}

impl SseDecoder {
    /// Feeds the next bytes; complete events are appended to `out`.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<SseEvent>) -> Result<(), SseError> {
        let mut rest = bytes;
        while let Some(nl) = rest.iter().position(|&b| b == b'\n') {
            self.line.extend_from_slice(&rest[..nl]);
            rest = &rest[nl + 1..];
            let line = std::mem::take(&mut self.line);
            self.line_done(&line, out)?;
        }
        self.line.extend_from_slice(rest);
        if self.line.len() > MAX_LINE_BYTES {
            return Err(SseError::LineTooLong);
        }
        Ok(())
    }

    /// The stream ended: an event not closed by a blank line still counts.
    pub fn finish(&mut self, out: &mut Vec<SseEvent>) -> Result<(), SseError> {
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            self.line_done(&line, out)?;
        }
        if let Some(data) = self.data.take() {
            out.push(SseEvent::Data(data));
        }
        Ok(())
    }

    fn line_done(&mut self, line: &[u8], out: &mut Vec<SseEvent>) -> Result<(), SseError> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            if let Some(data) = self.data.take() {
                out.push(SseEvent::Data(data));
            }
            return Ok(());
        }
        let line = std::str::from_utf8(line).map_err(|_| SseError::NotUtf8)?;
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "data" => match &mut self.data {
                Some(d) => {
                    d.push('\n');
                    d.push_str(value);
                }
                None => self.data = Some(value.to_string()),
            },
            "error" => out.push(SseEvent::Error(value.to_string())),
            // Comments (`: ping`), `event:`, `id:`, `retry:` carry nothing we measure.
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(chunks: &[&[u8]]) -> Vec<SseEvent> {
        let mut d = SseDecoder::default();
        let mut out = Vec::new();
        for c in chunks {
            d.feed(c, &mut out).unwrap();
        }
        d.finish(&mut out).unwrap();
        out
    }

    fn data(s: &str) -> SseEvent {
        SseEvent::Data(s.to_string())
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
            [SseEvent::Error("{\"code\":500}".into())]
        );
        // An unterminated last event still arrives.
        assert_eq!(decode(&[b"data: x"]), [data("x")]);
    }

    #[test]
    fn rejects_binary() {
        let mut d = SseDecoder::default();
        let mut out = Vec::new();
        assert!(d.feed(b"data: \xff\xfe\n\n", &mut out).is_err());
    }
}

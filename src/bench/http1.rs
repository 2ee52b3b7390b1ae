//! A streaming HTTP/1.1 POST whose response body arrives in pieces stamped with when the
//! kernel received them (see [`rx_time`](super::rx_time)), on a pool of kept-alive
//! connections as benchmark clients use. Only what a completion stream needs: one POST with a
//! JSON body, a response framed by chunks, a length or the end of the connection.

use std::io;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use super::rx_time;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// A response head longer than this is not HTTP.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// A chunk-size or trailer line longer than this is not HTTP.
const MAX_LINE_BYTES: usize = 4 * 1024;
const READ_BUFFER_BYTES: usize = 16 * 1024;

/// Sends streaming requests to one server. Cheap to clone: clones share the pool.
#[derive(Clone)]
pub struct StreamClient {
    shared: Arc<Shared>,
}

struct Shared {
    /// `host:port` to connect to.
    address: String,
    /// Connections whose last response was read to its end.
    idle: Mutex<Vec<TcpStream>>,
    max_idle: usize,
    stamps: Stamps,
}

/// Where the arrival time of body data comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stamps {
    /// The kernel's receive time (the read time where the kernel gives none).
    Kernel,
    /// When the client read the data, as most clients stamp it: the baseline the client
    /// benchmark compares with.
    ReadTime,
}

/// A response whose head has been read.
pub struct Response {
    pub status: u16,
    pub body: Body,
}

impl StreamClient {
    pub fn new(address: String, max_idle: usize, stamps: Stamps) -> StreamClient {
        StreamClient {
            shared: Arc::new(Shared {
                address,
                idle: Mutex::new(Vec::new()),
                max_idle: max_idle.max(1),
                stamps,
            }),
        }
    }

    /// POSTs `json` to `target` (a path) and reads the response head. Returns when the
    /// request was sent. A kept-alive connection the server had already closed is retried
    /// once on a new one, as every HTTP client does. Malformed responses are
    /// `ErrorKind::InvalidData`.
    pub async fn post_json(&self, target: &str, json: &[u8]) -> io::Result<(Instant, Response)> {
        let mut head = format!(
            "POST {target} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Accept: text/event-stream\r\nContent-Length: {}\r\n\r\n",
            self.shared.address,
            json.len()
        )
        .into_bytes();
        head.extend_from_slice(json);
        if let Some(conn) = self.checkout() {
            let sent = Instant::now();
            match self.exchange(conn, &head).await {
                Err(e) if is_stale(&e) => {}
                result => return result.map(|r| (sent, r)),
            }
        }
        let conn = self.connect().await?;
        let sent = Instant::now();
        self.exchange(conn, &head).await.map(|r| (sent, r))
    }

    async fn connect(&self) -> io::Result<TcpStream> {
        let address = &self.shared.address;
        let conn = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(address))
            .await
            .map_err(|_| {
                io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("connecting to {address}: no answer within 10 s"),
                )
            })?
            .map_err(|e| io::Error::new(e.kind(), format!("connecting to {address}: {e}")))?;
        conn.set_nodelay(true)?;
        if self.shared.stamps == Stamps::Kernel {
            rx_time::enable(&conn);
        }
        Ok(conn)
    }

    /// An idle connection the server has not visibly closed.
    fn checkout(&self) -> Option<TcpStream> {
        let mut idle = self.shared.idle.lock().unwrap_or_else(|e| e.into_inner());
        while let Some(conn) = idle.pop() {
            // Idle means nothing to read: end of stream or stray bytes rule it out.
            if matches!(conn.try_read(&mut [0u8; 1]), Err(e) if e.kind() == io::ErrorKind::WouldBlock)
            {
                return Some(conn);
            }
        }
        None
    }

    fn checkin(&self, conn: TcpStream) {
        let mut idle = self.shared.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < self.shared.max_idle {
            idle.push(conn);
        }
    }

    async fn exchange(&self, mut conn: TcpStream, request: &[u8]) -> io::Result<Response> {
        conn.write_all(request).await?;
        let mut buf = vec![0u8; READ_BUFFER_BYTES];
        let mut head = Vec::new();
        let mut at = Instant::now();
        loop {
            if let Some((status, framing, keep_alive, len)) = parse_head(&head)? {
                head.drain(..len);
                // An interim response (100 Continue) precedes the real one.
                if (100..200).contains(&status) && status != 101 {
                    continue;
                }
                return Ok(Response {
                    status,
                    body: Body {
                        conn,
                        buf,
                        pending: head,
                        pending_at: at,
                        framing,
                        keep_alive,
                        client: self.clone(),
                    },
                });
            }
            if head.len() > MAX_HEAD_BYTES {
                return Err(invalid(format!(
                    "the response head is over {MAX_HEAD_BYTES} bytes"
                )));
            }
            let (n, read_at) = rx_time::read(&conn, &mut buf).await?;
            if n == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    if head.is_empty() {
                        "the server closed the connection without answering"
                    } else {
                        "the server closed the connection in the middle of the response head"
                    },
                ));
            }
            head.extend_from_slice(&buf[..n]);
            at = read_at;
        }
    }
}

/// The server closed a kept-alive connection before it saw the request.
fn is_stale(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::UnexpectedEof
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
    )
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// Status, framing, whether the connection may be reused, and the head's length; `None`
/// until the head is complete.
fn parse_head(bytes: &[u8]) -> io::Result<Option<(u16, Framing, bool, usize)>> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    let len = match response.parse(bytes) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => {
            return Err(invalid(format!(
                "not an HTTP response ({e}): {}",
                super::server::excerpt(bytes)
            )));
        }
    };
    let status = response.code.unwrap_or(0);
    let mut keep_alive = response.version == Some(1);
    let mut framing = Framing::UntilClose;
    for h in response.headers.iter() {
        let value = String::from_utf8_lossy(h.value);
        if h.name.eq_ignore_ascii_case("transfer-encoding") {
            if value.to_ascii_lowercase().contains("chunked") {
                framing = Framing::Chunked(Chunked::default());
            }
        } else if h.name.eq_ignore_ascii_case("content-length") {
            if !matches!(framing, Framing::Chunked(_)) {
                let n = value
                    .trim()
                    .parse()
                    .map_err(|_| invalid(format!("Content-Length `{value}` is not a number")))?;
                framing = Framing::Length(n);
            }
        } else if h.name.eq_ignore_ascii_case("connection")
            && value.to_ascii_lowercase().contains("close")
        {
            keep_alive = false;
        }
    }
    if status == 204 || status == 304 {
        framing = Framing::Length(0);
    }
    if matches!(framing, Framing::UntilClose) {
        keep_alive = false;
    }
    Ok(Some((status, framing, keep_alive, len)))
}

/// The body of a response, read piece by piece.
pub struct Body {
    conn: TcpStream,
    buf: Vec<u8>,
    /// Body bytes that came with the head, and when.
    pending: Vec<u8>,
    pending_at: Instant,
    framing: Framing,
    keep_alive: bool,
    client: StreamClient,
}

impl Body {
    /// Appends the next piece of the body to `out` and returns when it arrived, or `None` at
    /// the end of the body.
    pub async fn next(&mut self, out: &mut Vec<u8>) -> io::Result<Option<Instant>> {
        loop {
            if self.framing.is_done() {
                return Ok(None);
            }
            let (bytes, at) = if self.pending.is_empty() {
                let (n, at) = rx_time::read(&self.conn, &mut self.buf).await?;
                (&self.buf[..n], at)
            } else {
                (&self.pending[..], self.pending_at)
            };
            if bytes.is_empty() {
                if matches!(self.framing, Framing::UntilClose) {
                    self.framing = Framing::Length(0);
                    return Ok(None);
                }
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the server closed the connection in the middle of the response",
                ));
            }
            let before = out.len();
            let used = self.framing.decode(bytes, out)?;
            if used < bytes.len() {
                // Bytes past the end of the body: the connection is out of step.
                self.keep_alive = false;
            }
            self.pending.clear();
            if out.len() > before {
                return Ok(Some(at));
            }
        }
    }

    /// The rest of the body, up to `cap` bytes (for error messages).
    pub async fn read_capped(mut self, cap: usize) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        while out.len() <= cap && self.next(&mut out).await?.is_some() {}
        out.truncate(cap);
        Ok(out)
    }

    /// Reads what is left of the body (for at most `limit`) so the connection can carry the
    /// next request, and hands it back to the pool.
    pub async fn release(mut self, limit: Duration) {
        let mut scratch = Vec::new();
        let drained = tokio::time::timeout(limit, async {
            while let Ok(Some(_)) = self.next(&mut scratch).await {
                scratch.clear();
            }
        })
        .await;
        if drained.is_ok() && self.framing.is_done() && self.keep_alive {
            self.client.checkin(self.conn);
        }
    }
}

/// How the end of the body is found.
#[derive(Debug)]
enum Framing {
    Chunked(Chunked),
    /// Bytes still to come.
    Length(u64),
    UntilClose,
}

impl Framing {
    fn is_done(&self) -> bool {
        match self {
            Framing::Chunked(c) => c.is_done(),
            Framing::Length(n) => *n == 0,
            Framing::UntilClose => false,
        }
    }

    /// Appends the body bytes in `bytes` to `out`; returns how many bytes were used.
    fn decode(&mut self, bytes: &[u8], out: &mut Vec<u8>) -> io::Result<usize> {
        match self {
            Framing::Chunked(c) => c.decode(bytes, out),
            Framing::Length(left) => {
                let take = bytes
                    .len()
                    .min(usize::try_from(*left).unwrap_or(usize::MAX));
                out.extend_from_slice(&bytes[..take]);
                *left -= take as u64;
                Ok(take)
            }
            Framing::UntilClose => {
                out.extend_from_slice(bytes);
                Ok(bytes.len())
            }
        }
    }
}

/// The chunked transfer coding, decoded however the network splits it.
#[derive(Debug, Default)]
struct Chunked {
    state: ChunkState,
    line: Vec<u8>,
}

#[derive(Debug, Default, PartialEq)]
enum ChunkState {
    #[default]
    Size,
    Data(u64),
    /// The CRLF after a chunk's data.
    DataEnd,
    Trailer,
    Done,
}

impl Chunked {
    fn is_done(&self) -> bool {
        self.state == ChunkState::Done
    }

    fn decode(&mut self, bytes: &[u8], out: &mut Vec<u8>) -> io::Result<usize> {
        let mut i = 0;
        while i < bytes.len() && self.state != ChunkState::Done {
            if let ChunkState::Data(left) = &mut self.state {
                let take = (bytes.len() - i).min(usize::try_from(*left).unwrap_or(usize::MAX));
                out.extend_from_slice(&bytes[i..i + take]);
                *left -= take as u64;
                i += take;
                if *left == 0 {
                    self.state = ChunkState::DataEnd;
                }
                continue;
            }
            // The other states read a line.
            let Some(nl) = bytes[i..].iter().position(|&b| b == b'\n') else {
                self.line.extend_from_slice(&bytes[i..]);
                i = bytes.len();
                if self.line.len() > MAX_LINE_BYTES {
                    return Err(invalid("a chunk header line is too long".into()));
                }
                break;
            };
            self.line.extend_from_slice(&bytes[i..i + nl]);
            i += nl + 1;
            let line = std::mem::take(&mut self.line);
            let line = line.strip_suffix(b"\r").unwrap_or(&line);
            self.state = match self.state {
                ChunkState::Size => match chunk_size(line)? {
                    0 => ChunkState::Trailer,
                    n => ChunkState::Data(n),
                },
                ChunkState::DataEnd if line.is_empty() => ChunkState::Size,
                ChunkState::DataEnd => {
                    return Err(invalid("a chunk is longer than its size says".into()));
                }
                ChunkState::Trailer if line.is_empty() => ChunkState::Done,
                ChunkState::Trailer => ChunkState::Trailer,
                ChunkState::Data(_) | ChunkState::Done => unreachable!("handled above"),
            };
        }
        Ok(i)
    }
}

/// `1a;name=value` → 26.
fn chunk_size(line: &[u8]) -> io::Result<u64> {
    let text = String::from_utf8_lossy(line);
    let hex = text.split(';').next().unwrap_or("").trim();
    u64::from_str_radix(hex, 16).map_err(|_| invalid(format!("`{text}` is not a chunk size")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dechunk(pieces: &[&[u8]]) -> io::Result<(Vec<u8>, bool)> {
        let mut c = Chunked::default();
        let mut out = Vec::new();
        for p in pieces {
            c.decode(p, &mut out)?;
        }
        Ok((out, c.is_done()))
    }

    #[test]
    fn decodes_chunks_split_anywhere() {
        let wire: &[u8] = b"5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n";
        assert_eq!(dechunk(&[wire]).unwrap(), (b"hello, world".to_vec(), true));
        for cut in 1..wire.len() {
            assert_eq!(
                dechunk(&[&wire[..cut], &wire[cut..]]).unwrap(),
                (b"hello, world".to_vec(), true),
                "cut at {cut}"
            );
        }
        let bytewise: Vec<&[u8]> = wire.chunks(1).collect();
        assert_eq!(
            dechunk(&bytewise).unwrap(),
            (b"hello, world".to_vec(), true)
        );
        // Not done until the last chunk.
        assert_eq!(dechunk(&[b"5\r\nhel"]).unwrap(), (b"hel".to_vec(), false));
    }

    #[test]
    fn stops_at_the_end_of_the_body() {
        let mut c = Chunked::default();
        let mut out = Vec::new();
        let wire = b"1\r\na\r\n0\r\n\r\nHTTP/1.1 200";
        assert_eq!(c.decode(wire, &mut out).unwrap(), wire.len() - 12);
        assert!(c.is_done());
    }

    #[test]
    fn rejects_bad_chunking() {
        let e = dechunk(&[b"zz\r\n"]).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert!(e.to_string().contains("`zz` is not a chunk size"), "{e}");
        assert!(dechunk(&[b"1\r\nab\r\n"]).is_err());
        assert!(dechunk(&[&[b'1'; 5000]]).is_err());
    }

    #[test]
    fn reads_the_framing_from_the_head() {
        let wire: &[u8] =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/event-stream\r\n\r\nrest";
        let (status, framing, keep, len) = parse_head(wire).unwrap().unwrap();
        assert_eq!((status, keep, &wire[len..]), (200, true, &b"rest"[..]));
        assert!(matches!(framing, Framing::Chunked(_)));

        let (_, framing, keep, _) =
            parse_head(b"HTTP/1.1 400 Bad\r\nContent-Length: 12\r\nConnection: close\r\n\r\n")
                .unwrap()
                .unwrap();
        assert!(matches!(framing, Framing::Length(12)) && !keep);

        let (_, framing, keep, _) = parse_head(b"HTTP/1.1 200 OK\r\n\r\n").unwrap().unwrap();
        assert!(matches!(framing, Framing::UntilClose) && !keep);

        assert!(
            parse_head(b"HTTP/1.1 200 OK\r\nContent-")
                .unwrap()
                .is_none()
        );
        let e = parse_head(b"SSH-2.0-OpenSSH\r\n\r\n").err().unwrap();
        assert!(e.to_string().contains("not an HTTP response"), "{e}");
        assert!(parse_head(b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n").is_err());
    }

    const CHUNKED_REPLY: &[u8] = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
                                   6\r\ndata: \r\n3\r\nhi\n\r\n0\r\n\r\n";

    /// A server that answers each request on a connection with `reply`, then closes the
    /// connection after `per_connection` requests. Returns its port and the count of
    /// connections it accepted.
    async fn scripted_server(
        reply: &'static [u8],
        per_connection: usize,
    ) -> (u16, Arc<Mutex<usize>>) {
        use tokio::io::AsyncReadExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(Mutex::new(0));
        let count = accepted.clone();
        tokio::spawn(async move {
            while let Ok((mut conn, _)) = listener.accept().await {
                *count.lock().unwrap() += 1;
                tokio::spawn(async move {
                    for _ in 0..per_connection {
                        // Each test request fits one read: head and a short body.
                        let mut buf = vec![0u8; 4096];
                        match conn.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(_) => {}
                        }
                        if conn.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        (port, accepted)
    }

    async fn body_of(client: &StreamClient) -> Vec<u8> {
        let (_, response) = client.post_json("/v1/completions", b"{}").await.unwrap();
        assert_eq!(response.status, 200);
        let mut body = response.body;
        let mut out = Vec::new();
        while body.next(&mut out).await.unwrap().is_some() {}
        body.release(Duration::from_secs(1)).await;
        out
    }

    #[tokio::test]
    async fn reuses_kept_alive_connections() {
        let (port, accepted) = scripted_server(CHUNKED_REPLY, usize::MAX).await;
        let client = StreamClient::new(format!("127.0.0.1:{port}"), 4, Stamps::Kernel);
        for _ in 0..3 {
            assert_eq!(body_of(&client).await, b"data: hi\n");
        }
        assert_eq!(*accepted.lock().unwrap(), 1);
    }

    #[tokio::test]
    async fn retries_a_connection_the_server_closed() {
        // One request per connection: every pooled connection is stale when it is next used.
        let (port, accepted) = scripted_server(CHUNKED_REPLY, 1).await;
        let client = StreamClient::new(format!("127.0.0.1:{port}"), 4, Stamps::Kernel);
        for _ in 0..3 {
            assert_eq!(body_of(&client).await, b"data: hi\n");
        }
        assert_eq!(*accepted.lock().unwrap(), 3);
    }

    #[tokio::test]
    async fn skips_an_interim_response() {
        let reply =
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\ndata: hi\n";
        let (port, _) = scripted_server(reply, usize::MAX).await;
        let client = StreamClient::new(format!("127.0.0.1:{port}"), 1, Stamps::ReadTime);
        assert_eq!(body_of(&client).await, b"data: hi\n");
    }

    #[tokio::test]
    async fn a_closed_port_is_a_connection_error() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let client = StreamClient::new(format!("127.0.0.1:{port}"), 1, Stamps::Kernel);
        let e = client.post_json("/", b"{}").await.err().unwrap();
        assert_eq!(e.kind(), io::ErrorKind::ConnectionRefused);
        assert!(
            e.to_string()
                .contains(&format!("connecting to 127.0.0.1:{port}")),
            "{e}"
        );
    }
}

//! HTTP/1.1 requests to the server under test, on a pool of kept-alive connections: hyper does
//! the HTTP, [`StampedTcp`] the reads, so every piece of a response body comes with when its
//! bytes reached this machine.
//!
//! A connection is driven by the task that uses it (never by a task of its own): hyper reads
//! the socket only while the body's reader asks for the next piece, and holds at most one
//! decoded piece, so the arrival of the latest read is the arrival of the piece just taken.

use std::future::{Future, poll_fn};
use std::io;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use http_body_util::Full;
use hyper::body::{Body, Bytes, Incoming};
use hyper::client::conn::http1::{Connection, SendRequest};
use hyper::header::{ACCEPT, CONTENT_TYPE, HOST};
use hyper::{Method, Request};
use tokio::net::TcpStream;

use super::stamped_tcp::{Arrival, StampedTcp, Stamps};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a request failed, as far as HTTP goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The connection could not be made, or broke.
    Connection(String),
    /// The server's answer is not well-formed HTTP.
    Malformed(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Error::Connection(m) | Error::Malformed(m) => f.write_str(m),
        }
    }
}

/// Sends requests to one server. Cheap to clone: clones share the pool.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
}

struct Shared {
    /// `host:port` to connect to, and the `Host` header.
    address: String,
    /// Connections whose last response was read to its end.
    idle: Mutex<Vec<Conn>>,
    max_idle: usize,
    stamps: Stamps,
}

/// A response whose head has arrived; its body is read piece by piece.
pub struct Response {
    pub status: u16,
    body: Incoming,
    /// The body has been read to its end.
    finished: bool,
    conn: Conn,
    client: Client,
}

impl Client {
    /// A client for the server at `address` (`host:port`), keeping up to `max_idle`
    /// connections open between requests.
    pub fn new(address: String, max_idle: usize, stamps: Stamps) -> Client {
        Client {
            shared: Arc::new(Shared {
                address,
                idle: Mutex::new(Vec::new()),
                max_idle: max_idle.max(1),
                stamps,
            }),
        }
    }

    /// Sends a request for `target` (a path), with `json` as its body if given, and waits for
    /// the head of the answer. Returns when the request was sent. A kept-alive connection the
    /// server had already closed is retried once on a new one, as every HTTP client does.
    pub async fn send(
        &self,
        method: Method,
        target: &str,
        json: Option<Bytes>,
    ) -> Result<(Instant, Response), Error> {
        let request = || self.request(method.clone(), target, json.clone());
        if let Some(mut conn) = self.checkout().await {
            let sent = Instant::now();
            match conn.send(request()?).await {
                Ok(head) => return Ok((sent, self.response(head, conn))),
                Err(failed) if !failed.stale => return Err(failed.error),
                Err(_) => {}
            }
        }
        let mut conn = self.connect().await?;
        let sent = Instant::now();
        let head = conn.send(request()?).await.map_err(|f| f.error)?;
        Ok((sent, self.response(head, conn)))
    }

    fn request(
        &self,
        method: Method,
        target: &str,
        json: Option<Bytes>,
    ) -> Result<Request<Full<Bytes>>, Error> {
        let mut request = Request::builder()
            .method(method)
            .uri(target)
            .header(HOST, &self.shared.address)
            .header(ACCEPT, "application/json, text/event-stream");
        if json.is_some() {
            request = request.header(CONTENT_TYPE, "application/json");
        }
        request
            .body(Full::new(json.unwrap_or_default()))
            .map_err(|e| Error::Connection(format!("cannot send a request for `{target}`: {e}")))
    }

    fn response(&self, head: hyper::Response<Incoming>, conn: Conn) -> Response {
        Response {
            status: head.status().as_u16(),
            body: head.into_body(),
            finished: false,
            conn,
            client: self.clone(),
        }
    }

    async fn connect(&self) -> Result<Conn, Error> {
        let address = &self.shared.address;
        let tcp = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(address))
            .await
            .map_err(|_| {
                Error::Connection(format!(
                    "connecting to {address}: no answer within {} s",
                    CONNECT_TIMEOUT.as_secs()
                ))
            })?
            .map_err(|e| Error::Connection(format!("connecting to {address}: {e}")))?;
        tcp.set_nodelay(true)
            .map_err(|e| Error::Connection(format!("connecting to {address}: {e}")))?;
        let (io, arrival) = StampedTcp::new(tcp, self.shared.stamps);
        let (sender, connection) = hyper::client::conn::http1::handshake(io)
            .await
            .map_err(|e| classify(&e))?;
        Ok(Conn {
            sender,
            connection,
            arrival,
            ended: false,
        })
    }

    /// An idle connection that can carry a request now.
    async fn checkout(&self) -> Option<Conn> {
        loop {
            let mut conn = self.idle().pop()?;
            if conn.is_ready().await {
                return Some(conn);
            }
        }
    }

    fn checkin(&self, conn: Conn) {
        let mut idle = self.idle();
        if idle.len() < self.shared.max_idle {
            idle.push(conn);
        }
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<Conn>> {
        self.shared.idle.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Response {
    /// The next piece of the body and when its bytes arrived, or `None` at the end.
    pub async fn next(&mut self) -> Result<Option<(Bytes, Instant)>, Error> {
        if self.finished {
            return Ok(None);
        }
        let piece = poll_fn(|cx| self.conn.poll_piece(&mut self.body, cx)).await?;
        self.finished = piece.is_none();
        Ok(piece)
    }

    /// The rest of the body, up to `cap` bytes. A body read to its end leaves its connection
    /// for the next request.
    pub async fn read_capped(mut self, cap: usize) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        while out.len() <= cap
            && let Some((piece, _)) = self.next().await?
        {
            out.extend_from_slice(&piece);
        }
        out.truncate(cap);
        self.keep_connection();
        Ok(out)
    }

    /// Reads what is left of the body (for at most `limit`) so the connection can carry the
    /// next request, and hands it back to the pool.
    pub async fn release(mut self, limit: Duration) {
        let _ = tokio::time::timeout(limit, async {
            while let Ok(Some(_)) = self.next().await {}
        })
        .await;
        self.keep_connection();
    }

    /// Hands the connection back to the pool if the body was read to its end.
    fn keep_connection(self) {
        if self.finished {
            self.client.checkin(self.conn);
        }
    }
}

/// One connection: hyper's sending half and the connection it drives.
struct Conn {
    sender: SendRequest<Full<Bytes>>,
    connection: Connection<StampedTcp, Full<Bytes>>,
    /// When the latest read's bytes arrived.
    arrival: Arc<Arrival>,
    /// The connection has closed.
    ended: bool,
}

/// A request that got no answer; `stale` when the connection was one the server had closed
/// before it could have seen the request, so sending it again is safe.
struct Unanswered {
    error: Error,
    stale: bool,
}

impl Conn {
    /// Reads, writes and decodes what the socket allows; true once the connection has closed.
    fn poll_connection(&mut self, cx: &mut Context<'_>) -> bool {
        if !self.ended && Pin::new(&mut self.connection).poll(cx).is_ready() {
            self.ended = true;
        }
        self.ended
    }

    /// Whether the connection can carry a request now (the server has not closed it).
    async fn is_ready(&mut self) -> bool {
        poll_fn(|cx| {
            if self.poll_connection(cx) {
                return Poll::Ready(false);
            }
            Poll::Ready(matches!(self.sender.poll_ready(cx), Poll::Ready(Ok(()))))
        })
        .await
    }

    /// Sends `request` and drives the connection until the head of the answer is in.
    async fn send(
        &mut self,
        request: Request<Full<Bytes>>,
    ) -> Result<hyper::Response<Incoming>, Unanswered> {
        let mut head = pin!(self.sender.send_request(request));
        poll_fn(|cx| {
            if let Poll::Ready(r) = head.as_mut().poll(cx) {
                return Poll::Ready(r.map_err(|e| Unanswered {
                    error: classify(&e),
                    stale: is_stale(&e),
                }));
            }
            if !self.poll_connection(cx) {
                return Poll::Pending;
            }
            // The connection closed: hyper has answered the request, or never will.
            Poll::Ready(match head.as_mut().poll(cx) {
                Poll::Ready(r) => r.map_err(|e| Unanswered {
                    error: classify(&e),
                    stale: is_stale(&e),
                }),
                Poll::Pending => Err(Unanswered {
                    error: Error::Connection(
                        "the server closed the connection without answering".into(),
                    ),
                    stale: true,
                }),
            })
        })
        .await
    }

    /// The next data frame of `body` with the arrival of the read that delivered it.
    fn poll_piece(
        &mut self,
        body: &mut Incoming,
        cx: &mut Context<'_>,
    ) -> Poll<Result<Option<(Bytes, Instant)>, Error>> {
        let mut drove = false;
        loop {
            // Only this loop drives the connection, so the body needs no waker of its own: one
            // would only wake this task again for the frame it takes now.
            match Pin::new(&mut *body).poll_frame(&mut Context::from_waker(Waker::noop())) {
                Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                    Ok(data) => return Poll::Ready(Ok(Some((data, self.arrival.latest())))),
                    // Trailers carry nothing measured.
                    Err(_) => continue,
                },
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Err(classify(&e))),
                Poll::Ready(None) => return Poll::Ready(Ok(None)),
                Poll::Pending if self.ended => {
                    return Poll::Ready(Err(Error::Connection(
                        "the server closed the connection in the middle of the response".into(),
                    )));
                }
                Poll::Pending if drove => return Poll::Pending,
                Poll::Pending => {}
            }
            // Nothing decoded yet: let the connection read once. What it decodes is taken on
            // the next turn, before the connection may read again.
            self.poll_connection(cx);
            drove = true;
        }
    }
}

/// A hyper error as a transport error: malformed HTTP is the server's fault, anything else the
/// connection's.
fn classify(e: &hyper::Error) -> Error {
    let message = error_chain(e);
    let bad_data = matches!(
        io_kind(e),
        Some(io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput)
    );
    if e.is_parse() || bad_data {
        Error::Malformed(message)
    } else {
        Error::Connection(message)
    }
}

/// The server closed a kept-alive connection before it saw the request.
fn is_stale(e: &hyper::Error) -> bool {
    e.is_incomplete_message()
        || e.is_canceled()
        || e.is_closed()
        || matches!(
            io_kind(e),
            Some(
                io::ErrorKind::UnexpectedEof
                    | io::ErrorKind::ConnectionReset
                    | io::ErrorKind::ConnectionAborted
                    | io::ErrorKind::BrokenPipe
            )
        )
}

/// The kind of the I/O error behind `e`, if one is.
fn io_kind(e: &(dyn std::error::Error + 'static)) -> Option<io::ErrorKind> {
    let mut source = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<io::Error>() {
            return Some(io.kind());
        }
        source = s.source();
    }
    None
}

/// An error with its causes: hyper's own message alone rarely says what happened.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::transport::stamped_tcp::tests::Pair;
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::sync::mpsc;

    const CHUNKED_REPLY: &[u8] = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
                                   6\r\ndata: \r\n3;ext=1\r\nhi\n\r\n0\r\nX-Trailer: 1\r\n\r\n";

    /// A server that answers each request on a connection with `reply`, then closes the
    /// connection after `per_connection` requests. Returns its port and a count of the
    /// connections it accepted.
    fn scripted_server(reply: &'static [u8], per_connection: usize) -> (u16, Arc<Mutex<usize>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(Mutex::new(0));
        let count = accepted.clone();
        std::thread::spawn(move || {
            for mut conn in listener.incoming().flatten() {
                *count.lock().unwrap() += 1;
                std::thread::spawn(move || {
                    for _ in 0..per_connection {
                        // Each test request fits one read: head and a short body.
                        let mut buf = vec![0u8; 4096];
                        match conn.read(&mut buf) {
                            Ok(0) | Err(_) => return,
                            Ok(_) => {}
                        }
                        if conn.write_all(reply).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        (port, accepted)
    }

    fn client(port: u16) -> Client {
        Client::new(format!("127.0.0.1:{port}"), 4, Stamps::Kernel)
    }

    async fn post(client: &Client) -> Result<Response, Error> {
        let body = Some(Bytes::from_static(b"{}"));
        Ok(client.send(Method::POST, "/v1/completions", body).await?.1)
    }

    /// The whole body, read piece by piece, after which the connection goes back to the pool.
    async fn body_of(client: &Client) -> Result<Vec<u8>, Error> {
        let response = post(client).await?;
        assert_eq!(response.status, 200);
        response.read_capped(1 << 20).await
    }

    /// Sends `requests` requests to a server that answers each with `reply` (a body of
    /// `data: hi\n`) and closes its connections after `per_connection` requests; returns how
    /// many connections it accepted.
    async fn connections_for(
        reply: &'static [u8],
        per_connection: usize,
        requests: usize,
    ) -> usize {
        let (port, accepted) = scripted_server(reply, per_connection);
        let client = client(port);
        for _ in 0..requests {
            assert_eq!(body_of(&client).await.unwrap(), b"data: hi\n");
        }
        *accepted.lock().unwrap()
    }

    #[tokio::test]
    async fn reads_chunked_bodies_and_reuses_the_connection() {
        assert_eq!(connections_for(CHUNKED_REPLY, usize::MAX, 3).await, 1);
    }

    #[tokio::test]
    async fn ends_a_body_at_its_length_or_at_the_close() {
        let with_length = b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\ndata: hi\n";
        assert_eq!(connections_for(with_length, usize::MAX, 2).await, 1);
        // Without a length, the body ends with the connection, which is not reused.
        let until_close = b"HTTP/1.1 200 OK\r\n\r\ndata: hi\n";
        assert_eq!(connections_for(until_close, 1, 2).await, 2);
    }

    #[tokio::test]
    async fn retries_a_connection_the_server_closed() {
        // One request per connection: every pooled connection is stale when it is next used.
        assert_eq!(connections_for(CHUNKED_REPLY, 1, 3).await, 3);
    }

    #[tokio::test]
    async fn a_released_stream_leaves_its_connection_for_the_next_request() {
        let (port, accepted) = scripted_server(CHUNKED_REPLY, usize::MAX);
        let client = client(port);
        for _ in 0..3 {
            let mut response = post(&client).await.unwrap();
            assert!(response.next().await.unwrap().is_some());
            response.release(Duration::from_secs(10)).await;
        }
        assert_eq!(*accepted.lock().unwrap(), 1);
    }

    #[tokio::test]
    async fn skips_an_interim_response() {
        let reply =
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\ndata: hi\n";
        assert_eq!(connections_for(reply, usize::MAX, 1).await, 1);
    }

    #[tokio::test]
    async fn bad_framing_is_malformed() {
        for reply in [
            // Not a chunk size.
            &b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"[..],
            // A chunk longer than its size says.
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n0\r\n\r\n",
            // Not HTTP at all.
            b"SSH-2.0-OpenSSH_9.6\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
        ] {
            let (port, _) = scripted_server(reply, 1);
            let e = body_of(&client(port)).await.unwrap_err();
            assert!(matches!(e, Error::Malformed(_)), "{e:?}");
        }
    }

    #[tokio::test]
    async fn a_closed_port_is_a_connection_error() {
        let port = {
            let l = TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let Err(Error::Connection(e)) = post(&client(port)).await else {
            panic!("not a connection error");
        };
        assert!(
            e.contains(&format!("connecting to 127.0.0.1:{port}")),
            "{e}"
        );
        assert!(e.contains("refused"), "{e}");
    }

    /// A piece that waited in the socket is stamped with when it arrived, not when it was read.
    #[tokio::test]
    async fn stamps_pieces_with_their_arrival() {
        let mut stamping = Pair::new().await;
        stamping.wait_for_kernel_stamps().await;
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (written_tx, written) = mpsc::channel();
        let (read_tx, read) = mpsc::channel();
        std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            let mut buf = vec![0u8; 4096];
            assert!(conn.read(&mut buf).unwrap() > 0);
            conn.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                .unwrap();
            std::thread::sleep(Duration::from_millis(20));
            conn.write_all(b"5\r\ntoken\r\n").unwrap();
            written_tx.send(Instant::now()).unwrap();
            // The end of the body comes after the piece was read, not with it.
            read.recv().unwrap();
            conn.write_all(b"0\r\n\r\n").unwrap();
        });
        let mut response = post(&client(port)).await.unwrap();
        let written = written.recv().unwrap();
        // The client is busy elsewhere while the piece waits in the socket.
        std::thread::sleep(Duration::from_millis(50));
        let (piece, at) = response.next().await.unwrap().unwrap();
        read_tx.send(()).unwrap();
        assert_eq!(&piece[..], b"token");
        if cfg!(target_os = "linux") {
            let lag = at.saturating_duration_since(written);
            assert!(
                lag < Duration::from_millis(5),
                "stamped {lag:?} after the write, though it was read 50 ms later"
            );
        }
        assert!(response.next().await.unwrap().is_none());
    }
}

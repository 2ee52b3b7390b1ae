//! A TCP connection that knows when the bytes it read reached this machine, not when the client
//! got round to reading them.
//!
//! With hundreds of streams ready at once, a client reads its sockets one after another, so a
//! timestamp taken after `read` returns carries the client's own queueing into every
//! inter-token gap. The kernel stamps each segment as it arrives (`SO_TIMESTAMPNS`); reading
//! with `recvmsg` hands that stamp back with the bytes, and it is mapped onto the monotonic
//! clock the rest of the benchmark uses. Where the kernel gives no stamp, the read time is used.
//!
//! [`StampedTcp`] is the IO under hyper's HTTP/1 connection: each read notes its stamp in an
//! [`Arrival`] the client holds, so a body frame is attributed the read that delivered it.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use hyper::rt::{Read, ReadBufCursor, Write};
use tokio::io::{AsyncWrite, Interest};
use tokio::net::TcpStream;

/// Where the arrival time of received data comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stamps {
    /// The kernel's receive time (the read time where the kernel gives none).
    Kernel,
    /// When the client read the data, as most clients stamp it: the baseline the client
    /// benchmark compares with.
    ReadTime,
}

/// When the bytes of the latest read arrived. Written by the connection's reads, read by
/// whoever takes what they delivered.
#[derive(Debug)]
pub struct Arrival {
    base: Instant,
    /// Nanoseconds after `base`.
    nanos: AtomicU64,
}

impl Arrival {
    fn new() -> Arrival {
        Arrival {
            base: Instant::now(),
            nanos: AtomicU64::new(0),
        }
    }

    fn set(&self, at: Instant) {
        let nanos = at.saturating_duration_since(self.base).as_nanos();
        self.nanos
            .store(u64::try_from(nanos).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// The arrival of the latest read.
    pub fn latest(&self) -> Instant {
        self.base + Duration::from_nanos(self.nanos.load(Ordering::Relaxed))
    }
}

/// A connected TCP stream whose reads note when their bytes arrived.
pub struct StampedTcp {
    tcp: TcpStream,
    arrival: Arc<Arrival>,
}

impl StampedTcp {
    /// Wraps a connected stream; with [`Stamps::Kernel`] the kernel is asked to stamp what
    /// arrives. Returns the stream and where its reads note their arrival.
    pub fn new(tcp: TcpStream, stamps: Stamps) -> (StampedTcp, Arc<Arrival>) {
        if stamps == Stamps::Kernel {
            imp::enable(&tcp);
        }
        let arrival = Arc::new(Arrival::new());
        (
            StampedTcp {
                tcp,
                arrival: arrival.clone(),
            },
            arrival,
        )
    }
}

impl Read for StampedTcp {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        mut buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            ready!(this.tcp.poll_read_ready(cx))?;
            // SAFETY: `recv` only writes into the buffer, never de-initializes it.
            let unfilled = unsafe { buf.as_mut() };
            let room = unfilled.len();
            let mut drained = None;
            let read = this.tcp.try_io(Interest::READABLE, || {
                let (n, at) = imp::recv(&this.tcp, unfilled)?;
                if n == 0 || n == room {
                    return Ok((n, at));
                }
                // A read that left room emptied the socket. Saying "would block" has tokio
                // wait for the kernel's next wakeup instead of asking the socket again: one
                // `recvmsg` per token, not two. Bytes that arrive meanwhile wake the reader
                // anyway, as tokio clears only the readiness this read saw.
                drained = Some((n, at));
                Err(io::ErrorKind::WouldBlock.into())
            });
            let (n, at) = match (read, drained) {
                (_, Some(got)) | (Ok(got), None) => got,
                (Err(e), None) if e.kind() == io::ErrorKind::WouldBlock => continue,
                (Err(e), None) => return Poll::Ready(Err(e)),
            };
            // SAFETY: `recv` initialized the first `n` bytes of `unfilled`.
            unsafe { buf.advance(n) };
            this.arrival.set(at);
            return Poll::Ready(Ok(()));
        }
    }
}

impl Write for StampedTcp {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().tcp).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().tcp).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().tcp).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().tcp).poll_shutdown(cx)
    }
}

#[cfg(target_os = "linux")]
mod imp {
    use std::io;
    use std::mem::MaybeUninit;
    use std::os::fd::AsRawFd;
    use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

    use tokio::net::TcpStream;

    /// A stamp older than this is not trusted (the wall clock was stepped between the
    /// stamp and now); the read time is used instead.
    const MAX_AGE: Duration = Duration::from_secs(10);

    /// Asks the kernel to stamp what arrives on `stream`. Returns whether it will.
    pub fn enable(stream: &TcpStream) -> bool {
        let on: libc::c_int = 1;
        // SAFETY: setsockopt reads `size_of::<c_int>()` bytes from `on`, which lives on the
        // stack for the call; the fd belongs to `stream`.
        let rc = unsafe {
            libc::setsockopt(
                stream.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_TIMESTAMPNS,
                (&on as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
        rc == 0
    }

    /// Reads what is there without waiting, and when it arrived: the stamp of the last segment
    /// read. `Ok((0, _))` is the end of the stream.
    pub fn recv(stream: &TcpStream, buf: &mut [MaybeUninit<u8>]) -> io::Result<(usize, Instant)> {
        let mut iov = libc::iovec {
            iov_base: buf.as_mut_ptr().cast(),
            iov_len: buf.len(),
        };
        // Room for one SCM_TIMESTAMPNS message, u64-aligned as cmsghdr needs.
        let mut control = [0u64; 8];
        // SAFETY: msghdr is a plain C struct; all-zero is valid, and the pointers set below
        // point at `iov` and `control`, which outlive the recvmsg call.
        let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = std::mem::size_of_val(&control) as _;
        // SAFETY: `msg` describes buffers we own for the duration of the call.
        let n = unsafe { libc::recvmsg(stream.as_raw_fd(), &mut msg, libc::MSG_DONTWAIT) };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        let (now, wall) = (Instant::now(), SystemTime::now());
        let at = arrival(&msg)
            .and_then(|stamp| wall.duration_since(stamp).ok())
            .filter(|age| *age < MAX_AGE)
            .and_then(|age| now.checked_sub(age))
            .unwrap_or(now);
        Ok((n as usize, at))
    }

    /// The kernel's receive stamp among the control messages, if any.
    fn arrival(msg: &libc::msghdr) -> Option<SystemTime> {
        // SAFETY: the CMSG_* macros walk the control buffer recvmsg filled and described in
        // `msg`; each header they return lies inside it, and its data is read unaligned.
        unsafe {
            let mut cmsg = libc::CMSG_FIRSTHDR(msg);
            while !cmsg.is_null() {
                if (*cmsg).cmsg_level == libc::SOL_SOCKET
                    && (*cmsg).cmsg_type == libc::SCM_TIMESTAMPNS
                {
                    let ts: libc::timespec = std::ptr::read_unaligned(libc::CMSG_DATA(cmsg).cast());
                    return UNIX_EPOCH.checked_add(Duration::new(
                        u64::try_from(ts.tv_sec).ok()?,
                        u32::try_from(ts.tv_nsec).ok()?,
                    ));
                }
                cmsg = libc::CMSG_NXTHDR(msg, cmsg);
            }
        }
        None
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use std::io;
    use std::mem::MaybeUninit;
    use std::time::Instant;

    use tokio::net::TcpStream;

    pub fn enable(_: &TcpStream) -> bool {
        false
    }

    pub fn recv(stream: &TcpStream, buf: &mut [MaybeUninit<u8>]) -> io::Result<(usize, Instant)> {
        let mut plain = vec![0u8; buf.len()];
        let n = stream.try_read(&mut plain)?;
        for (to, from) in buf.iter_mut().zip(&plain[..n]) {
            to.write(*from);
        }
        Ok((n, Instant::now()))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    /// Reads once through hyper's IO trait, as hyper's connection does.
    async fn read_once(stream: &mut StampedTcp, buf: &mut [u8]) -> usize {
        std::future::poll_fn(|cx| {
            let mut read = hyper::rt::ReadBuf::new(buf);
            ready!(Pin::new(&mut *stream).poll_read(cx, read.unfilled()))?;
            Poll::Ready(io::Result::Ok(read.filled().len()))
        })
        .await
        .unwrap()
    }

    /// A stamped connection and the server's end of it.
    pub struct Pair {
        pub client: StampedTcp,
        pub arrival: Arc<Arrival>,
        pub server: TcpStream,
    }

    impl Pair {
        pub async fn new() -> Pair {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let client = TcpStream::connect(listener.local_addr().unwrap())
                .await
                .unwrap();
            let (server, _) = listener.accept().await.unwrap();
            let (client, arrival) = StampedTcp::new(client, Stamps::Kernel);
            Pair {
                client,
                arrival,
                server,
            }
        }

        /// How long after the server wrote them a few bytes are stamped, when the client
        /// reads them 50 ms late.
        pub async fn lag_of_a_late_read(&mut self) -> Duration {
            let written = Instant::now();
            self.server.write_all(b"token").await.unwrap();
            std::thread::sleep(Duration::from_millis(50));
            let mut buf = [0u8; 16];
            let n = read_once(&mut self.client, &mut buf).await;
            let read_done = Instant::now();
            assert_eq!(&buf[..n], b"token");
            let at = self.arrival.latest();
            assert!(at <= read_done);
            at.saturating_duration_since(written)
        }

        /// Waits until the kernel stamps what arrives, and says how late the last late read
        /// was stamped. The first socket to ask for stamps has the kernel turn them on in a
        /// worker, a moment later; until then bytes are stamped when read. While a pair is
        /// open, stamps stay on for every socket that asks.
        pub async fn wait_for_kernel_stamps(&mut self) -> Duration {
            let mut lag = Duration::MAX;
            for _ in 0..20 {
                lag = self.lag_of_a_late_read().await;
                if lag < Duration::from_millis(5) {
                    break;
                }
            }
            lag
        }
    }

    /// Bytes that sat in the socket before the read are stamped with when they arrived.
    #[tokio::test]
    async fn stamps_arrival_not_reading() {
        let mut pair = Pair::new().await;
        let lag = pair.wait_for_kernel_stamps().await;
        if cfg!(target_os = "linux") {
            assert!(
                lag < Duration::from_millis(5),
                "stamped {lag:?} after the write, though it was read 50 ms later"
            );
        }
        drop(pair.server);
        let mut buf = [0u8; 16];
        assert_eq!(
            read_once(&mut pair.client, &mut buf).await,
            0,
            "end of stream"
        );
    }
}

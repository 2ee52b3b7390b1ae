//! When bytes reached this machine, not when the client got round to reading them.
//!
//! With hundreds of streams ready at once, a client reads its sockets one after another, so a
//! timestamp taken after `read` returns carries the client's own queueing into every
//! inter-token gap. The kernel stamps each segment as it arrives (`SO_TIMESTAMPNS`); reading
//! with `recvmsg` hands that stamp back with the bytes, and it is mapped onto the monotonic
//! clock the rest of the benchmark uses. Where the kernel gives no stamp, the read time is used.

use std::io;
use std::time::Instant;

use tokio::io::Interest;
use tokio::net::TcpStream;

/// Asks the kernel to stamp what arrives on `stream`. Returns whether it will.
pub fn enable(stream: &TcpStream) -> bool {
    imp::enable(stream)
}

/// Reads what is there (waiting until something is) and when it arrived: the stamp of the last
/// segment read. `Ok((0, _))` is the end of the stream.
pub async fn read(stream: &TcpStream, buf: &mut [u8]) -> io::Result<(usize, Instant)> {
    loop {
        stream.readable().await?;
        match stream.try_io(Interest::READABLE, || imp::recv(stream, buf)) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
            result => return result,
        }
    }
}

#[cfg(target_os = "linux")]
mod imp {
    use std::io;
    use std::os::fd::AsRawFd;
    use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

    use tokio::net::TcpStream;

    /// A stamp older than this is not trusted (the wall clock was stepped between the
    /// stamp and now); the read time is used instead.
    const MAX_AGE: Duration = Duration::from_secs(10);

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

    pub fn recv(stream: &TcpStream, buf: &mut [u8]) -> io::Result<(usize, Instant)> {
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
        let (now, wall) = (Instant::now(), SystemTime::now());
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
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
    use std::time::Instant;

    use tokio::net::TcpStream;

    pub fn enable(_: &TcpStream) -> bool {
        false
    }

    pub fn recv(stream: &TcpStream, buf: &mut [u8]) -> io::Result<(usize, Instant)> {
        let n = stream.try_read(buf)?;
        Ok((n, Instant::now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use tokio::io::AsyncWriteExt;

    /// Bytes that sat in the socket before the read are stamped with when they arrived.
    #[tokio::test]
    async fn stamps_arrival_not_reading() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let client = TcpStream::connect(addr).await.unwrap();
        let (mut server, _) = listener.accept().await.unwrap();
        let stamped = enable(&client);

        let written = Instant::now();
        server.write_all(b"token").await.unwrap();
        std::thread::sleep(Duration::from_millis(50));
        let mut buf = [0u8; 16];
        let (n, at) = read(&client, &mut buf).await.unwrap();
        let read_done = Instant::now();
        assert_eq!(&buf[..n], b"token");
        assert!(at <= read_done);
        if cfg!(target_os = "linux") {
            assert!(stamped, "the kernel refused SO_TIMESTAMPNS");
            let lag = at.saturating_duration_since(written);
            assert!(
                lag < Duration::from_millis(5),
                "stamped {lag:?} after the write, though it was read 50 ms later"
            );
        }

        drop(server);
        let (n, _) = read(&client, &mut buf).await.unwrap();
        assert_eq!(n, 0, "end of stream");
    }
}

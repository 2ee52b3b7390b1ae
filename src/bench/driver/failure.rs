//! Why a request failed, as the driver counts and tells it.

use crate::bench::transport;

/// Why a request failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The connection failed or broke; the server may be gone.
    Transport(String),
    /// The server answered with an error status.
    Status(u16, String),
    /// The server answered something that is not what was asked for.
    Malformed(String),
    /// No complete answer within the deadline (seconds), from the server at this URL (none
    /// for a program).
    TimedOut(f64, Option<String>),
    /// The program could not run, or failed.
    Program(String),
}

impl Failure {
    pub fn is_transport(&self) -> bool {
        matches!(self, Failure::Transport(_))
    }
}

impl From<transport::Error> for Failure {
    fn from(e: transport::Error) -> Failure {
        match e {
            transport::Error::Connection(m) => Failure::Transport(m),
            transport::Error::Malformed(m) => Failure::Malformed(m),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Failure::Transport(m) => write!(f, "connection failed: {m}"),
            Failure::Status(code, body) => write!(f, "HTTP {code}: {body}"),
            Failure::Malformed(m) => write!(f, "malformed response: {m}"),
            Failure::TimedOut(s, at) => {
                let s = crate::terminal::number(*s);
                match at {
                    Some(url) => write!(f, "no complete answer from {url} within --timeout {s} s"),
                    None => write!(f, "not done within --timeout {s} s"),
                }
            }
            Failure::Program(m) => f.write_str(m),
        }
    }
}

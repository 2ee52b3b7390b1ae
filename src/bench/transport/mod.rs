//! Talking to the server under test: HTTP on kept-alive connections (hyper), each piece of a
//! streamed answer stamped with when its bytes reached this machine, and server-sent events.

mod client;
mod server;
mod sse;
mod stamped_tcp;

pub use client::{Client, Error, Response, error_chain};
pub use server::{NoAnswer, Server, Unreachable, excerpt};
pub use sse::{SseDecoder, SseError, SseEvent};
pub use stamped_tcp::Stamps;

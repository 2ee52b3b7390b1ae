//! The benchmarks: each says how to send one request (or run a program once) and what the
//! answers measure; the [`driver`](super::driver) does the rest.

pub mod exec;
pub mod llama_server;
pub mod openai;
mod prompt;

//! A tiny HTTP server that answers what a test scripts, including what no real server sends.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

/// What the fake sends back.
pub enum Reply {
    Json(String),
    Status(u16),
    /// A `text/event-stream` of these `data:` payloads, then `end`.
    Stream(Vec<String>, End),
    /// Nothing at all: the connection stays open and the request unanswered.
    Silent,
}

pub enum End {
    Close,
    /// Keeps the connection open without sending anything more.
    Stall,
}

/// Serves on a free port until the test process ends. `answer(path, body, n)` gets the
/// request's path and body and how many requests to that path came before.
pub fn serve(answer: impl Fn(&str, &str, usize) -> Reply + Send + Sync + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let answer = Arc::new(answer);
    let counts: Arc<Counts> = Arc::default();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (answer, counts) = (answer.clone(), counts.clone());
            std::thread::spawn(move || {
                let _ = handle(stream, &*answer, &counts);
            });
        }
    });
    port
}

/// A server that accepts every connection and never says a word, on a free port.
pub fn silent() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    port
}

type Counts = std::sync::Mutex<std::collections::HashMap<String, usize>>;

fn handle(
    stream: TcpStream,
    answer: &dyn Fn(&str, &str, usize) -> Reply,
    counts: &Counts,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header)?;
        let header = header.trim();
        if header.is_empty() {
            break;
        }
        if let Some((k, v)) = header.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let n = {
        let mut c = counts.lock().unwrap_or_else(|e| e.into_inner());
        let n = c.entry(path.clone()).or_insert(0);
        *n += 1;
        *n - 1
    };
    let mut out = stream;
    match answer(&path, &String::from_utf8_lossy(&body), n) {
        Reply::Json(json) => write!(
            out,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
            json.len()
        )?,
        Reply::Status(code) => write!(
            out,
            "HTTP/1.1 {code} Nope\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnope"
        )?,
        Reply::Silent => std::thread::sleep(Duration::from_secs(3600)),
        Reply::Stream(events, end) => {
            write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
            )?;
            for e in events {
                write!(out, "data: {e}\n\n")?;
                out.flush()?;
            }
            if let End::Stall = end {
                std::thread::sleep(Duration::from_secs(3600));
            }
        }
    }
    out.flush()
}

/// `/v1/models` as vLLM lists one model.
pub fn models() -> Reply {
    Reply::Json(
        r#"{"object":"list","data":[{"id":"fake/model-1B","object":"model","owned_by":"vllm"}]}"#
            .into(),
    )
}

/// A well-formed streamed completion of `tokens` chunks with usage.
pub fn good_stream(prompt_tokens: u64, tokens: u64) -> Reply {
    let mut events: Vec<String> = (0..tokens)
        .map(|i| format!(r#"{{"choices":[{{"index":0,"text":"t{i}"}}]}}"#))
        .collect();
    events.push(format!(
        r#"{{"choices":[],"usage":{{"prompt_tokens":{prompt_tokens},"completion_tokens":{tokens}}}}}"#
    ));
    events.push("[DONE]".into());
    Reply::Stream(events, End::Close)
}

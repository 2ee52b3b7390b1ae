//! Why a run ended early: Ctrl-C, or the server went away. The first reason wins.

use std::sync::Arc;

use tokio::sync::watch;

#[derive(Debug, Clone, PartialEq)]
pub enum Stop {
    /// Ctrl-C (SIGINT).
    Interrupted,
    /// SIGTERM: what `timeout`, systemd, Docker and Slurm send.
    Terminated,
    ServerLost(String),
}

impl Stop {
    pub fn reason(&self) -> String {
        match self {
            Stop::Interrupted => "interrupted (Ctrl-C)".into(),
            Stop::Terminated => "terminated (SIGTERM)".into(),
            Stop::ServerLost(why) => why.clone(),
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Stop::Interrupted => 130,
            Stop::Terminated => 143,
            Stop::ServerLost(_) => 3,
        }
    }
}

/// Shared by every task of a run; resolves when the run must stop.
#[derive(Clone)]
pub struct StopSignal {
    tx: Arc<watch::Sender<Option<Stop>>>,
}

impl StopSignal {
    /// A signal that Ctrl-C and SIGTERM trigger. Must be called inside the runtime.
    pub fn with_ctrl_c() -> StopSignal {
        let signal = StopSignal {
            tx: Arc::new(watch::channel(None).0),
        };
        let on_interrupt = signal.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                on_interrupt.trigger(Stop::Interrupted);
            }
        });
        let on_terminate = signal.clone();
        tokio::spawn(async move {
            use tokio::signal::unix::{SignalKind, signal};
            if let Ok(mut term) = signal(SignalKind::terminate())
                && term.recv().await.is_some()
            {
                on_terminate.trigger(Stop::Terminated);
            }
        });
        signal
    }

    pub fn trigger(&self, stop: Stop) {
        self.tx.send_if_modified(|current| {
            if current.is_none() {
                *current = Some(stop);
                true
            } else {
                false
            }
        });
    }

    pub fn get(&self) -> Option<Stop> {
        self.tx.borrow().clone()
    }

    /// Waits until the run must stop.
    pub async fn stopped(&self) -> Stop {
        let mut rx = self.tx.subscribe();
        loop {
            if let Some(stop) = rx.borrow_and_update().clone() {
                return stop;
            }
            if rx.changed().await.is_err() {
                // The sender lives as long as `self`; this cannot end, so wait forever.
                std::future::pending::<()>().await;
            }
        }
    }
}

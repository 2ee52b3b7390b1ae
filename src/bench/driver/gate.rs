//! A start gate for runs that must measure together (the tenants of an experiment): each run
//! takes a ticket when it begins and arrives at the gate once warmed up; the measured requests
//! of all of them start when the last has arrived. A run that ends before arriving (a server
//! that does not answer) gives its ticket back, so the others do not wait for it.

use std::sync::Arc;

use tokio::sync::watch;

/// Shared by the runs that start together.
#[derive(Debug)]
pub struct StartGate {
    /// How many runs have yet to arrive (or give their ticket back).
    waiting: watch::Sender<usize>,
}

impl StartGate {
    pub fn new(runs: usize) -> Arc<StartGate> {
        Arc::new(StartGate {
            waiting: watch::Sender::new(runs),
        })
    }

    /// One run's place at the gate.
    pub fn ticket(self: &Arc<Self>) -> Ticket {
        Ticket {
            gate: self.clone(),
            arrived: false,
        }
    }

    fn leave(&self) {
        self.waiting.send_modify(|n| *n = n.saturating_sub(1));
    }
}

/// A run's place at the gate; given back when dropped unused.
#[derive(Debug)]
pub struct Ticket {
    gate: Arc<StartGate>,
    arrived: bool,
}

impl Ticket {
    /// Waits until every run has arrived (or left). Later calls return at once.
    pub async fn arrive(&mut self) {
        if self.arrived {
            return;
        }
        self.arrived = true;
        let mut waiting = self.gate.waiting.subscribe();
        self.gate.leave();
        let _ = waiting.wait_for(|n| *n == 0).await;
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if !self.arrived {
            self.gate.leave();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn all_start_when_the_last_arrives_or_leaves() {
        let gate = StartGate::new(3);
        let (mut a, mut b, c) = (gate.ticket(), gate.ticket(), gate.ticket());
        let waiting = tokio::spawn(async move {
            a.arrive().await;
        });
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        // One run gives up before arriving: the others still go.
        drop(c);
        b.arrive().await;
        tokio::time::timeout(std::time::Duration::from_secs(5), waiting)
            .await
            .unwrap()
            .unwrap();
    }
}

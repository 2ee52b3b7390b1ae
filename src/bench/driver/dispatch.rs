//! Sending a batch of requests: at most so many in flight, arriving at a rate or all at once,
//! each under its deadline, with a progress bar and the failures counted.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Exp};
use tokio::sync::{Semaphore, mpsc};

use super::failure::Failure;
use super::options::Tenant;
use super::progress;
use super::runner::{Load, Runner, Timed};
use super::stop::{Stop, StopSignal};

/// Sends a runner's requests.
pub struct Sender<R: Runner> {
    pub runner: Arc<R>,
    pub load: Load,
    pub stop: StopSignal,
    pub verbose: bool,
    /// Whose requests these are, in an experiment.
    pub tenant: Option<Tenant>,
}

/// What a batch gave.
pub struct Sent<O> {
    pub done: Vec<Timed<O>>,
    pub failed: usize,
    pub first_failure: Option<Failure>,
    /// Stopped early because every request so far had failed (warm-ups only).
    pub gave_up: bool,
    /// From the first request to the last answer (or the stop).
    pub duration: Duration,
}

type Outcome<O> = (Instant, Result<O, Failure>);

impl<R: Runner> Sender<R> {
    /// Sends every request (at `rate` per second as a Poisson process, else all at once) until
    /// all are back or the run is stopped. `what` labels the progress bar and the messages.
    pub async fn send_all(
        &self,
        requests: Vec<R::Request>,
        rate: Option<f64>,
        what: &str,
    ) -> Sent<R::Outcome> {
        self.send(requests, rate, what, usize::MAX).await
    }

    /// Sends the warm-ups, all at once within the concurrency, and gives up as soon as a full
    /// wave of them (as many as may be in flight) has failed without one success: a server
    /// that fails those would fail the measured requests too.
    pub async fn warm_up(&self, requests: Vec<R::Request>) -> Sent<R::Outcome> {
        let wave = self.load.concurrency.max(1);
        self.send(requests, None, "warmup", wave).await
    }

    async fn send(
        &self,
        requests: Vec<R::Request>,
        rate: Option<f64>,
        what: &str,
        give_up_after: usize,
    ) -> Sent<R::Outcome> {
        let total = requests.len();
        let what = match &self.tenant {
            Some(t) => format!("{} {what}", t.name),
            None => what.to_string(),
        };
        let what = what.as_str();
        let bar = progress::bar(total, what, self.tenant.as_ref().map(|t| &t.bars));
        let (tx, mut rx) = mpsc::unbounded_channel();
        let start = Instant::now();
        let dispatcher = tokio::spawn(dispatch(
            requests,
            rate,
            self.runner.clone(),
            self.load,
            self.stop.clone(),
            tx,
        ));
        let mut sent = Sent {
            done: Vec::with_capacity(total),
            failed: 0,
            first_failure: None,
            gave_up: false,
            duration: Duration::ZERO,
        };
        for _ in 0..total {
            let received = tokio::select! {
                biased;
                _ = self.stop.stopped(), if R::ABANDONED_WHEN_STOPPED => break,
                r = rx.recv() => r,
            };
            let Some((at, result)) = received else {
                break;
            };
            bar.inc(1);
            match result {
                Ok(outcome) => sent.done.push(Timed {
                    start: at.duration_since(start).as_secs_f64(),
                    outcome,
                }),
                Err(failure) => {
                    sent.failed += 1;
                    if self.verbose {
                        bar.suspend(|| stderr_line!("{what}: request failed: {failure}"));
                    }
                    sent.first_failure.get_or_insert(failure);
                    if sent.done.is_empty() && sent.failed >= give_up_after {
                        sent.gave_up = true;
                        break;
                    }
                }
            }
        }
        sent.duration = start.elapsed();
        dispatcher.abort();
        bar.finish_and_clear();
        // A lone request's failure is told with the run's end.
        if let Some(f) = &sent.first_failure
            && !self.verbose
            && total > 1
            && !sent.gave_up
        {
            stderr_line!(
                "{what}: {} of {total} requests failed, the first with: {f} (--verbose shows all)",
                sent.failed
            );
        }
        sent
    }
}

async fn dispatch<R: Runner>(
    requests: Vec<R::Request>,
    rate: Option<f64>,
    runner: Arc<R>,
    load: Load,
    stop: StopSignal,
    tx: mpsc::UnboundedSender<Outcome<R::Outcome>>,
) {
    let slots = Arc::new(Semaphore::new(load.concurrency.max(1)));
    let mut arrivals = StdRng::seed_from_u64(load.seed.wrapping_add(1));
    let gaps = rate.and_then(|r| Exp::new(r).ok());
    let mut next = tokio::time::Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for request in requests {
        if let Some(exp) = &gaps {
            next += Duration::from_secs_f64(exp.sample(&mut arrivals));
            tokio::time::sleep_until(next).await;
        }
        let (slots, runner, stop, tx) = (slots.clone(), runner.clone(), stop.clone(), tx.clone());
        tasks.spawn(async move {
            let Ok(_slot) = slots.acquire_owned().await else {
                return;
            };
            // Once stopped, nothing new is sent.
            if stop.get().is_some() {
                return;
            }
            let sent = Instant::now();
            let exchange = runner.send(request, &stop);
            let result = match load.timeout {
                Some(limit) => tokio::time::timeout(limit, exchange)
                    .await
                    .unwrap_or_else(|_| {
                        Err(Failure::TimedOut(
                            limit.as_secs_f64(),
                            runner.server().map(|s| s.base.clone()),
                        ))
                    }),
                None => exchange.await,
            };
            if let Err(f) = &result
                && f.is_transport()
                && let Some(server) = runner.server()
                && !server.alive().await
            {
                stop.trigger(Stop::ServerLost(format!(
                    "the server at {} stopped accepting connections ({f})",
                    server.base
                )));
            }
            let _ = tx.send((sent, result));
        });
    }
    // Keep the tasks owned until they end; aborting the dispatcher aborts them all.
    while tasks.join_next().await.is_some() {}
}

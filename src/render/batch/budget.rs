//! One budget of threads and frame memory for a whole run, lent to scenes as they start.
//!
//! Scenes wait in a queue, costliest first, so the long ones are not left running alone at
//! the end. A scene starts when a thread is free and there is frame memory for at least one
//! frame worker. It takes a share of the free threads in proportion to its cost among the
//! scenes that can start now (as many as there are free threads, and as the frame memory
//! allows): while more scenes wait than threads are free each gets one thread; once fewer
//! wait, or the frame memory lets only a few run at a time (large frames), they share all the
//! free threads, so their encoders run on several. The share bounds the scene's frame workers
//! (further bounded by its share of the frame memory) and its H.264 encoder threads; its GIF
//! sink takes frames on one more thread. A scene never takes more threads than it can use (an
//! encoder that runs on one thread gets one). What a scene borrowed goes back when it
//! finishes, and the next scene may start.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};

/// The threads and frame memory of a run, and the scenes waiting for them.
pub struct Budget {
    threads: usize,
    /// The most threads one scene can put to use.
    most: usize,
    memory: u64,
    /// Bytes one frame worker needs.
    worker_memory: u64,
    state: Mutex<State>,
    returned: Condvar,
}

struct State {
    /// Scenes not started yet, as (index, cost), costliest first.
    queue: VecDeque<(usize, u64)>,
    free_threads: usize,
    free_memory: u64,
    /// Scenes started and not finished.
    running: usize,
}

/// What one scene borrowed; given back when dropped.
pub struct Lease<'b> {
    budget: &'b Budget,
    /// Which scene, by its index in the costs given to [`Budget::new`].
    pub scene: usize,
    /// Threads the scene may keep busy: its encoder's threads.
    pub threads: usize,
    /// Frame workers, within both the threads and the frame memory lent.
    pub workers: usize,
    memory: u64,
}

impl Budget {
    /// A budget of `threads` threads and `memory` bytes of frame buffers for scenes of the
    /// given costs (any unit, e.g. distinct frames), whose frame workers need `worker_memory`
    /// bytes each, and which can put at most `most` threads each to use.
    pub fn new(
        threads: usize,
        memory: u64,
        worker_memory: u64,
        most: usize,
        costs: &[u64],
    ) -> Budget {
        let mut queue: Vec<(usize, u64)> = costs.iter().copied().enumerate().collect();
        // Costliest first; equal costs keep their order.
        queue.sort_by_key(|&(_, cost)| std::cmp::Reverse(cost));
        let threads = threads.max(1);
        Budget {
            threads,
            most: most.max(1),
            memory,
            worker_memory: worker_memory.max(1),
            state: Mutex::new(State {
                queue: queue.into(),
                free_threads: threads,
                free_memory: memory,
                running: 0,
            }),
            returned: Condvar::new(),
        }
    }

    /// How many scenes can usefully run side by side: one thread each at least.
    pub fn lanes(&self) -> usize {
        let state = self.lock();
        self.threads.min(state.queue.len()).max(1)
    }

    /// Waits until the next scene can start and lends it its share; `None` once every scene has
    /// started.
    pub fn next(&self) -> Option<Lease<'_>> {
        let mut state = self.lock();
        loop {
            if state.queue.is_empty() {
                return None;
            }
            // A scene needs a thread, and memory for one frame worker unless nothing else runs
            // (a frame larger than the whole budget still renders, alone).
            let fits = state.free_memory >= self.worker_memory || state.running == 0;
            if state.free_threads > 0 && fits {
                break;
            }
            state = self
                .returned
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        // The scenes that could start now, this one first.
        let room = if state.running == 0 {
            (state.free_memory / self.worker_memory).max(1)
        } else {
            state.free_memory / self.worker_memory
        };
        let startable = state
            .queue
            .len()
            .min(state.free_threads)
            .min(usize::try_from(room).unwrap_or(usize::MAX));
        let startable_cost = state.queue.iter().take(startable).map(|&(_, c)| c).sum();
        let (scene, cost) = state.queue.pop_front()?;
        let threads = share(state.free_threads, cost, startable_cost, startable).min(self.most);
        // Frame memory in proportion to the threads, at least one worker's worth.
        let memory_share = (self.memory / self.threads as u64 * threads as u64)
            .min(state.free_memory)
            .max(self.worker_memory.min(state.free_memory));
        let workers = ((memory_share / self.worker_memory) as usize).clamp(1, threads);
        let memory = (workers as u64 * self.worker_memory).min(state.free_memory);
        state.free_threads -= threads;
        state.free_memory -= memory;
        state.running += 1;
        Some(Lease {
            budget: self,
            scene,
            threads,
            workers,
            memory,
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let mut state = self.budget.lock();
        state.free_threads += self.threads;
        state.free_memory += self.memory;
        state.running -= 1;
        drop(state);
        self.budget.returned.notify_all();
    }
}

/// The threads a scene of `cost` gets out of `free`, when `startable` scenes (this one
/// included, at most `free`) of total cost `startable_cost` can start now: in proportion to its
/// cost, at least one, and leaving one for each of the others.
fn share(free: usize, cost: u64, startable_cost: u64, startable: usize) -> usize {
    let proportional = (free as f64 * cost as f64 / startable_cost.max(1) as f64).round() as usize;
    let most = free.saturating_sub(startable.saturating_sub(1));
    proportional.clamp(1, most.max(1))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn costliest_scenes_start_first() {
        let budget = Budget::new(1, 100, 10, usize::MAX, &[5, 50, 20]);
        let order: Vec<usize> = std::iter::from_fn(|| budget.next().map(|l| l.scene)).collect();
        assert_eq!(order, [1, 2, 0]);
    }

    #[test]
    fn many_scenes_get_one_thread_each_and_the_last_ones_share_what_is_free() {
        let budget = Budget::new(4, 1 << 30, 1, usize::MAX, &[10; 6]);
        let leases: Vec<Lease> = (0..4).map(|_| budget.next().unwrap()).collect();
        assert!(leases.iter().all(|l| l.threads == 1));
        drop(leases);
        // Two scenes left, four threads free: two each.
        let a = budget.next().unwrap();
        let b = budget.next().unwrap();
        assert_eq!((a.threads, b.threads), (2, 2));
    }

    #[test]
    fn threads_follow_cost_when_all_scenes_fit() {
        let budget = Budget::new(16, 1 << 30, 1, usize::MAX, &[300, 100, 100, 100]);
        let shares: Vec<usize> = (0..4).map(|_| budget.next().unwrap().threads).collect();
        // Each lease is dropped at once, so every scene sees all 16 threads free; what counts
        // is the first: half the work gets half the threads, leaving one for each other scene.
        assert_eq!(shares[0], 8);
        let budget = Budget::new(16, 1 << 30, 1, usize::MAX, &[300, 100, 100, 100]);
        let held: Vec<Lease> = (0..4).map(|_| budget.next().unwrap()).collect();
        let total: usize = held.iter().map(|l| l.threads).sum();
        assert_eq!(total, 16, "every thread is lent");
        assert!(held.iter().all(|l| l.threads >= 1));
    }

    #[test]
    fn frame_memory_bounds_workers_and_scenes_in_flight() {
        // Room for three workers in all, eight threads.
        let budget = Budget::new(8, 30, 10, usize::MAX, &[10, 10, 10, 10]);
        let first = budget.next().unwrap();
        // Three scenes fit in memory, so the first takes three of the eight threads.
        assert_eq!(first.threads, 3);
        assert_eq!(first.workers, 1, "its share of the memory is one worker");
        let second = budget.next().unwrap();
        let third = budget.next().unwrap();
        assert_eq!(second.workers + third.workers, 2);
        // No memory left: the fourth waits until a scene gives its share back.
        let started = AtomicUsize::new(0);
        std::thread::scope(|s| {
            s.spawn(|| {
                let lease = budget.next().unwrap();
                started.store(1, Ordering::SeqCst);
                assert_eq!(lease.workers, 1);
            });
            std::thread::sleep(std::time::Duration::from_millis(50));
            assert_eq!(started.load(Ordering::SeqCst), 0, "started without memory");
            drop(first);
        });
        assert_eq!(started.load(Ordering::SeqCst), 1);
        drop((second, third));
        assert!(budget.next().is_none());
    }

    #[test]
    fn when_memory_lets_few_scenes_run_they_share_every_thread() {
        // Large frames: memory for two workers, sixteen threads, thirteen scenes.
        let budget = Budget::new(16, 20, 10, usize::MAX, &[10; 13]);
        let a = budget.next().unwrap();
        let b = budget.next().unwrap();
        assert_eq!((a.threads, b.threads), (8, 8));
        assert_eq!((a.workers, b.workers), (1, 1));
    }

    #[test]
    fn scenes_take_no_more_threads_than_they_use() {
        let budget = Budget::new(16, 1 << 30, 1, 1, &[10, 10]);
        let a = budget.next().unwrap();
        let b = budget.next().unwrap();
        assert_eq!((a.threads, b.threads), (1, 1));
    }

    #[test]
    fn a_frame_larger_than_the_budget_still_renders_alone() {
        let budget = Budget::new(4, 10, 100, usize::MAX, &[1, 1]);
        let lease = budget.next().unwrap();
        assert_eq!(lease.workers, 1);
        drop(lease);
        assert!(budget.next().is_some());
    }
}

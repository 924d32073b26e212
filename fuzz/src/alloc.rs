//! A counting allocator: the peak of live heap bytes while one input runs, held to a budget
//! proportional to the input's length (an allocation sized from a number in the input, or
//! a blow-up, fails the input instead of passing unnoticed).
//!
//! With `AVOCHATO_FUZZ_ALLOC_LOG=FILE` the largest peak and the largest peak per input byte
//! seen so far are written to FILE (as JSON) whenever one grows: `make fuzz` reports them.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Mutex;

/// Fixed allowance per input, whatever its length.
pub const BASE_BYTES: usize = 256 << 10;
/// Allowance per input byte (a JSON value tree takes some tens of bytes per byte of text).
pub const BYTES_PER_INPUT_BYTE: usize = 256;

/// The most an input of `len` bytes may hold at once.
pub fn budget(len: usize) -> usize {
    BASE_BYTES.saturating_add(len.saturating_mul(BYTES_PER_INPUT_BYTE))
}

struct Counting;

// Per thread (the tests run in parallel; libFuzzer runs inputs on one thread). A block freed
// by another thread than the one that made it moves that thread's count: hence signed.
thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn grew(by: usize) {
    let by = isize::try_from(by).unwrap_or(isize::MAX);
    let _ = LIVE.try_with(|live| {
        let now = live.get().saturating_add(by);
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

fn shrank(by: usize) {
    let by = isize::try_from(by).unwrap_or(isize::MAX);
    let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(by)));
}

// SAFETY: every call is passed on to the system allocator unchanged; only counters move.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The peak of one input, measured from what was live before it.
pub struct Watch {
    base: isize,
}

/// The largest peaks seen in this process (for the log).
struct Record {
    peak: usize,
    peak_len: usize,
    per_byte: f64,
    per_byte_peak: usize,
    per_byte_len: usize,
}

static RECORD: Mutex<Option<Record>> = Mutex::new(None);

impl Watch {
    /// Starts measuring.
    pub fn start() -> Watch {
        let base = LIVE.with(Cell::get);
        PEAK.with(|p| p.set(base));
        Watch { base }
    }

    /// The peak since [`Watch::start`], above what was live then.
    pub fn peak(&self) -> usize {
        usize::try_from(PEAK.with(Cell::get).saturating_sub(self.base)).unwrap_or(0)
    }

    /// Panics if the input of `len` bytes held more than its [`budget`].
    pub fn check(self, target: &str, len: usize) {
        let peak = self.peak();
        assert!(
            peak <= budget(len),
            "{target}: an input of {len} bytes held {peak} bytes at once (budget {})",
            budget(len)
        );
        if let Some(path) = log_path() {
            record(path, peak, len);
        }
    }
}

fn log_path() -> Option<&'static str> {
    static PATH: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    PATH.get_or_init(|| std::env::var("AVOCHATO_FUZZ_ALLOC_LOG").ok())
        .as_deref()
}

fn record(path: &str, peak: usize, len: usize) {
    let Ok(mut guard) = RECORD.lock() else {
        return;
    };
    let per_byte = peak as f64 / len.max(1) as f64;
    let r = guard.get_or_insert(Record {
        peak: 0,
        peak_len: 0,
        per_byte: 0.0,
        per_byte_peak: 0,
        per_byte_len: 0,
    });
    let mut changed = false;
    if peak > r.peak {
        (r.peak, r.peak_len, changed) = (peak, len, true);
    }
    // Per byte only where the fixed allowance is not what lets it pass.
    if peak > 16 << 10 && per_byte > r.per_byte {
        (r.per_byte, r.per_byte_peak, r.per_byte_len, changed) = (per_byte, peak, len, true);
    }
    if changed {
        let json = serde_json::json!({
            "max_peak_bytes": r.peak,
            "max_peak_input_len": r.peak_len,
            "max_bytes_per_input_byte": r.per_byte,
            "max_per_byte_peak_bytes": r.per_byte_peak,
            "max_per_byte_input_len": r.per_byte_len,
            "budget": format!("{BASE_BYTES} + {BYTES_PER_INPUT_BYTE} x input length"),
        });
        let _ = std::fs::write(path, json.to_string());
    }
}

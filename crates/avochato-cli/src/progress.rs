//! Progress of bulk work on stderr: a bar on a terminal, otherwise a plain line every few
//! seconds (logs of CI jobs and cron stay readable).

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    label: &'static str,
    total: Option<u64>,
    done: u64,
    message: String,
    bar: Option<ProgressBar>,
    last_line: Instant,
}

const LINE_EVERY: Duration = Duration::from_secs(2);

impl Progress {
    pub fn new(label: &'static str, total: Option<u64>, bars: bool) -> Progress {
        let bar = bars.then(|| {
            let bar = match total {
                Some(t) => ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr()),
                None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
            };
            let template = if total.is_some() {
                "{prefix} [{bar:30}] {pos}/{len} ({percent}%) {msg} · {elapsed} (eta {eta})"
            } else {
                "{prefix} {spinner} {pos} {msg} · {elapsed}"
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_prefix(label);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress {
            label,
            total,
            done: 0,
            message: String::new(),
            bar,
            last_line: Instant::now(),
        }
    }

    /// Work already done by an earlier run.
    pub fn skip(&mut self, n: u64) {
        self.done += n;
        if let Some(b) = &self.bar {
            b.set_position(self.done);
        }
    }

    pub fn advance(&mut self, n: u64, message: String) {
        self.done += n;
        self.message = message;
        match &self.bar {
            Some(b) => {
                b.set_position(self.done);
                b.set_message(self.message.clone());
            }
            None if self.last_line.elapsed() >= LINE_EVERY => {
                self.last_line = Instant::now();
                self.line();
            }
            None => {}
        }
    }

    fn line(&self) {
        match self.total {
            Some(t) if t > 0 => eprintln!(
                "{}: {}/{t} ({}%) {}",
                self.label,
                self.done,
                self.done * 100 / t,
                self.message
            ),
            _ => eprintln!("{}: {} {}", self.label, self.done, self.message),
        }
    }

    pub fn finish(self) {
        match self.bar {
            Some(b) => b.finish_and_clear(),
            None => self.line(),
        }
    }
}

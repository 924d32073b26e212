//! Fuzz harnesses for the core, as plain functions: the libFuzzer binaries in
//! `fuzz_targets/` call [`run`], and `tests/seeds.rs` replays the committed seeds through it.
//!
//! Each harness panics when an invariant breaks (libFuzzer turns that into a crash with the
//! input saved). Every input also has an allocation budget ([`alloc`]): the peak of the
//! bytes the core holds while handling it may not pass [`alloc::budget`] of its length.
//!
//! * [`Target::Decode`]: first byte mod the number of operations picks the operation, the
//!   rest is a response body.
//! * [`Target::Encode`]: first byte picks the operation, the second the call's options, the
//!   rest is the parameters as JSON.
//! * [`Target::Phone`]: first byte picks the default country, the rest is the number.
//! * [`Target::Redact`]: first byte picks the secret's length in characters, then the
//!   secret, then the text.

pub mod alloc;
mod decode;
mod encode;
mod phone;
mod redact;

pub use phone::COUNTRIES;

/// The secret the harnesses give the core (with characters that have several writings:
/// `/` in JSON, `é` percent-, JSON- and HTML-escaped, `+` in a form).
pub const SECRET: &str = "sk_Fuzz/é+9";
/// The credential id the encoder harness signs with.
pub const AUTH_ID: &str = "fuzz-auth-id";

/// A fuzz target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Every operation's response decoding, and the error paths of a failed answer.
    Decode,
    /// Parameters through `params::check`, then the wire encoding.
    Encode,
    /// `normalize_phone`.
    Phone,
    /// Secret redaction.
    Redact,
}

impl Target {
    /// Every target, in the order `make fuzz` runs them.
    pub const ALL: [Target; 4] = [
        Target::Decode,
        Target::Encode,
        Target::Phone,
        Target::Redact,
    ];

    /// The binary's and the seed folder's name.
    pub fn name(self) -> &'static str {
        match self {
            Target::Decode => "decode",
            Target::Encode => "encode",
            Target::Phone => "phone",
            Target::Redact => "redact",
        }
    }
}

/// Runs one input through a target's harness, within its allocation budget.
pub fn run(target: Target, data: &[u8]) {
    let watch = alloc::Watch::start();
    match target {
        Target::Decode => decode::run(data),
        Target::Encode => encode::run(data),
        Target::Phone => phone::run(data),
        Target::Redact => redact::run(data),
    }
    watch.check(target.name(), data.len());
}

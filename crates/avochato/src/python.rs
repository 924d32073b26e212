//! Python conversions for core types (the `python` feature).

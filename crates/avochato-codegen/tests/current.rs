//! The committed generated files are what the generator writes today.

#[test]
fn every_generated_file_is_current() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let stale: Vec<&str> = avochato_codegen::files()
        .into_iter()
        .filter(|(rel, text)| std::fs::read_to_string(root.join(rel)).unwrap_or_default() != *text)
        .map(|(rel, _)| rel)
        .collect();
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: run `cargo run -p avochato-codegen`"
    );
}

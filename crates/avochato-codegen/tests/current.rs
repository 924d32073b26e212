//! The committed generated files are what the generator writes today.

fn check(rel: &str, text: String) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel);
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{rel} is stale: run `cargo run -p avochato-codegen -- python-stubs`"
    );
}

#[test]
fn the_python_stubs_are_current() {
    check(
        avochato_codegen::PYTHON_STUBS,
        avochato_codegen::python_stubs::render(),
    );
}

#[test]
fn the_python_types_module_is_current() {
    check(
        avochato_codegen::PYTHON_TYPES,
        avochato_codegen::python_stubs::render_types(),
    );
}

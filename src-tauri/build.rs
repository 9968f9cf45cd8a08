fn main() {
    // The capabilities live beside the shell's sources, not next to the root manifest.
    let attrs = tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*");
    tauri_build::try_build(attrs).unwrap_or_else(|e| {
        println!("cargo::error={e:#}");
    });
}

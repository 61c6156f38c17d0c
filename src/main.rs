//! On wasm32 this is the web app's entry (it mounts the Yew app); elsewhere it is the `kubeplay` program.

#[cfg(target_arch = "wasm32")]
fn main() {
    kubeplay::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use std::io::Write;
    let args: Vec<String> = std::env::args_os().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
    // The repl answers each line as it is read.
    if args.first().map(String::as_str) == Some("repl") {
        let code = kubeplay::cli::repl(&args[1..], &mut std::io::stdin().lock(), &mut std::io::stdout().lock());
        return std::process::ExitCode::from(code);
    }
    // `cargo xtask dist` only (the `prerender` feature): the landing screen as HTML, for `index.html`.
    #[cfg(feature = "prerender")]
    if args.first().map(String::as_str) == Some("prerender") {
        let lang = kubeplay::i18n::Lang::from_tag(args.get(1).map_or("en", String::as_str));
        let _ = std::io::stdout().write_all(kubeplay::ui::prerender(lang).as_bytes());
        return std::process::ExitCode::SUCCESS;
    }
    if args.first().map(String::as_str) == Some("cluster") {
        let code = kubeplay::cli::cluster(&args[1..], &mut std::io::stdout().lock());
        return std::process::ExitCode::from(code);
    }
    let out = kubeplay::cli::run_with(&args, &mut std::io::stdin().lock());
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    std::process::ExitCode::from(out.code)
}

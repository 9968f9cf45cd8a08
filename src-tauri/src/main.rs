// No console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    let opts = regdesk_app::Options::parse(std::env::args().skip(1), std::env::var("REGDESK_DEMO").ok());
    match regdesk_app::run(opts) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("作品登记工作台无法启动：{e}");
            std::process::ExitCode::FAILURE
        }
    }
}

use std::process::ExitCode;

use clap::Parser;

use benchanim::commands::{Cli, is_closed_pipe};
use benchanim::terminal::printable_lines;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.run() {
        Ok(code) => ExitCode::from(code),
        // The reader has all it wanted (`| head`): nothing went wrong.
        Err(e) if is_closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", printable_lines(&format!("{e:#}")));
            ExitCode::from(1)
        }
    }
}

use std::process::ExitCode;

use clap::Parser;

use benchanim::commands::{Cli, is_closed_pipe};
use benchanim::stderr_line;
use benchanim::terminal::printable_lines;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    match cli.command.run() {
        Ok(code) => ExitCode::from(code),
        // The reader has all it wanted (`| head`): nothing went wrong.
        Err(e) if is_closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            stderr_line!("error: {}", printable_lines(&format!("{e:#}")));
            ExitCode::from(1)
        }
    }
}

/// Prints clap's help, version or usage error. Help that could not be written (a full disk)
/// is an error, not a success; a reader that went away (`| head`) is not.
fn clap_exit(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let printed = e.print();
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => match printed {
            Ok(()) => ExitCode::from(e.exit_code() as u8),
            Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(err) => {
                stderr_line!("error: cannot write the help: {err}");
                ExitCode::from(1)
            }
        },
        _ => ExitCode::from(e.exit_code() as u8),
    }
}

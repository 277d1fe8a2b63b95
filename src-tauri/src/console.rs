//! Where the output of `postdesk.exe SUBCOMMAND` goes on Windows. The release build there is a
//! windows-subsystem program, so double-clicking it opens no console window beside the app; it
//! then has no console of its own, and a subcommand typed in cmd or PowerShell borrows the one it
//! was started from. Not for: other systems, where a program always prints where it was started.

/// Whether this command line prints (a subcommand, `--help`, `--version`, or a mistake clap
/// explains) rather than opening the window.
pub fn prints(parsed: &Result<crate::Cli, clap::Error>) -> bool {
    parsed.as_ref().map_or(true, |cli| cli.command.is_some())
}

/// Sends stdout and stderr to the console of the program that started this one, when they go
/// nowhere (a windows-subsystem program started from a console has no standard handles; one
/// whose output is redirected to a file or a pipe keeps it there).
#[cfg(windows)]
#[allow(unsafe_code)]
pub fn attach_parent() {
    use windows_sys::Win32::System::Console::{
        AttachConsole, GetStdHandle, ATTACH_PARENT_PROCESS, STD_OUTPUT_HANDLE,
    };
    // SAFETY: both calls take plain values and touch no memory of ours. AttachConsole fails
    // harmlessly when the parent has no console (started from Explorer) or one is attached.
    unsafe {
        if GetStdHandle(STD_OUTPUT_HANDLE).is_null() {
            AttachConsole(ATTACH_PARENT_PROCESS);
        }
    }
}

#[cfg(not(windows))]
pub fn attach_parent() {}

#[cfg(test)]
mod tests {
    use clap::Parser;

    fn prints(args: &[&str]) -> bool {
        super::prints(&crate::Cli::try_parse_from(
            std::iter::once("postdesk").chain(args.iter().copied()),
        ))
    }

    #[test]
    fn subcommands_help_and_mistakes_print_the_window_does_not() {
        assert!(prints(&[
            "render",
            r"C:\블로그\_posts\2023-03-22-gdata33.md"
        ]));
        assert!(prints(&["fm", "set", "post.md", "toc", "true"]));
        assert!(prints(&["--help"]));
        assert!(prints(&["--version"]));
        assert!(prints(&["help", "lint"]));
        assert!(prints(&["--no-such-option"]));
        assert!(prints(&["render"]), "a subcommand missing its argument");
        assert!(!prints(&[]));
        assert!(!prints(&[r"D:\내 블로그"]), "a site to open in the window");
    }
}

//! arwatch's program: set up the process, then either the double-click and dropped-files
//! start (`launcher`) or the command line's command (`command`), ending with the exit code
//! that says how it went (`exit_code`).

use arwatch::cli::Cli;
use arwatch::command;
use arwatch::exit;
use arwatch::exit_code::ExitCode;
use arwatch::launcher::{self, Start};
use clap::Parser;

// Ingestion and analytics make tens of millions of small allocations across two threads;
// mimalloc keeps and reuses freed memory per thread where the system allocator returns it to
// the kernel and faults it back in (measured: about 3 s of 15 at 10 million invoices).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its position in `mi_option_e` of the mimalloc 3 that
/// libmimalloc-sys 0.1.49 builds; the Rust bindings do not name it). A test checks it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Turns transparent huge pages off before the first allocation: the runtime's first one, before
/// `main`, has mimalloc fault in a fresh 2 MB page of its arena, which the kernel zeroes whole
/// (measured: a run of 10,000 invoices 60 ms → 48 ms, a third less system time). An entry of
/// `.init_array` runs before the Rust runtime starts.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static NO_HUGE_PAGES_BEFORE_MAIN: extern "C" fn() = {
    extern "C" fn before_main() {
        arwatch::memory::no_huge_pages();
    }
    before_main
};

fn main() {
    // Memory freed by one client is needed again by the next: keep it instead of handing it
    // back to the kernel and faulting it in again (measured ~0.5 s at 10M invoices, ~20 MB).
    // SAFETY: set once, before any other thread exists, as mimalloc requires.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    exit::install_panic_hook();
    // Lets the tests check the hook end to end: the only way to make a bug on purpose.
    if std::env::var_os("ARWATCH_TEST_PANIC").is_some() {
        panic!("ARWATCH_TEST_PANIC is set");
    }
    arwatch::platform::console_utf8();
    // Started from Explorer: double-clicked, or with files dropped on the program.
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    match launcher::start(&args) {
        Start::Command => {}
        Start::Welcome => {
            print!("{}", launcher::welcome());
            end_in_a_window(ExitCode::Ok);
        }
        Start::Dropped(files) => {
            let code = launcher::dropped(&files, &mut std::io::stdin().lock()).unwrap_or_else(|e| {
                eprintln!("error: {e}");
                e.exit_code()
            });
            end_in_a_window(code);
        }
    }
    let cli = Cli::parse();
    let code = command::dispatch(&cli).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        e.exit_code()
    });
    std::process::exit(code.code());
}

/// Ends a run started from Explorer, waiting for Enter first where the window would close.
fn end_in_a_window(code: ExitCode) -> ! {
    if launcher::waits() {
        launcher::pause(&mut std::io::stdin().lock());
    }
    std::process::exit(code.code());
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // Its default in this mimalloc (options.c) is 1000 ms; the options beside it default
        // to 1 and 0, so a shifted enum fails here.
        // SAFETY: reading an option has no preconditions.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) }, 1000);
    }
}

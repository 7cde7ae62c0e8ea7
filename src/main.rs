//! `mini-redis [--port N] [--bind ADDR] ...`: parse the command line, bind,
//! and hand over to the library.

#![deny(unsafe_code)]

use std::process::ExitCode;

use mini_redis::config::{self, Action, USAGE};
use mini_redis::{log, server};

fn main() -> ExitCode {
    let config = match config::parse(std::env::args().skip(1)) {
        Ok(Action::Run(config)) => config,
        Ok(Action::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Action::Version) => {
            println!(
                "mini-redis {} (Redis {} compatible)",
                env!("CARGO_PKG_VERSION"),
                config::REDIS_VERSION
            );
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("mini-redis: {err}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    log::set_level(config.loglevel);
    let listener = match server::bind(&config) {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!(
                "mini-redis: could not listen on {}:{}: {err}",
                config.bind, config.port
            );
            return ExitCode::from(1);
        }
    };
    match server::serve(listener, config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("mini-redis: {err}");
            ExitCode::from(1)
        }
    }
}

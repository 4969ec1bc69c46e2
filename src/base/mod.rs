//! The base layer: what every other layer uses and nothing here imports
//! from above. Exact numbers ([`num`]), intervals and three-valued logic
//! ([`interval`]), dates as ranges of days ([`date`]), the diagnostic model
//! with files, spans and places ([`diag`]), escaping for every output
//! context ([`escape`]), the one way files are read ([`fsread`]) and the
//! words of each language ([`lang`]).

pub mod date;
pub mod diag;
pub mod escape;
pub mod fsread;
pub mod interval;
pub mod lang;
pub mod num;

/// The number of threads to run on when asked for `threads`: that many,
/// or one per core when 0 (as the machine reports them; at least 1).
pub fn threads(threads: usize) -> usize {
    if threads > 0 {
        threads
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}

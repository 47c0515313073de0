//! The run-time comparisons in alternating rounds (41 rounds, medians; see
//! `src/rounds.rs`), printed as ns/op and ratios. `table` prints these and
//! the rest as one markdown table.

use lexgen_bench::{cases, rounds, DIDS, HANDLES};

const ROUNDS: usize = 41;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    for (name, mut contenders) in [
        cases::handles(&HANDLES),
        cases::dids(&DIDS),
        cases::create_session(),
    ] {
        let figures = rounds::compare(ROUNDS, &mut contenders);
        rounds::print(name, &figures);
    }
}

//! Integration tests: each drives the real `gongshi` binary on a fixture site and asserts on what it
//! wrote or printed.

mod boards;
mod determinism;
mod figures;
mod invalid;
mod kill;
mod links;
mod releases;
mod safety;
mod sample;
mod scaffold;
mod search;
mod serve;
mod support;

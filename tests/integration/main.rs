//! Integration tests: each drives the real `gongshi` binary on a fixture site and asserts on what it
//! wrote or printed.

mod determinism;
mod figures;
mod invalid;
mod links;
mod safety;
mod sample;
mod support;

//! Differential fuzzing of the fast YAML path (`gongshi::load::yaml::fast`) against serde_yaml:
//! whatever the fast path reads must be read by serde_yaml too, to the same value, for a generic
//! value (`deserialize_any`) and for every record type. A difference is a bug: a record read wrong,
//! or a problem serde_yaml would report going unreported.
#![no_main]

use gongshi::load::yaml::fast;
use gongshi::model::records::{Comments, Disclosure, Page, Rectifications, Report, Targets};
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use std::fmt::Debug;

fn agrees<T: DeserializeOwned + PartialEq + Debug>(text: &str) {
    if let Some(fast) = fast::<T>(text) {
        match serde_yaml::from_str::<T>(text) {
            Ok(slow) => assert_eq!(fast, slow, "the fast path read {text:?} differently"),
            Err(e) => panic!("the fast path read {text:?}, serde_yaml refused it: {e}"),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    match pick % 7 {
        0 => agrees::<serde_json::Value>(text),
        1 => agrees::<Targets>(text),
        2 => agrees::<Report>(text),
        3 => agrees::<Rectifications>(text),
        4 => agrees::<Disclosure>(text),
        5 => agrees::<Comments>(text),
        _ => agrees::<Page>(text),
    }
});

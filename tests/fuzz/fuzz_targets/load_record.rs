//! Fuzzes the loaders: arbitrary bytes as every kind of content file (front matter + Markdown,
//! YAML records, site.yaml, orgs.yaml). Any panic is a bug; every diagnostic must be located.
#![no_main]

use libfuzzer_sys::fuzz_target;

const PATHS: [&str; 9] = [
    "site.yaml",
    "orgs.yaml",
    "calendar/2025.yaml",
    "targets/2025/hexing.yaml",
    "reports/2024/hexing.md",
    "rectifications/hexing.yaml",
    "disclosures/2025/hexing/x.md",
    "comments/2025/hexing.yaml",
    "pages/about.md",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let path = PATHS[usize::from(pick) % PATHS.len()];
    for d in gongshi::load::check_source(path, bytes).iter() {
        assert!(d.line >= 1 && d.col >= 1, "unlocated diagnostic: {d}");
    }
});

//! Same content + same build date -> byte-identical output.

use crate::support::{repo_root, Site};

#[test]
fn two_builds_of_the_sample_are_byte_identical() {
    let a = Site::from_dir(&repo_root().join("content").parent().unwrap().join("content"));
    // Build the shipped sample twice into two different roots.
    let sample = || {
        let s = Site { dir: tempfile::tempdir().unwrap() };
        crate::support::copy_dir(&repo_root().join("content"), &s.path("content"));
        s
    };
    drop(a);
    let (one, two) = (sample(), sample());
    one.build("2026-03-31").assert_ok();
    two.build("2026-03-31").assert_ok();
    let (t1, t2) = (one.tree("public"), two.tree("public"));
    assert!(t1.len() > 100);
    assert_eq!(t1.keys().collect::<Vec<_>>(), t2.keys().collect::<Vec<_>>());
    for (k, v) in &t1 {
        assert!(v == &t2[k], "{k} differs between two builds");
    }
}

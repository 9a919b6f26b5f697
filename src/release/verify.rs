//! `gongshi verify`: recompute the digest of every file of a built site and compare it with its
//! `manifest.json`, check that manifest against the ledger, and check the ledger's hash chain.
//! Names every added, removed or altered file and every broken link. Reads only.

use super::ledger::{Entry, Ledger};
use crate::error::{Error, Result};
use crate::validate::digest_hex;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// The manifest file at the site root.
pub const MANIFEST: &str = "manifest.json";

/// Every problem found, in a stable order; empty means the site is a faithful published version.
pub fn verify(site_dir: &Path, root: &Path) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let ledger = Ledger::open(root)?;
    problems.extend(ledger.chain_problems());
    let manifest_path = site_dir.join(MANIFEST);
    let bytes = std::fs::read(&manifest_path).map_err(|e| Error::read(&manifest_path, e))?;
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| Error::Ledger(format!("{} 无法读取：{e}", manifest_path.display())))?;
    if value.get("preview").and_then(|p| p.as_bool()) == Some(true) {
        problems.push("这是预览版：内容与最新发布的版本不同，不是已发布的版本（先运行 gongshi release）".to_string());
    }
    let files: BTreeMap<String, String> = value
        .get("files")
        .and_then(|f| serde_json::from_value(f.clone()).ok())
        .ok_or_else(|| Error::Ledger(format!("{} 没有 files 清单", manifest_path.display())))?;
    problems.extend(compare_files(site_dir, &files));
    if let Ok(entry) = serde_json::from_value::<Entry>(value) {
        match ledger.entries.iter().find(|s| s.entry.number == entry.number) {
            Some(stored) if stored.entry == entry => {}
            Some(_) => problems
                .push(format!("manifest.json 与账本 content/releases/{} 不一致", Ledger::file_name(entry.number))),
            None => problems.push(format!("账本中没有第{}版", entry.number)),
        }
    }
    Ok(problems)
}

/// Files added, removed or altered relative to `expected` (manifest.json itself excluded).
fn compare_files(dir: &Path, expected: &BTreeMap<String, String>) -> Vec<String> {
    let on_disk: Vec<(String, std::path::PathBuf)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?.to_string_lossy().replace('\\', "/");
            (rel != MANIFEST).then(|| (rel, e.path().to_path_buf()))
        })
        .collect();
    let actual: BTreeMap<String, Option<String>> =
        on_disk.par_iter().map(|(rel, path)| (rel.clone(), std::fs::read(path).ok().map(|b| digest_hex(&b)))).collect();
    let mut problems = Vec::new();
    for (rel, digest) in &actual {
        match expected.get(rel) {
            None => problems.push(format!("多出的文件：{rel}（不在发布清单中）")),
            Some(want) if Some(want) != digest.as_ref() => {
                problems.push(format!("文件被改动：{rel}（摘要与发布清单不符）"))
            }
            Some(_) => {}
        }
    }
    for rel in expected.keys().filter(|k| !actual.contains_key(*k)) {
        problems.push(format!("缺少文件：{rel}（发布清单中有，目录中没有）"));
    }
    problems
}

/// SHA-256 of every output file but the manifest.
pub fn digests(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    files.par_iter().filter(|(k, _)| k.as_str() != MANIFEST).map(|(k, v)| (k.clone(), digest_hex(v))).collect()
}

//! The theme: Tera templates and static files. The default theme is compiled into the binary; a
//! site's `themes/default/` and `themes/<name>/` files override it file by file. Never renders pages.

use crate::error::{Error, Result};
use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::path::Path;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// All files of the effective theme, by path inside the theme (`templates/base.html`, `static/site.css`).
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The compiled default, overlaid by `root/themes/default/` and then `root/themes/<name>/`.
    pub fn load(root: &Path, name: &str) -> Result<Theme> {
        let mut files = BTreeMap::new();
        collect_embedded(&DEFAULT_THEME, &mut files);
        let mut layers = vec![root.join("themes").join("default")];
        if name != "default" {
            let dir = root.join("themes").join(name);
            if !dir.is_dir() {
                return Err(Error::Usage(format!("site.yaml 指定的主题 `{name}` 不存在：找不到 {}", dir.display())));
            }
            layers.push(dir);
        }
        for dir in layers.iter().filter(|d| d.is_dir()) {
            for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
                let entry = entry.map_err(|e| Error::read(dir, std::io::Error::other(e.to_string())))?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
                let key = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                let bytes = std::fs::read(entry.path()).map_err(|e| Error::read(entry.path(), e))?;
                files.insert(key, bytes);
            }
        }
        Ok(Theme { files })
    }

    /// Template sources: (name without the `templates/` prefix, text).
    pub fn templates(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().filter_map(|(k, v)| {
            let name = k.strip_prefix("templates/")?;
            Some((name, std::str::from_utf8(v).ok()?))
        })
    }

    /// Static files: (path under `static/`, bytes).
    pub fn statics(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().filter_map(|(k, v)| Some((k.strip_prefix("static/")?, v.as_slice())))
    }
}

fn collect_embedded(dir: &Dir<'static>, out: &mut BTreeMap<String, Vec<u8>>) {
    for f in dir.files() {
        let key = f.path().components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        out.insert(key, f.contents().to_vec());
    }
    for d in dir.dirs() {
        collect_embedded(d, out);
    }
}

//! The organization tree (orgs.yaml): org records and an arena with parent/child links.
//! Never validates the tree (validate does) and never reads files.

use super::common::{Date, Scalar};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What an org is (glossary.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OrgKind {
    County,
    Township,
    Subdistrict,
    Village,
    Community,
    Agency,
    Enterprise,
    School,
    Social,
    Branch,
}

impl OrgKind {
    pub fn label(self) -> &'static str {
        match self {
            OrgKind::County => "县委",
            OrgKind::Township => "乡镇党委",
            OrgKind::Subdistrict => "街道党工委",
            OrgKind::Village => "村党组织",
            OrgKind::Community => "社区党组织",
            OrgKind::Agency => "机关党组织",
            OrgKind::Enterprise => "企业党组织",
            OrgKind::School => "学校党组织",
            OrgKind::Social => "社会组织党组织",
            OrgKind::Branch => "党支部",
        }
    }
}

/// One secretary in an org's history.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SecretaryTerm {
    pub name: String,
    pub from: Option<Date>,
}

/// `secretary:` is a name or a dated history.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Secretary {
    Name(String),
    History(Vec<SecretaryTerm>),
}

impl Secretary {
    /// The secretary in office on `day` (the latest term that started by then).
    pub fn current(&self, day: Date) -> Option<&str> {
        match self {
            Secretary::Name(n) => Some(n),
            Secretary::History(terms) => {
                terms.iter().filter(|t| t.from.is_none_or(|f| f <= day)).max_by_key(|t| t.from).map(|t| t.name.as_str())
            }
        }
    }
}

/// One entry of orgs.yaml.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Org {
    pub id: Scalar,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OrgKind,
    pub parent: Option<Scalar>,
    pub secretary: Option<Secretary>,
    pub phone: Option<Scalar>,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    pub successor_of: Option<Scalar>,
}

impl Org {
    pub fn display_name(&self) -> &str {
        self.short_name.as_deref().unwrap_or(&self.name)
    }
    pub fn valid_on(&self, day: Date) -> bool {
        self.valid_from.is_none_or(|f| f <= day) && self.valid_to.is_none_or(|t| day <= t)
    }
}

/// Index of an org in the arena.
pub type OrgIx = usize;

/// The validated tree: orgs in file order, a root, children lists, id lookup.
#[derive(Debug, Clone, Default)]
pub struct OrgTree {
    pub orgs: Vec<Org>,
    pub root: OrgIx,
    pub parent: Vec<Option<OrgIx>>,
    pub children: Vec<Vec<OrgIx>>,
    pub by_id: BTreeMap<String, OrgIx>,
}

impl OrgTree {
    /// Builds the arena. Callers have checked ids are unique, parents exist, one root, no cycle.
    pub fn new(orgs: Vec<Org>) -> OrgTree {
        let by_id: BTreeMap<String, OrgIx> = orgs.iter().enumerate().map(|(i, o)| (o.id.0.clone(), i)).collect();
        let parent: Vec<Option<OrgIx>> =
            orgs.iter().map(|o| o.parent.as_ref().and_then(|p| by_id.get(p.as_str()).copied())).collect();
        let mut children = vec![Vec::new(); orgs.len()];
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(i);
            }
        }
        let root = parent.iter().position(Option::is_none).unwrap_or(0);
        OrgTree { orgs, root, parent, children, by_id }
    }

    pub fn get(&self, id: &str) -> Option<&Org> {
        self.by_id.get(id).map(|&i| &self.orgs[i])
    }

    pub fn ix(&self, id: &str) -> Option<OrgIx> {
        self.by_id.get(id).copied()
    }

    /// Ancestors from the root down to (not including) `ix`.
    pub fn ancestors(&self, ix: OrgIx) -> Vec<OrgIx> {
        let mut out = Vec::new();
        let mut cur = self.parent[ix];
        while let Some(p) = cur {
            out.push(p);
            cur = self.parent[p];
        }
        out.reverse();
        out
    }

    /// Orgs in depth-first tree order with their depth (root first).
    pub fn preorder(&self) -> Vec<(OrgIx, usize)> {
        let mut out = Vec::with_capacity(self.orgs.len());
        let mut stack = vec![(self.root, 0)];
        while let Some((ix, depth)) = stack.pop() {
            out.push((ix, depth));
            for &c in self.children[ix].iter().rev() {
                stack.push((c, depth + 1));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(id: &str, parent: Option<&str>) -> Org {
        Org {
            id: Scalar(id.into()),
            name: id.into(),
            short_name: None,
            kind: OrgKind::Village,
            parent: parent.map(|p| Scalar(p.into())),
            secretary: None,
            phone: None,
            valid_from: None,
            valid_to: None,
            successor_of: None,
        }
    }

    #[test]
    fn tree_links_children_and_walks_in_preorder() {
        let t = OrgTree::new(vec![org("a", None), org("b", Some("a")), org("c", Some("b")), org("d", Some("a"))]);
        assert_eq!(t.root, 0);
        assert_eq!(t.children[0], vec![1, 3]);
        assert_eq!(t.ancestors(2), vec![0, 1]);
        assert_eq!(t.preorder(), vec![(0, 0), (1, 1), (2, 2), (3, 1)]);
    }

    #[test]
    fn secretary_history_picks_the_term_in_office() {
        let s = Secretary::History(vec![
            SecretaryTerm { name: "甲某某".into(), from: Date::parse("2018-01-01") },
            SecretaryTerm { name: "乙某某".into(), from: Date::parse("2021-06-01") },
        ]);
        assert_eq!(s.current(Date::parse("2020-01-01").unwrap()), Some("甲某某"));
        assert_eq!(s.current(Date::parse("2025-01-01").unwrap()), Some("乙某某"));
    }
}

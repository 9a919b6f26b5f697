//! site.yaml as a typed `Config` with the defaults of content-format.md; unknown keys are rejected
//! by serde. Never reads files (load does) and never checks cross-file rules (validate does).

use crate::model::common::Scalar;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteContact {
    pub phone: Option<Scalar>,
    pub address: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Footer {
    pub site_code: Option<Scalar>,
    pub icp: Option<String>,
    pub psb: Option<String>,
}

/// How 满意率 is computed from the ballots (rules.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub enum Formula {
    #[default]
    #[serde(rename = "满意加基本满意率")]
    SatisfiedOrFair,
    #[serde(rename = "满意率")]
    Satisfied,
    #[serde(rename = "加权")]
    Weighted,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EvaluationRules {
    pub ballot: Vec<String>,
    pub invalid: Vec<String>,
    pub formula: Formula,
    pub weights: BTreeMap<String, f64>,
    pub grades: Vec<String>,
    pub red_line: f64,
    pub bottom_rank_years: u32,
}

impl Default for EvaluationRules {
    fn default() -> Self {
        EvaluationRules {
            ballot: strings(&["满意", "基本满意", "不满意", "不了解"]),
            invalid: strings(&["不了解"]),
            formula: Formula::SatisfiedOrFair,
            weights: [("满意", 1.0), ("基本满意", 0.7), ("不满意", 0.0)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            grades: strings(&["好", "较好", "一般", "差"]),
            red_line: 60.0,
            bottom_rank_years: 2,
        }
    }
}

/// `min_period_workdays`: per category, with a `default`.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct MinPeriod(pub BTreeMap<String, u32>);

impl Default for MinPeriod {
    fn default() -> Self {
        MinPeriod([("发展党员".to_string(), 5), ("default".to_string(), 5)].into_iter().collect())
    }
}

impl MinPeriod {
    pub fn for_category(&self, category: &str) -> u32 {
        self.0.get(category).or_else(|| self.0.get("default")).copied().unwrap_or(5)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Rules {
    pub publish_within_workdays: u32,
    pub min_period_workdays: MinPeriod,
    pub comment_ack_days: i64,
    pub comment_reply_days: i64,
    pub comment_hard_limit_days: i64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            publish_within_workdays: 20,
            min_period_workdays: MinPeriod::default(),
            comment_ack_days: 15,
            comment_reply_days: 60,
            comment_hard_limit_days: 90,
        }
    }
}

/// Notice-board paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub enum Paper {
    #[default]
    A4,
    A3,
}

/// site.yaml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    pub owner: String,
    pub base_url: Option<String>,
    #[serde(default)]
    pub contact: SiteContact,
    #[serde(default)]
    pub footer: Footer,
    #[serde(default)]
    pub allowed_numbers: Vec<Scalar>,
    #[serde(default = "default_channels")]
    pub comment_channels: Vec<String>,
    #[serde(default = "default_tasks")]
    pub target_tasks: Vec<String>,
    #[serde(default = "default_goals")]
    pub target_goals: Vec<String>,
    #[serde(default = "default_categories")]
    pub disclosure_categories: Vec<String>,
    #[serde(default)]
    pub evaluation: EvaluationRules,
    #[serde(default)]
    pub rules: Rules,
    #[serde(default)]
    pub paper: Paper,
    #[serde(default = "default_theme")]
    pub theme: String,
}

impl Config {
    /// `base_url` with exactly one trailing slash, if set.
    pub fn base_url(&self) -> Option<String> {
        self.base_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(|u| format!("{}/", u.trim_end_matches('/')))
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The lists of content-format.md's site.yaml example, used when site.yaml leaves them out.
pub const DEFAULT_CHANNELS: [&str; 6] = ["意见箱", "网站留言", "电话", "座谈会", "走访", "来信"];
/// 八大任务.
pub const DEFAULT_TASKS: [&str; 8] = [
    "理论武装工程",
    "组织覆盖工程",
    "素质提升工程",
    "阵地升级工程",
    "民心关爱工程",
    "示范带动工程",
    "基础保障工程",
    "清风廉洁工程",
];
pub const DEFAULT_GOALS: [&str; 4] = ["组织建设有力", "党员作用突出", "工作实绩显著", "人民群众满意"];
pub const DEFAULT_CATEGORIES: [&str; 11] = [
    "组织设置和分工",
    "学习贯彻决策部署",
    "组织生活",
    "换届选举",
    "发展党员",
    "党员民主评议",
    "党费收缴使用管理",
    "年度目标及完成情况",
    "联系服务群众",
    "党风廉政",
    "其他",
];

fn default_channels() -> Vec<String> {
    strings(&DEFAULT_CHANNELS)
}

fn default_tasks() -> Vec<String> {
    strings(&DEFAULT_TASKS)
}

fn default_goals() -> Vec<String> {
    strings(&DEFAULT_GOALS)
}

fn default_categories() -> Vec<String> {
    strings(&DEFAULT_CATEGORIES)
}

fn default_theme() -> String {
    "default".to_string()
}

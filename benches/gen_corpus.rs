//! The benchmark corpus (issue 8): a deterministic, valid gongshi content root of N records, and the
//! same disclosure bodies as a plain Hugo site with an equivalent minimal theme.
//!
//! ```text
//! cargo run --release --example gen_corpus -- N OUT_DIR [--hugo HUGO_DIR]
//! cargo run --release --example gen_corpus -- correct ROOT K DATE
//! ```
//!
//! The first form writes `OUT_DIR/content/` (a county tree of about N/40 orgs, two years of targets,
//! reports, comments and rectification ledgers per org, two free pages, and disclosures with 2–6 KB
//! Chinese Markdown bodies for the rest of the N records) and, with `--hugo`, a Hugo site whose
//! pages are exactly those disclosure bodies. The second form is one small, correctly documented
//! edit for release-history benchmarks: it appends a sentence to the K-th disclosure (in path order)
//! and a `corrections` entry dated DATE. Same arguments, same bytes: the only randomness is a seeded
//! SplitMix64, and there is no clock.

use chrono::{Datelike, Duration, NaiveDate};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("correct") if args.len() == 4 => correct(Path::new(&args[1]), &args[2], &args[3]),
        Some(n) if args.len() >= 2 => match n.parse::<usize>() {
            Ok(n) => generate(n, Path::new(&args[1]), hugo_dir(&args[2..]).as_deref()),
            Err(_) => Err(usage()),
        },
        _ => Err(usage()),
    };
    if let Err(e) = result {
        eprintln!("gen_corpus: {e}");
        std::process::exit(2);
    }
}

fn usage() -> String {
    "usage: gen_corpus N OUT_DIR [--hugo HUGO_DIR] | gen_corpus correct ROOT K YYYY-MM-DD".into()
}

fn hugo_dir(rest: &[String]) -> Option<PathBuf> {
    rest.windows(2).find(|w| w[0] == "--hugo").map(|w| PathBuf::from(&w[1]))
}

// ------------------------------------------------------------------------------------------ random

/// SplitMix64: tiny, seeded, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() - 1)]
    }
}

// ------------------------------------------------------------------------------------------- words

const PLACES: [&str; 40] = [
    "青石", "河口", "白沙", "桃源", "柳溪", "松林", "枫桥", "杏花", "梅岭", "竹园", "石门", "清泉", "长塘", "新安",
    "东湖", "南山", "西岗", "北坪", "金桥", "银杏", "双河", "三里", "五里", "龙潭", "凤凰", "黄土", "红岩", "白马",
    "高坪", "兴隆", "永安", "太平", "和平", "联合", "团结", "胜利", "光明", "向阳", "前进", "新华",
];

const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
    "罗",
];

// The default lists of site.yaml, and category slugs as routes makes them: one spelling of each.
use gongshi::config::{DEFAULT_CATEGORIES as CATEGORIES, DEFAULT_CHANNELS as CHANNELS};
use gongshi::config::{DEFAULT_GOALS as GOALS, DEFAULT_TASKS as TASKS};

const SENTENCES: [&str; 32] = [
    "支部委员会认真落实“三会一课”制度，按月召开支部党员大会，按季度讲党课，做到有计划、有记录、有检查",
    "坚持把政治建设摆在首位，组织党员深入学习党的创新理论，引导党员坚定理想信念、增强党性修养",
    "围绕乡村振兴中心任务，支部党员带头领办合作社项目，带动周边农户发展特色种植和乡村旅游",
    "严格落实党员发展“十六字”方针，坚持成熟一个发展一个，确保发展党员质量",
    "建立健全党员联系户制度，每名党员联系群众若干户，定期走访了解群众急难愁盼问题",
    "开展党员“亮身份、作承诺、当先锋”活动，设立党员示范岗和党员责任区，接受群众监督",
    "按照有关规定按时足额收缴党费，党费收缴、使用和管理情况每半年公开一次",
    "召开组织生活会和民主评议党员会议，支部班子和党员逐一开展批评与自我批评，查摆问题，明确整改措施",
    "持续推进党群服务中心规范化建设，完善便民服务功能，实行工作日值班和节假日轮值制度",
    "落实“四议两公开”工作法，村级重大事项经党组织提议、两委会商议、党员大会审议、村民代表会议决议",
    "对照年度党建工作目标逐项推进，建立工作台账，实行月调度、季通报、年考核",
    "加强对党员的日常教育管理，对流动党员建立联系卡，通过线上平台推送学习内容",
    "结合主题党日开展志愿服务，组织党员参与环境整治、关爱留守老人儿童等活动",
    "严格执行中央八项规定及其实施细则精神，村级财务每季度公开，接受村务监督委员会监督",
    "开展软弱涣散党组织排查整顿，对排查出的问题建立清单，明确责任人和完成时限",
    "选优配强村“两委”班子，注重从致富带头人、退役军人、返乡大学生中培养后备力量",
    "对群众反映的道路维修、饮水安全、路灯照明等问题，逐项登记、限时办理、及时反馈",
    "以网格化管理为抓手，将党小组建在网格上，推动党的工作覆盖到每家每户",
    "组织开展党史学习教育专题讲座和红色教育基地参观学习，增强党员的历史使命感",
    "健全完善村规民约，深化移风易俗，推动形成文明乡风、良好家风、淳朴民风",
    "对发展对象进行政治审查，广泛听取党员和群众意见，按程序提交支部大会讨论",
    "认真开展谈心谈话，支部书记与班子成员、班子成员与党员之间的谈心谈话实现全覆盖",
    "设立党务公开栏，在党群服务中心和村民集中居住点同步张贴，方便群众查看监督",
    "建立问题整改销号制度，对已完成的整改事项逐项验收，对未完成的事项持续跟踪督办",
    "积极发展壮大村级集体经济，通过土地流转、物业出租等方式增加村集体收入",
    "组织党员干部参加县委党校培训和镇党委集中轮训，提升履职能力和服务水平",
    "在防汛抗旱、森林防火等急难险重任务中，党员干部冲锋在前，充分发挥先锋模范作用",
    "定期召开党员议事会，听取党员对村级事务的意见建议，保障党员的知情权、参与权、监督权",
    "规范党组织换届选举程序，严格资格审查，确保选举公开、公平、公正",
    "严肃党的纪律，对违反纪律的党员及时批评教育，必要时按规定作出组织处理",
    "推进智慧党建平台应用，实现党员信息、组织生活、党费收缴等业务线上管理",
    "公示期间，党员和群众可通过来信、来电、来访等方式反映情况和问题，反映情况要实事求是",
];

const HEADINGS: [&str; 10] = [
    "基本情况",
    "主要做法",
    "取得成效",
    "存在问题",
    "下一步工作",
    "公示事项",
    "工作依据",
    "办理程序",
    "监督方式",
    "有关要求",
];

const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

// --------------------------------------------------------------------------------------------- orgs

struct Org {
    id: String,
    name: String,
    short: String,
    kind: &'static str,
    parent: Option<usize>,
    secretary: String,
    phone: Option<String>,
}

/// A county, its townships, and villages and communities under them: about `total` orgs.
fn org_tree(total: usize, rng: &mut Rng) -> Vec<Org> {
    let total = total.max(4);
    let towns = (total / 15).max(1);
    let mut orgs = vec![Org {
        id: "xian".into(),
        name: "中共清溪县委员会".into(),
        short: "清溪县委".into(),
        kind: "county",
        parent: None,
        secretary: "赵某某".into(),
        phone: Some("0000-6100001".into()),
    }];
    for t in 0..towns {
        let place = place_name(t);
        orgs.push(Org {
            id: format!("zhen-{:03}", t + 1),
            name: format!("中共清溪县{place}镇委员会"),
            short: format!("{place}镇党委"),
            kind: "township",
            parent: Some(0),
            secretary: format!("{}某某", rng.pick(&SURNAMES)),
            phone: Some(format!("0000-76{:05}", t + 1)),
        });
    }
    for v in 0..total - 1 - towns {
        let town = 1 + v % towns;
        let place = place_name(towns + v);
        let community = v % 5 == 4;
        let (kind, suffix, branch) =
            if community { ("community", "社区", "社区党支部") } else { ("village", "村", "村党支部") };
        orgs.push(Org {
            id: format!("cun-{:05}", v + 1),
            name: format!("中共清溪县{}镇{place}{suffix}支部委员会", place_name(town - 1)),
            short: format!("{place}{branch}"),
            kind,
            parent: Some(town),
            secretary: format!("{}某某", rng.pick(&SURNAMES)),
            phone: (v % 3 == 0).then(|| format!("0000-8{:06}", v + 1)),
        });
    }
    orgs
}

/// A two-character place name; past 1,600 of them a numeral keeps names apart.
fn place_name(i: usize) -> String {
    let n = PLACES.len();
    let second = PLACES[(i / n * 7 + i + 11) % n].chars().next().unwrap_or('新');
    let base = format!("{}{second}", PLACES[i % n]);
    match i / (n * n) {
        0 => base,
        k => format!("{base}{}", NUMERALS[k % NUMERALS.len()]),
    }
}

fn orgs_yaml(orgs: &[Org]) -> String {
    let mut y = String::from("# 基准测试用的虚构县（由 examples/gen_corpus.rs 生成）\n");
    for o in orgs {
        let _ = writeln!(y, "- id: {}\n  name: {}\n  short_name: {}\n  kind: {}", o.id, o.name, o.short, o.kind);
        if let Some(p) = o.parent {
            let _ = writeln!(y, "  parent: {}", orgs[p].id);
        }
        let _ = writeln!(y, "  secretary: {}", o.secretary);
        if let Some(phone) = &o.phone {
            let _ = writeln!(y, "  phone: \"{phone}\"");
        }
        let _ = writeln!(y, "  valid_from: 2001-01-01");
    }
    y
}

// -------------------------------------------------------------------------------------------- dates

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn cn(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

// ------------------------------------------------------------------------------------------- bodies

/// A 2–6 KB Chinese Markdown body: headed sections of paragraphs and numbered lists, sometimes a
/// table, closing with the publishing org and date.
fn body(rng: &mut Rng, org: &str, day: NaiveDate) -> String {
    let target = rng.range(2048, 6144);
    let mut md = String::with_capacity(target + 512);
    let _ = writeln!(md, "根据有关规定，现将{org}有关事项公示如下。\n");
    let mut section = 0;
    while md.len() < target.saturating_sub(200) {
        let _ = writeln!(md, "## {}、{}\n", NUMERALS[section % 10], rng.pick(&HEADINGS));
        section += 1;
        match rng.range(0, 5) {
            0 => {
                for i in 0..rng.range(2, 4) {
                    let _ = writeln!(md, "{}. **{}**。{}。", i + 1, rng.pick(&HEADINGS), rng.pick(&SENTENCES));
                }
                md.push('\n');
            }
            1 => {
                md.push_str("| 项目 | 完成情况 | 备注 |\n|---|---|---|\n");
                for _ in 0..rng.range(2, 4) {
                    let _ = writeln!(md, "| {} | 已完成 | 第{}季度 |", rng.pick(&TASKS), rng.range(1, 4));
                }
                md.push('\n');
            }
            _ => {
                for _ in 0..rng.range(1, 3) {
                    for _ in 0..rng.range(2, 4) {
                        let _ = write!(md, "{}。", rng.pick(&SENTENCES));
                    }
                    md.push_str("\n\n");
                }
            }
        }
    }
    let _ = writeln!(md, "特此公示。\n\n{org}  \n{}", cn(day));
    md
}

// ------------------------------------------------------------------------------------------ records

/// Everything a disclosure needs, for both the gongshi file and the Hugo page.
struct Disclosure {
    year: i32,
    org: usize,
    slug: String,
    title: String,
    category: &'static str,
    published: NaiveDate,
    body: String,
}

fn disclosure(i: usize, count: usize, orgs: &[Org], rng: &mut Rng) -> Disclosure {
    let org = i % orgs.len();
    // Spread over two years: 2024-01-08 .. 2025-12-20.
    let span = (date(2025, 12, 20) - date(2024, 1, 8)).num_days();
    let published = date(2024, 1, 8) + Duration::days(span * i as i64 / count.max(1) as i64);
    let index = rng.range(0, CATEGORIES.len() - 1);
    let (category, cat_slug) = (CATEGORIES[index], gongshi::render::routes::category_slug(CATEGORIES[index], index));
    let title = format!("{}关于{}的公示（{}）", orgs[org].short, category, cn(published));
    let body = body(rng, &orgs[org].name, published);
    Disclosure {
        year: published.year(),
        org,
        slug: format!("{cat_slug}-{}-{i}", published.format("%Y%m%d")),
        title,
        category,
        published,
        body,
    }
}

fn approval(on: NaiveDate, by: &str) -> String {
    format!("{{ proposed_by: 支部组织委员, reviewed_by: 支部书记, approved_by: {by}, approved_on: {on} }}")
}

fn disclosure_file(d: &Disclosure, orgs: &[Org]) -> String {
    let o = &orgs[d.org];
    let mut y = String::new();
    let _ = writeln!(y, "---\norg: {}\ntitle: {}\ncategory: {}", o.id, d.title, d.category);
    let _ = writeln!(y, "event_date: {}\npublished_on: {}", d.published - Duration::days(3), d.published);
    // Three weeks cover the minimum of five working days even across the October holiday.
    let _ = writeln!(y, "period: {{ from: {}, to: {} }}", d.published, d.published + Duration::days(21));
    let _ = writeln!(y, "approval: {}", approval(d.published - Duration::days(1), "支委会"));
    if d.category == "发展党员" {
        let _ = writeln!(y, "table:\n  - {{ 姓名: 李某某, 性别: 男, 出生年月: 1995年6月, 文化程度: 大专 }}");
    }
    let _ = write!(y, "---\n{}", d.body);
    y
}

fn targets_file(o: &Org, orgs: &[Org], year: i32, rng: &mut Rng) -> String {
    let published = date(year, 3, 6);
    let mut y = String::new();
    let _ = writeln!(y, "org: {}\nyear: {year}\ntitle: {}{year}年度基层党建工作目标公开承诺", o.id, o.short);
    let _ = writeln!(y, "published_on: {published}\nperiod: {{ from: {published}, to: {} }}", date(year, 3, 27));
    let _ = writeln!(y, "approval: {}", approval(date(year, 3, 4), "上级党委"));
    if let Some(p) = o.parent {
        let _ = writeln!(
            y,
            "responsibility_letter: {{ with: {}, signatory: 党组织书记, counter_signatory: 上级党委书记, signed_on: {} }}",
            orgs[p].id,
            date(year, 2, 28)
        );
    }
    y.push_str("items:\n");
    for k in 0..rng.range(4, 6) {
        let goal = GOALS[k % GOALS.len()];
        let done = date(year, 9 + (k as u32 % 3), 10 + k as u32);
        let _ = writeln!(y, "  - id: t{}\n    task: {}\n    goal: {goal}", k + 1, TASKS[k % TASKS.len()]);
        let _ = writeln!(y, "    indicator: {}", &rng.pick(&SENTENCES).chars().take(14).collect::<String>());
        let _ = writeln!(
            y,
            "    target: {{ text: 年内完成不少于{} 次, value: {}, unit: 次, compare: \">=\" }}",
            k + 2,
            k + 2
        );
        let _ = writeln!(y, "    measures: [制定工作计划, 明确责任分工, 按月调度推进]");
        let _ = writeln!(y, "    responsible: 党组织书记\n    deadline: {}", date(year, 12, 31));
        let _ = writeln!(
            y,
            "    progress:\n      - {{ as_of: {}, status: 推进中, value: 1, note: 按计划推进 }}",
            date(year, 6, 30)
        );
        let _ = writeln!(y, "      - {{ as_of: {done}, status: 已完成, value: {} }}", k + 2);
        let _ = writeln!(y, "    final: {{ status: 已完成, completed_on: {done} }}");
    }
    y
}

/// A report on `year`, published the next January, with a satisfaction well above the red line.
fn report_file(o: &Org, orgs: &[Org], year: i32, rect: Option<&str>, rng: &mut Rng) -> String {
    let published = date(year + 1, 1, 20);
    let host = o.parent.map_or(o.id.as_str(), |p| orgs[p].id.as_str());
    let (yes, fair, no) = (rng.range(28, 40), rng.range(5, 10), rng.range(0, 5));
    let unknown = 2;
    let issued = yes + fair + no + unknown + rng.range(0, 3);
    let grade = if yes > 33 { "好" } else { "较好" };
    let mut y = String::new();
    let _ = writeln!(y, "---\norg: {}\nyear: {year}\ntitle: {}书记{year}年度抓基层党建工作述职报告", o.id, o.short);
    let _ = writeln!(y, "published_on: {published}\nperiod: {{ from: {published}, to: {} }}", date(year + 1, 2, 12));
    let _ = writeln!(y, "approval: {}", approval(date(year + 1, 1, 19), "上级党委"));
    let _ = writeln!(y, "reporter: {{ name: {}, post: 党组织书记 }}", o.secretary);
    let _ = writeln!(
        y,
        "meeting: {{ date: {}, host: {host}, form: 现场述职, participants: {issued} }}",
        date(year + 1, 1, 16)
    );
    let _ = writeln!(y, "evaluation:\n  ballots_issued: {issued}");
    let _ = writeln!(y, "  votes: {{ 满意: {yes}, 基本满意: {fair}, 不满意: {no}, 不了解: {unknown} }}");
    let _ = writeln!(y, "  grade: {grade}\n  graded_by: {host}\n  graded_on: {}", date(year + 1, 1, 18));
    let _ = writeln!(y, "superior_remarks: [“三会一课”记录还需进一步规范。]");
    if let Some(r) = rect {
        let _ = writeln!(y, "rectifications: [{r}]");
    }
    let _ = write!(y, "---\n{}", body(rng, &o.name, published));
    y
}

fn rectifications_file(o: &Org) -> String {
    let id = &o.id;
    format!(
        "org: {id}\nitems:\n  - id: {id}-2024-01\n    raised_on: 2025-01-16\n    source: 述职评议\n    source_ref: reports/2024/{id}\n    issue: “三会一课”台账记录不够规范\n    measures: [每月抽查台账, 支部书记签字确认]\n    responsible: 党组织书记\n    deadline: 2025-06-30\n    status: 已完成\n    updates: [{{ date: 2025-03-01, note: 已补录台账 }}]\n    completed_on: 2025-06-20\n    verified_by: 上级党委组织委员\n  - id: {id}-2025-01\n    raised_on: 2026-01-16\n    source: 述职评议\n    source_ref: reports/2025/{id}\n    issue: 党员联系户走访记录不完整\n    carried_from: {id}-2024-01\n    measures: [建立走访台账, 每季度通报]\n    responsible: 党组织书记\n    deadline: 2026-06-30\n    status: 整改中\n"
    )
}

fn comments_file(o: &Org, year: i32, rng: &mut Rng) -> String {
    let mut y = format!("org: {}\nyear: {year}\nentries:\n", o.id);
    for k in 0..rng.range(3, 8) {
        let received = date(year, 1 + (k as u32 * 2) % 11, 3 + k as u32);
        let reply = received + Duration::days(rng.range(5, 40) as i64);
        let _ = writeln!(
            y,
            "  - id: {year}-{:03}\n    received_on: {received}\n    channel: {}",
            k + 1,
            rng.pick(&CHANNELS)
        );
        let _ = writeln!(y, "    commenter: {{ name: {}明华, consent: false }}", rng.pick(&SURNAMES));
        let _ = writeln!(y, "    topic: 办事服务\n    text: {}。", rng.pick(&SENTENCES));
        let _ = writeln!(
            y,
            "    rating: 基本满意\n    status: 已办结\n    acknowledged_on: {}",
            received + Duration::days(2)
        );
        let _ = writeln!(y, "    reply: {{ on: {reply}, by: {}, text: 已按群众意见办理，并当面反馈。 }}", o.short);
        let _ = writeln!(y, "    closed_on: {}\n    followup: 满意", reply + Duration::days(3));
    }
    y
}

// --------------------------------------------------------------------------------------- the corpus

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn generate(n: usize, out: &Path, hugo: Option<&Path>) -> Result<(), String> {
    let mut rng = Rng(0x6f6e_6773_6869_0008 ^ n as u64);
    let c = out.join("content");
    if c.exists() {
        return Err(format!("{} exists: generate into an empty folder", c.display()));
    }
    let orgs = org_tree(n / 40, &mut rng);
    write(&c.join("site.yaml"), SITE)?;
    write(&c.join("orgs.yaml"), &orgs_yaml(&orgs))?;
    for (year, cal) in CALENDARS {
        write(&c.join(format!("calendar/{year}.yaml")), cal)?;
    }
    write(
        &c.join("pages/about.md"),
        "---\ntitle: 关于本站\norder: 1\n---\n本站是 gongshi 性能基准测试用的虚构站点。\n",
    )?;
    write(
        &c.join("pages/how-to-comment.md"),
        "---\ntitle: 如何留言\norder: 2\n---\n可通过意见箱、网站留言和电话留言。\n",
    )?;
    let mut records = 2;
    for o in &orgs {
        write(&c.join(format!("rectifications/{}.yaml", o.id)), &rectifications_file(o))?;
        records += 1;
        for year in [2024, 2025] {
            write(&c.join(format!("targets/{year}/{}.yaml", o.id)), &targets_file(o, &orgs, year, &mut rng))?;
            let rect = format!("{}-{year}-01", o.id);
            let report = report_file(o, &orgs, year, Some(rect.as_str()).filter(|_| year == 2025), &mut rng);
            write(&c.join(format!("reports/{year}/{}.md", o.id)), &report)?;
            write(&c.join(format!("comments/{year}/{}.yaml", o.id)), &comments_file(o, year, &mut rng))?;
            records += 3;
        }
    }
    let count = n.saturating_sub(records).max(1);
    let mut source_bytes = 0;
    for i in 0..count {
        let d = disclosure(i, count, &orgs, &mut rng);
        let o = &orgs[d.org];
        write(&c.join(format!("disclosures/{}/{}/{}.md", d.year, o.id, d.slug)), &disclosure_file(&d, &orgs))?;
        source_bytes += d.body.len();
        if let Some(h) = hugo {
            let page = format!("---\ntitle: \"{}\"\ndate: {}\n---\n{}", d.title, d.published, d.body);
            write(&h.join(format!("content/{}/{}-{}.md", d.year, o.id, d.slug)), &page)?;
        }
    }
    if let Some(h) = hugo {
        hugo_site(h)?;
    }
    println!(
        "{} records ({} orgs, {count} disclosures, {:.1} MB of disclosure bodies) in {}",
        records + count,
        orgs.len(),
        source_bytes as f64 / 1e6,
        c.display()
    );
    Ok(())
}

/// The Hugo side: one page template, one list per section (a year), a home page.
fn hugo_site(h: &Path) -> Result<(), String> {
    write(&h.join("config.toml"), HUGO_CONFIG)?;
    write(&h.join("layouts/partials/head.html"), HUGO_HEAD)?;
    write(&h.join("layouts/_default/single.html"), HUGO_SINGLE)?;
    write(&h.join("layouts/_default/list.html"), HUGO_LIST)?;
    write(&h.join("layouts/index.html"), HUGO_HOME)?;
    for year in [2024, 2025] {
        write(&h.join(format!("content/{year}/_index.md")), &format!("---\ntitle: {year}年党务公开\n---\n"))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------- correct

/// One documented edit: a sentence more in the K-th disclosure and a `corrections` entry for it.
fn correct(root: &Path, k: &str, day: &str) -> Result<(), String> {
    let k: usize = k.parse().map_err(|_| usage())?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| usage())?;
    let mut files: Vec<PathBuf> = Vec::new();
    collect_md(&root.join("content/disclosures"), &mut files)?;
    files.sort();
    let path = files.get(k % files.len().max(1)).ok_or("no disclosures to correct")?;
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let end = text[4..].find("\n---\n").map(|i| i + 4).ok_or("no front matter")?;
    let (front, rest) = text.split_at(end);
    let entry = format!("  - {{ date: {day}, what: 补充一句说明, reason: 原文表述不完整 }}");
    let front = if front.contains("\ncorrections:\n") {
        format!("{front}\n{entry}")
    } else {
        format!("{front}\ncorrections:\n{entry}")
    };
    let fixed = format!("{front}{rest}更正（{day}）：补充说明公示期间反映问题的受理方式。\n");
    fs::write(path, fixed).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("corrected {}", path.display());
    Ok(())
}

fn collect_md(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    for e in fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let p = e.map_err(|e| e.to_string())?.path();
        if p.is_dir() {
            collect_md(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    Ok(())
}

// ------------------------------------------------------------------------------------ fixed files

const SITE: &str = "title: 清溪县基层党建公开网（基准测试）
owner: 中共清溪县委组织部
base_url: https://dj.example.gov.cn/
contact: { phone: \"0000-1234567\", address: 清溪县人民路1号, email: djb@example.gov.cn }
footer: { site_code: \"0000000000\", icp: \"X ICP备00000000号\", psb: \"X公网安备00000000000000号\" }
allowed_numbers: [\"0000-1234567\"]
";

const CALENDARS: [(i32, &str); 3] = [
    (
        2024,
        "year: 2024
holidays: [2024-01-01, 2024-02-10, 2024-02-11, 2024-02-12, 2024-02-13, 2024-02-14, 2024-02-15, 2024-02-16,
  2024-02-17, 2024-04-04, 2024-04-05, 2024-04-06, 2024-05-01, 2024-05-02, 2024-05-03, 2024-05-04, 2024-05-05,
  2024-06-10, 2024-09-15, 2024-09-16, 2024-09-17, 2024-10-01, 2024-10-02, 2024-10-03, 2024-10-04, 2024-10-05,
  2024-10-06, 2024-10-07]
workdays: [2024-02-04, 2024-02-18, 2024-04-07, 2024-04-28, 2024-05-11, 2024-09-14, 2024-09-29, 2024-10-12]
",
    ),
    (
        2025,
        "year: 2025
holidays: [2025-01-01, 2025-01-28, 2025-01-29, 2025-01-30, 2025-01-31, 2025-02-01, 2025-02-02, 2025-02-03,
  2025-02-04, 2025-04-04, 2025-04-05, 2025-04-06, 2025-05-01, 2025-05-02, 2025-05-03, 2025-05-04, 2025-05-05,
  2025-05-31, 2025-06-01, 2025-06-02, 2025-10-01, 2025-10-02, 2025-10-03, 2025-10-04, 2025-10-05, 2025-10-06,
  2025-10-07, 2025-10-08]
workdays: [2025-01-26, 2025-02-08, 2025-04-27, 2025-09-28, 2025-10-11]
",
    ),
    (
        2026,
        "year: 2026
holidays: [2026-01-01, 2026-01-02, 2026-01-03, 2026-02-15, 2026-02-16, 2026-02-17, 2026-02-18, 2026-02-19,
  2026-02-20, 2026-02-21, 2026-02-22, 2026-02-23, 2026-04-04, 2026-04-05, 2026-04-06, 2026-05-01, 2026-05-02,
  2026-05-03, 2026-05-04, 2026-05-05, 2026-06-19, 2026-06-20, 2026-06-21, 2026-09-25, 2026-09-26, 2026-09-27,
  2026-10-01, 2026-10-02, 2026-10-03, 2026-10-04, 2026-10-05, 2026-10-06, 2026-10-07]
workdays: [2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09, 2026-09-20, 2026-10-10]
",
    ),
];

const HUGO_CONFIG: &str = r#"baseURL = "https://dj.example.gov.cn/"
languageCode = "zh-cn"
title = "清溪县基层党建公开网（基准测试）"
hasCJKLanguage = true
disableKinds = ["taxonomy", "term"]
"#;

const HUGO_HEAD: &str = r#"<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }}_{{ .Site.Title }}</title></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav></header>
"#;

const HUGO_SINGLE: &str = r#"{{ partial "head.html" . }}<main><h1>{{ .Title }}</h1><p>发布日期：{{ .Date.Format "2006-01-02" }}</p>
{{ .Content }}</main><footer>{{ .Site.Title }}</footer></body></html>
"#;

const HUGO_LIST: &str = r#"{{ partial "head.html" . }}<main><h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>
{{ end }}</ul></main><footer>{{ .Site.Title }}</footer></body></html>
"#;

const HUGO_HOME: &str = r#"{{ partial "head.html" . }}<main><h1>{{ .Site.Title }}</h1><ul>
{{ range first 10 .Site.RegularPages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul></main><footer>{{ .Site.Title }}</footer></body></html>
"#;

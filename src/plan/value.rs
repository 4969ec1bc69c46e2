//! The values a typed tree evaluates to: every value is the set of values
//! the truth may take (numbers as intervals, dates as ranges, truth in
//! three values, sets of records with certain and possible members).

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use crate::date::DateRange;
use crate::evidence::column::Bitmap;
use crate::evidence::TableId;
use crate::expr::Unit;
use crate::interval::{Interval, Tri};

/// A list of texts whose members may be certain or only possible.
#[derive(Debug, Clone)]
pub struct ListVal {
    /// Items with membership: `True` certain, `Unknown` possible.
    pub items: Vec<(Arc<str>, Tri)>,
    /// Whether unknown further items may exist (an unknown list cell).
    pub open: bool,
    index: OnceLock<HashMap<Arc<str>, Tri>>,
}

impl PartialEq for ListVal {
    fn eq(&self, o: &Self) -> bool {
        self.items == o.items && self.open == o.open
    }
}

impl ListVal {
    /// A list value.
    pub fn new(items: Vec<(Arc<str>, Tri)>, open: bool) -> Self {
        ListVal {
            items,
            open,
            index: OnceLock::new(),
        }
    }

    /// Membership of a text: certain, possible or absent (strongest wins).
    pub fn membership(&self, s: &str) -> Tri {
        let found = if self.items.len() > 16 {
            let idx = self.index.get_or_init(|| {
                let mut m: HashMap<Arc<str>, Tri> = HashMap::new();
                for (k, t) in &self.items {
                    let e = m.entry(k.clone()).or_insert(Tri::False);
                    *e = e.or(*t);
                }
                m
            });
            idx.get(s).copied().unwrap_or(Tri::False)
        } else {
            self.items
                .iter()
                .filter(|(k, _)| &**k == s)
                .fold(Tri::False, |acc, (_, t)| acc.or(*t))
        };
        if found == Tri::False && self.open {
            Tri::Unknown
        } else {
            found
        }
    }

    /// The items certainly in the list.
    pub fn certain(&self) -> BTreeSet<&str> {
        self.items
            .iter()
            .filter(|(_, t)| *t == Tri::True)
            .map(|(k, _)| &**k)
            .collect()
    }

    /// The items possibly in the list (the certain ones included).
    pub fn possible(&self) -> BTreeSet<&str> {
        self.items.iter().map(|(k, _)| &**k).collect()
    }
}

/// Records of one table with their membership, as bitmaps over the
/// table's records.
#[derive(Debug, Clone, PartialEq)]
pub struct RecSet {
    /// The table.
    pub table: TableId,
    /// Records certainly in the set.
    pub certain: Bitmap,
    /// Records that may be in the set (the certain ones included).
    pub possible: Bitmap,
    /// Records a temporal selection (`at`) examined and found not in force:
    /// not members, but evidence of the answer (a departure date decides
    /// who remains), so they are reported as witnesses.
    pub considered: Bitmap,
}

impl RecSet {
    /// Every record of a table of `len` records.
    pub fn all(table: TableId, len: usize) -> RecSet {
        RecSet {
            table,
            certain: Bitmap::ones(len),
            possible: Bitmap::ones(len),
            considered: Bitmap::zeros(len),
        }
    }

    /// Members in record order with their membership (`True` certain,
    /// `Unknown` possible).
    pub fn iter(&self) -> impl Iterator<Item = (u32, Tri)> + '_ {
        self.possible.iter().map(|r| {
            let t = if self.certain.get(r as usize) {
                Tri::True
            } else {
                Tri::Unknown
            };
            (r, t)
        })
    }

    /// Number of possible members.
    pub fn len(&self) -> usize {
        self.possible.count()
    }

    /// Whether it has no possible member.
    pub fn is_empty(&self) -> bool {
        self.possible.is_empty()
    }

    /// Number of certain members.
    pub fn certain_len(&self) -> usize {
        self.certain.count()
    }

    /// Whether every member is certain.
    pub fn is_exact(&self) -> bool {
        self.certain == self.possible
    }
}

/// A runtime value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Truth.
    Bool(Tri),
    /// A number interval in a unit.
    Num(Interval, Unit),
    /// Text; `None` when unknown.
    Text(Option<Arc<str>>),
    /// A date range.
    Date(DateRange),
    /// A list of texts.
    List(Arc<ListVal>),
    /// A set of records.
    Set(Arc<RecSet>),
    /// One record.
    Record(TableId, u32),
    /// A mean, minimum or maximum of a set that has, or may have, no
    /// records: with none there is no value (SQL's NULL). `None` when the
    /// set certainly has no records; else the value it has when it has
    /// some. The place is the aggregate's, for the error when a value is
    /// needed (`eval/empty-set`): only the measure itself may have none.
    NoRecords(Option<Box<Value>>, crate::diag::Loc),
}

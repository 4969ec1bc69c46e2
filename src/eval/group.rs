//! Aggregates over groups: `mean(groups(spells, person), sum(group,
//! years))` averages, over the people, each person's total.
//!
//! A group is the records of a set with the same value in a column. A
//! record only possibly in the set is only possibly in its group; a group
//! with no certain record only possibly exists. Each group's value is its
//! expression evaluated over the group's records (sound under uncertain
//! membership, as every aggregate is); the outer aggregate then treats
//! each group as one member, certain or possible, with that value: a sum
//! adds a possible group's value or nothing, a mean lies within the values
//! it averages when some group is only possible, a count of groups is a
//! range. A possible group whose value would not exist when it has no
//! records contributes its value when it exists.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{internal, no_value, num_err, Ctx, EvalError, RecSet, Value, R};
use crate::date::{max_of, min_of};
use crate::evidence::column::Bitmap;
use crate::evidence::{Cell, TableId};
use crate::expr::Unit;
use crate::interval::{Interval, Tri};
use crate::num::Rational;
use crate::plan::{AggKind, Node};

impl Ctx<'_> {
    /// Evaluate a [`Node::GroupAgg`].
    pub(super) fn eval_group_agg(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::GroupAgg(kind, set, col, expr, loc) = node else {
            return Err(internal("groups"));
        };
        let Value::Set(s) = self.eval(set, row)? else {
            return Err(internal("groups"));
        };
        self.charge(s.len(), Some(loc))?;
        self.witness_set(&s);
        let column = self
            .ev
            .tables
            .get(s.table)
            .and_then(|t| t.columns.get(*col))
            .ok_or_else(|| internal("group column"))?;
        let table = self.ev.tables.get(s.table);
        let groups = grouped(&s, |r| match column.get(r) {
            Some(Cell::Text(t)) => Ok(t.to_string()),
            Some(Cell::Num(iv)) if iv.as_point().is_some() => {
                Ok(iv.as_point().map(|p| p.to_string()).unwrap_or_default())
            }
            _ => Err(EvalError {
                code: "eval/unknown-group",
                message: format!(
                    "record `{}` has no known `{}`, so its group is unknown",
                    table.map(|t| t.key_of(r).to_string()).unwrap_or_default(),
                    column.name
                ),
                loc: Some(loc.clone()),
            }),
        })?;
        let saved = self.group.take();
        let mut values: Vec<(Value, Tri)> = Vec::with_capacity(groups.len());
        let mut failed = None;
        for (group, membership) in groups {
            self.group = Some(Arc::new(group));
            let v = match self.eval_any(expr, None) {
                Ok(Value::NoRecords(Some(v), _)) if membership == Tri::Unknown => *v,
                Ok(Value::NoRecords(v, at)) => {
                    failed = Some(no_value(v.is_none(), at));
                    break;
                }
                Ok(v) => v,
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            };
            values.push((v, membership));
        }
        self.group = saved;
        if let Some(e) = failed {
            return Err(e);
        }
        combine(*kind, &values, loc)
    }
}

/// The groups of a set by the key `key_of` gives each record: each group's
/// records (certain and possible as in the set) and whether the group
/// certainly exists. A group with no certain record and one possible
/// record exists exactly when that record is in the set, so its records,
/// given that it exists, are certain.
pub(super) fn grouped(s: &RecSet, key_of: impl Fn(u32) -> R<String>) -> R<Vec<(RecSet, Tri)>> {
    let bits = s.possible.len();
    let mut groups: BTreeMap<String, (Bitmap, Bitmap)> = BTreeMap::new();
    for (r, m) in s.iter() {
        let (c, p) = groups
            .entry(key_of(r)?)
            .or_insert_with(|| (Bitmap::zeros(bits), Bitmap::zeros(bits)));
        p.set(r as usize);
        if m == Tri::True {
            c.set(r as usize);
        }
    }
    Ok(groups
        .into_values()
        .map(|(certain, possible)| {
            let membership = if certain.is_empty() {
                Tri::Unknown
            } else {
                Tri::True
            };
            let certain = if certain.is_empty() && possible.count() == 1 {
                possible.clone()
            } else {
                certain
            };
            let g = RecSet {
                table: s.table,
                certain,
                possible,
                considered: Bitmap::zeros(bits),
            };
            (g, membership)
        })
        .collect())
}

/// The outer aggregate over the groups' values, each group a member that
/// is certain or possible.
pub(super) fn combine(kind: AggKind, values: &[(Value, Tri)], loc: &crate::diag::Loc) -> R<Value> {
    let certain = values.iter().filter(|(_, m)| *m == Tri::True).count();
    let maybe_none = |v: Value| {
        if values.is_empty() {
            Value::NoRecords(None, loc.clone())
        } else if certain == 0 {
            Value::NoRecords(Some(Box::new(v)), loc.clone())
        } else {
            v
        }
    };
    match kind {
        AggKind::All | AggKind::Any => {
            let mut acc = Tri::from_bool(kind == AggKind::All);
            for (v, m) in values {
                let Value::Bool(t) = v else {
                    return Err(internal("group condition"));
                };
                acc = if kind == AggKind::All {
                    acc.and(m.not().or(*t))
                } else {
                    acc.or(m.and(*t))
                };
            }
            Ok(Value::Bool(acc))
        }
        AggKind::Sum | AggKind::Mean => {
            let mut sum = Interval::point(Rational::ZERO);
            let mut hull: Option<Interval> = None;
            let mut unit = Unit::None;
            for (v, m) in values {
                let Value::Num(iv, u) = v else {
                    return Err(internal("group value"));
                };
                unit = *u;
                hull = Some(hull.map_or(*iv, |h| h.hull(iv)));
                let contrib = if *m == Tri::True {
                    *iv
                } else {
                    iv.hull(&Interval::point(Rational::ZERO))
                };
                sum = sum.add(&contrib).map_err(|e| num_err(e, loc))?;
            }
            if kind == AggKind::Sum {
                return Ok(Value::Num(sum, unit));
            }
            let Some(hull) = hull else {
                return Ok(Value::NoRecords(None, loc.clone()));
            };
            if certain == values.len() {
                let n = Rational::from_int(values.len() as i128);
                let k = Rational::ONE.checked_div(n).map_err(|e| num_err(e, loc))?;
                return Ok(Value::Num(sum.scale(k).map_err(|e| num_err(e, loc))?, unit));
            }
            // With groups that may not exist, the mean lies within the
            // values it averages.
            Ok(maybe_none(Value::Num(hull, unit)))
        }
        AggKind::Min | AggKind::Max => {
            let min = kind == AggKind::Min;
            if values.iter().any(|(v, _)| matches!(v, Value::Date(_))) {
                let all: Vec<_> = values
                    .iter()
                    .filter_map(|(v, _)| match v {
                        Value::Date(d) => Some(*d),
                        _ => None,
                    })
                    .collect();
                let sure: Vec<_> = values
                    .iter()
                    .filter_map(|(v, m)| match v {
                        Value::Date(d) if *m == Tri::True => Some(*d),
                        _ => None,
                    })
                    .collect();
                let f = if min { min_of } else { max_of };
                let Some(every) = f(&all) else {
                    return Ok(Value::NoRecords(None, loc.clone()));
                };
                // With no certain group, any one may be the only one.
                let res = match f(&sure) {
                    Some(c) if sure.len() == all.len() => c,
                    Some(c) => c.hull(&every),
                    None => all.iter().fold(every, |acc, d| acc.hull(d)),
                };
                return Ok(maybe_none(Value::Date(res)));
            }
            // Over the certain groups, over all, and the hull of all
            // values: present groups include the certain ones, so the
            // extreme lies between the certain groups' and all groups'.
            let mut sure: Option<Interval> = None;
            let mut every: Option<Interval> = None;
            let mut hull: Option<Interval> = None;
            let mut unit = Unit::None;
            let pick = |a: Option<Interval>, iv: &Interval| {
                Some(match a {
                    None => *iv,
                    Some(a) if min => super::min_iv(&a, iv),
                    Some(a) => super::max_iv(&a, iv),
                })
            };
            for (v, m) in values {
                let Value::Num(iv, u) = v else {
                    return Err(internal("group value"));
                };
                unit = *u;
                hull = Some(hull.map_or(*iv, |h| h.hull(iv)));
                every = pick(every, iv);
                if *m == Tri::True {
                    sure = pick(sure, iv);
                }
            }
            let (Some(every), Some(hull)) = (every, hull) else {
                return Ok(Value::NoRecords(None, loc.clone()));
            };
            let res = match sure {
                Some(c) => c.hull(&every),
                None => hull,
            };
            Ok(maybe_none(Value::Num(res, unit)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{FileId, Loc};
    use proptest::prelude::*;

    /// A record: its group, whether it is in the set (0 no, 1 yes, 2
    /// perhaps) and its value.
    type Rec = (u8, u8, i128);

    fn loc() -> Loc {
        Loc {
            file: FileId(0),
            span: 0..0,
        }
    }

    fn set(recs: &[Rec]) -> RecSet {
        let n = recs.len();
        let mut s = RecSet {
            table: 0,
            certain: Bitmap::zeros(n),
            possible: Bitmap::zeros(n),
            considered: Bitmap::zeros(n),
        };
        for (i, (_, m, _)) in recs.iter().enumerate() {
            if *m > 0 {
                s.possible.set(i);
            }
            if *m == 1 {
                s.certain.set(i);
            }
        }
        s
    }

    /// What the evaluator computes: each group's total (a possible record
    /// adds its value or nothing, as `sum` does), then `kind` over groups.
    fn computed(recs: &[Rec], kind: AggKind) -> Option<Value> {
        let s = set(recs);
        let groups = grouped(&s, |r| {
            Ok(recs
                .get(r as usize)
                .map(|x| x.0.to_string())
                .unwrap_or_default())
        })
        .ok()?;
        let values: Vec<(Value, Tri)> = groups
            .iter()
            .map(|(g, m)| {
                let mut sum = Interval::point(Rational::ZERO);
                for (r, t) in g.iter() {
                    let v = Interval::point(Rational::from_int(
                        recs.get(r as usize).map_or(0, |x| x.2),
                    ));
                    let c = if t == Tri::True {
                        v
                    } else {
                        v.hull(&Interval::point(Rational::ZERO))
                    };
                    sum = sum.add(&c).unwrap_or_else(|_| Interval::unbounded());
                }
                (Value::Num(sum, Unit::None), *m)
            })
            .collect();
        combine(kind, &values, &loc()).ok()
    }

    /// Every world: the groups present and their totals, then `kind`.
    fn worlds(recs: &[Rec], kind: AggKind) -> Vec<Option<Rational>> {
        let open: Vec<usize> = (0..recs.len())
            .filter(|i| recs.get(*i).is_some_and(|r| r.1 == 2))
            .collect();
        let mut out = Vec::new();
        for bits in 0u32..(1 << open.len()) {
            let mut totals: BTreeMap<u8, i128> = BTreeMap::new();
            for (i, (g, m, v)) in recs.iter().enumerate() {
                let present = match m {
                    1 => true,
                    2 => open
                        .iter()
                        .position(|j| *j == i)
                        .is_some_and(|k| bits & (1 << k) != 0),
                    _ => false,
                };
                if present {
                    *totals.entry(*g).or_insert(0) += v;
                }
            }
            let vals: Vec<i128> = totals.values().copied().collect();
            let n = vals.len() as i128;
            out.push(match kind {
                AggKind::Sum => Some(Rational::from_int(vals.iter().sum())),
                AggKind::Mean if n > 0 => Rational::new(vals.iter().sum(), n).ok(),
                AggKind::Min => vals.iter().min().map(|v| Rational::from_int(*v)),
                AggKind::Max => vals.iter().max().map(|v| Rational::from_int(*v)),
                _ => None,
            });
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Sound against every world: each world's value lies in the
        /// reported interval; a world with no group is admitted exactly
        /// when the value says there may be no records.
        #[test]
        fn aggregates_over_groups_contain_every_world(
            recs in proptest::collection::vec((0u8..3, 0u8..3, 0i128..6), 0..7),
            k in 0usize..4,
        ) {
            let kind = [AggKind::Sum, AggKind::Mean, AggKind::Min, AggKind::Max][k];
            let got = computed(&recs, kind);
            for w in worlds(&recs, kind) {
                match (&got, w) {
                    (Some(Value::Num(iv, _)), Some(x)) => prop_assert!(iv.contains(x), "{iv:?} {x:?}"),
                    (Some(Value::NoRecords(Some(v), _)), Some(x)) => match &**v {
                        Value::Num(iv, _) => prop_assert!(iv.contains(x)),
                        _ => prop_assert!(false),
                    },
                    (Some(Value::NoRecords(_, _)), None) => {}
                    (g, w) => prop_assert!(false, "{g:?} for world {w:?}"),
                }
            }
        }
    }

    #[test]
    fn the_earliest_of_possible_groups_may_be_any_of_their_dates() {
        // Two groups, each possibly present: either may be the only one,
        // so the earliest date may be either day (not only the first).
        let day = |s: &str| crate::date::parse_date_value(s).unwrap_or_else(|_| panic!("{s}"));
        let values = [
            (Value::Date(day("2020-01-10")), Tri::Unknown),
            (Value::Date(day("2021-01-10")), Tri::Unknown),
        ];
        let Ok(Value::NoRecords(Some(v), _)) = combine(AggKind::Min, &values, &loc()) else {
            panic!("a possibly empty value");
        };
        let Value::Date(got) = *v else {
            panic!("a date");
        };
        assert_eq!(got, day("2020-01-10").hull(&day("2021-01-10")));
    }

    #[test]
    fn a_possible_group_of_one_record_has_its_value() {
        // Group 0: 3 + 4 certain; group 1: 10, perhaps.
        let recs = [(0, 1, 3), (0, 1, 4), (1, 2, 10)];
        let Some(Value::Num(iv, _)) = computed(&recs, AggKind::Max) else {
            panic!("a value");
        };
        assert_eq!(
            iv,
            Interval::closed(Rational::from_int(7), Rational::from_int(10))
                .unwrap_or_else(Interval::unbounded)
        );
    }
}

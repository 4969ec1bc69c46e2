use super::*;

#[test]
fn every_word_is_folded() {
    for lang in Lang::ALL {
        let w = lang.words();
        let mut all: Vec<&str> = Vec::new();
        all.extend(w.numbers.iter().map(|(x, _)| *x));
        all.extend(w.months.iter().map(|(x, _)| *x));
        all.extend(w.seasons.iter().map(|(x, _)| *x));
        all.extend(w.scales.iter().map(|(x, _)| *x));
        all.extend(w.time_units.iter().map(|(x, _, _)| *x));
        all.extend(w.denominators.iter().map(|(x, _)| *x));
        all.extend(w.qualifiers.iter().flat_map(|(p, _)| p.iter().copied()));
        all.extend(w.date_relations.iter().flat_map(|(p, _)| p.iter().copied()));
        for p in w.periods {
            all.extend(p.words.iter().copied().filter(|x| *x != "SEASON"));
        }
        for x in all {
            assert_eq!(fold(x), x, "{lang:?}: {x}");
        }
    }
}

#[test]
fn relation_and_other_phrases_are_folded() {
    for lang in Lang::ALL {
        let w = lang.words();
        let mut all: Vec<&str> = Vec::new();
        for r in w.relations {
            all.extend(r.words.iter().copied());
        }
        for table in [w.majority, w.half, w.percent, w.all, w.and_a_half, w.later] {
            all.extend(table.iter().flat_map(|p| p.iter().copied()));
        }
        all.extend(w.ratio.iter().flat_map(|(p, _)| p.iter().copied()));
        all.extend(
            w.articles
                .iter()
                .chain(w.common)
                .chain(w.determiners)
                .copied(),
        );
        all.extend(w.subjects.iter().chain(w.change_verbs).copied());
        for x in all {
            // Placeholders are upper case; every other word is folded.
            if x.chars().all(|c| c.is_ascii_uppercase()) {
                continue;
            }
            assert_eq!(fold(x), x, "{lang:?}: {x}");
        }
    }
}

/// A statement reads the words of every language, so a word that is a
/// number, month or season in two languages must mean the same in both.
#[test]
fn no_word_means_two_things() {
    let [a, b] = Lang::ALL;
    let (a, b) = (a.words(), b.words());
    for (w, n) in a.numbers {
        assert!(b.number(w).is_none_or(|m| m == *n), "{w}");
    }
    for (w, m) in a.months {
        assert!(b.month(w).is_none_or(|x| x == *m), "{w}");
    }
    for (w, s) in a.seasons {
        assert!(b.season(w).is_none_or(|x| x == *s), "{w}");
    }
}

#[test]
fn number_reader_follows_each_grammar() {
    let read = |lang: Lang, words: &[(&str, Join)]| {
        let mut r = NumberReader::new(lang);
        for (w, join) in words {
            let n = lang.words().number(w)?;
            if !r.accepts(n, *join) {
                return None;
            }
            r.push(n)?;
        }
        r.value()
    };
    let en = |w: &[(&str, Join)]| read(Lang::En, w);
    let es = |w: &[(&str, Join)]| read(Lang::Es, w);
    assert_eq!(
        en(&[("twenty", Join::First), ("one", Join::Hyphen)]),
        Some(21)
    );
    assert_eq!(
        en(&[
            ("three", Join::First),
            ("hundred", Join::Space),
            ("five", Join::And)
        ]),
        Some(305)
    );
    assert_eq!(en(&[("one", Join::First), ("two", Join::Space)]), None);
    assert_eq!(
        es(&[("treinta", Join::First), ("uno", Join::And)]),
        Some(31)
    );
    assert_eq!(
        es(&[("dos", Join::First), ("mil", Join::Space)]),
        Some(2000)
    );
    // "ciento" needs a number after it
    assert_eq!(es(&[("ciento", Join::First)]), None);
    assert_eq!(
        es(&[("ciento", Join::First), ("cinco", Join::Space)]),
        Some(105)
    );
}

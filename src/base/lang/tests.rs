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

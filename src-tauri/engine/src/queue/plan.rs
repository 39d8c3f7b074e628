//! Pure decisions before a batch is queued: which names are taken at the
//! destination, what the person's answers make of them, and the free name
//! for "keep both".

use std::collections::HashSet;

use super::model::{ConflictAnswers, Existing};

/// One file of a batch, before the names at the destination are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned<T> {
    /// Relative to the batch, with `/` between folders: what the person sees.
    pub name: String,
    /// Where it goes: an object key or a local path, with `/` separators.
    pub destination: String,
    pub item: T,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision<T> {
    Send { destination: String, item: T },
    Skip { item: T },
}

/// Taken names with no answer yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unanswered {
    pub names: Vec<String>,
    pub count: u32,
}

/// How many taken names the person is shown at once.
const SHOWN_CONFLICTS: usize = 50;

/// Applies `answers` to every planned file whose destination is in `taken`;
/// `Err` when some taken name has no answer (nothing is decided then).
pub fn decide<T>(
    planned: Vec<Planned<T>>,
    taken: &HashSet<String>,
    answers: &ConflictAnswers,
) -> Result<Vec<Decision<T>>, Unanswered> {
    let unanswered: Vec<&str> = planned
        .iter()
        .filter(|p| taken.contains(&p.destination) && answers.for_name(&p.name).is_none())
        .map(|p| p.name.as_str())
        .collect();
    if !unanswered.is_empty() {
        return Err(Unanswered {
            count: unanswered.len() as u32,
            names: unanswered.iter().take(SHOWN_CONFLICTS).map(|n| (*n).to_owned()).collect(),
        });
    }
    let mut used: HashSet<String> = taken.clone();
    used.extend(planned.iter().map(|p| p.destination.clone()));
    let decisions = planned
        .into_iter()
        .map(|p| {
            if !taken.contains(&p.destination) {
                return Decision::Send { destination: p.destination, item: p.item };
            }
            match answers.for_name(&p.name).expect("every taken name is answered") {
                Existing::Replace => Decision::Send { destination: p.destination, item: p.item },
                Existing::Skip => Decision::Skip { item: p.item },
                Existing::KeepBoth => {
                    let destination = free_name(&p.destination, &used);
                    used.insert(destination.clone());
                    Decision::Send { destination, item: p.item }
                }
            }
        })
        .collect();
    Ok(decisions)
}

/// `folder/report (1).pdf`, `(2)`… the first not in `used`. The number goes
/// before the last extension; a name starting with a dot has none.
pub fn free_name(path: &str, used: &HashSet<String>) -> String {
    let (folder, name) = match path.rfind('/') {
        Some(at) => path.split_at(at + 1),
        None => ("", path),
    };
    let (stem, extension) = match name.rfind('.') {
        Some(at) if at > 0 => name.split_at(at),
        _ => (name, ""),
    };
    (1..)
        .map(|n| format!("{folder}{stem} ({n}){extension}"))
        .find(|candidate| !used.contains(candidate))
        .expect("some number is free")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(names: &[&str]) -> Vec<Planned<()>> {
        names.iter().map(|n| Planned { name: (*n).into(), destination: format!("in/{n}"), item: () }).collect()
    }

    fn set(items: &[&str]) -> HashSet<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn free_names_number_before_the_extension() {
        let used = set(&["a/report.pdf", "a/report (1).pdf"]);
        assert_eq!(free_name("a/report.pdf", &used), "a/report (2).pdf");
        assert_eq!(free_name("README", &used), "README (1)");
        assert_eq!(free_name(".bashrc", &used), ".bashrc (1)");
        assert_eq!(free_name("x.tar.gz", &used), "x.tar (1).gz");
        assert_eq!(free_name("a.b/file", &used), "a.b/file (1)", "a dot in a folder is not an extension");
    }

    #[test]
    fn taken_names_without_answers_queue_nothing() {
        let err = decide(planned(&["a.txt", "b.txt", "c.txt"]), &set(&["in/a.txt", "in/c.txt"]), &Default::default())
            .unwrap_err();
        assert_eq!(err, Unanswered { names: vec!["a.txt".into(), "c.txt".into()], count: 2 });
    }

    #[test]
    fn one_answer_for_all_and_answers_per_name() {
        let taken = set(&["in/a.txt", "in/b.txt", "in/a (1).txt"]);
        let mut answers = ConflictAnswers { all: Some(Existing::KeepBoth), ..Default::default() };
        answers.each.insert("b.txt".into(), Existing::Skip);
        let decisions = decide(planned(&["a.txt", "b.txt", "new.txt"]), &taken, &answers).unwrap();
        assert_eq!(
            decisions,
            vec![
                Decision::Send { destination: "in/a (2).txt".into(), item: () },
                Decision::Skip { item: () },
                Decision::Send { destination: "in/new.txt".into(), item: () },
            ]
        );
        answers.all = Some(Existing::Replace);
        let decisions = decide(planned(&["a.txt"]), &taken, &answers).unwrap();
        assert_eq!(decisions, vec![Decision::Send { destination: "in/a.txt".into(), item: () }]);
    }

    #[test]
    fn keep_both_never_takes_a_name_another_file_of_the_batch_goes_to() {
        let taken = set(&["in/a.txt"]);
        let answers = ConflictAnswers { all: Some(Existing::KeepBoth), ..Default::default() };
        let decisions = decide(planned(&["a.txt", "a (1).txt"]), &taken, &answers).unwrap();
        assert_eq!(
            decisions,
            vec![
                Decision::Send { destination: "in/a (2).txt".into(), item: () },
                Decision::Send { destination: "in/a (1).txt".into(), item: () },
            ]
        );
    }
}

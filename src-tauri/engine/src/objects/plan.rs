//! Where each selected item goes in a copy or move, decided before the first
//! request, so a bad destination copies nothing instead of half.

use super::name::{NameProblem, check_key, parent_prefix};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// An object key, or a folder key ending in `/`.
    pub source: String,
    /// Where it goes, the same kind of key.
    pub target: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanProblem {
    Name(NameProblem),
    /// A folder copied into itself or below itself, or an item onto itself.
    IntoItself(String),
    /// Two selected items (from different folders) would land on one name.
    SameTarget(String),
}

/// Keeps the selected items' own names under `dest_prefix`. Items inside a
/// selected folder go with that folder, not twice.
pub fn plan_transfer(selection: &[String], same_bucket: bool, dest_prefix: &str) -> Result<Vec<Planned>, PlanProblem> {
    if !dest_prefix.is_empty() {
        check_key(dest_prefix).map_err(PlanProblem::Name)?;
        if !dest_prefix.ends_with('/') {
            return Err(PlanProblem::Name(NameProblem::Slash));
        }
    }
    let inside_another = |item: &str| {
        selection.iter().any(|other| other.ends_with('/') && other.as_str() != item && item.starts_with(other.as_str()))
    };
    let mut plan: Vec<Planned> = Vec::new();
    for item in selection {
        check_key(item).map_err(PlanProblem::Name)?;
        if inside_another(item) || plan.iter().any(|p| p.source == *item) {
            continue;
        }
        let target = format!("{dest_prefix}{}", &item[parent_prefix(item).len()..]);
        if same_bucket && (target == *item || item.ends_with('/') && target.starts_with(item.as_str())) {
            return Err(PlanProblem::IntoItself(item.clone()));
        }
        if plan.iter().any(|p| p.target == target) {
            return Err(PlanProblem::SameTarget(target));
        }
        plan.push(Planned { source: item.clone(), target });
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn targets(plan: &[Planned]) -> Vec<&str> {
        plan.iter().map(|p| p.target.as_str()).collect()
    }

    #[test]
    fn items_keep_their_names_under_the_destination() {
        let plan = plan_transfer(&sel(&["docs/a.txt", "docs/sub/", "top.txt"]), true, "archive/").unwrap();
        assert_eq!(targets(&plan), ["archive/a.txt", "archive/sub/", "archive/top.txt"]);
        let plan = plan_transfer(&sel(&["docs/sub/"]), true, "").unwrap();
        assert_eq!(targets(&plan), ["sub/"]);
    }

    #[test]
    fn a_folder_never_goes_into_itself() {
        assert_eq!(plan_transfer(&sel(&["a/"]), true, "a/"), Err(PlanProblem::IntoItself("a/".into())));
        assert_eq!(plan_transfer(&sel(&["a/"]), true, "a/b/"), Err(PlanProblem::IntoItself("a/".into())));
        assert_eq!(plan_transfer(&sel(&["x/f.txt"]), true, "x/"), Err(PlanProblem::IntoItself("x/f.txt".into())));
        assert!(plan_transfer(&sel(&["a/"]), true, "ab/").is_ok(), "a sibling that only starts alike");
        assert!(plan_transfer(&sel(&["a/"]), false, "a/").is_ok(), "the same path in another bucket");
    }

    #[test]
    fn overlapping_and_colliding_selections() {
        let plan = plan_transfer(&sel(&["a/", "a/x.txt", "a/"]), true, "b/").unwrap();
        assert_eq!(targets(&plan), ["b/a/"], "what is inside a selected folder goes with it, once");
        assert_eq!(
            plan_transfer(&sel(&["one/x.txt", "two/x.txt"]), true, "dest/"),
            Err(PlanProblem::SameTarget("dest/x.txt".into()))
        );
    }

    #[test]
    fn destinations_are_safe_folder_keys() {
        assert_eq!(plan_transfer(&sel(&["a.txt"]), true, "x/../"), Err(PlanProblem::Name(NameProblem::DotSegment)));
        assert_eq!(plan_transfer(&sel(&["a.txt"]), true, "x"), Err(PlanProblem::Name(NameProblem::Slash)));
        assert_eq!(plan_transfer(&sel(&["../a.txt"]), true, "x/"), Err(PlanProblem::Name(NameProblem::DotSegment)));
    }
}

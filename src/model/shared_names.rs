//! Names that more than one client bears (one group, several accounts), and how the human
//! reports tell such clients apart: `Name (id)`.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// The names borne by more than one of a set of clients, compared as two exports of the same
/// company would both write them: case and spacing aside.
#[derive(Clone, Debug, Default)]
pub struct SharedNames(HashSet<String>);

impl SharedNames {
    /// The shared ones among these names (empty names are no one's).
    pub fn of<'n>(names: impl IntoIterator<Item = &'n str>) -> SharedNames {
        let mut seen: HashMap<String, bool> = HashMap::new();
        for name in names.into_iter().filter(|n| !n.trim().is_empty()) {
            seen.entry(key(name)).and_modify(|shared| *shared = true).or_insert(false);
        }
        SharedNames(seen.into_iter().filter_map(|(k, shared)| shared.then_some(k)).collect())
    }

    /// How a report names a client: its name; its id when it has none; both, `Name (id)`,
    /// when another client bears the same name, so that two lines never read as one client.
    pub fn label<'c>(&self, id: &'c str, name: &'c str) -> Cow<'c, str> {
        if name.trim().is_empty() {
            Cow::Borrowed(id)
        } else if !self.0.is_empty() && self.0.contains(&key(name)) {
            Cow::Owned(format!("{name} ({id})"))
        } else {
            Cow::Borrowed(name)
        }
    }
}

fn key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_name_carries_the_id_and_a_unique_one_does_not() {
        let names = SharedNames::of(["Groep Janssens NV", "groep  janssens nv", "Brasserie Zoë", "", ""]);
        assert_eq!(names.label("K1", "Groep Janssens NV"), "Groep Janssens NV (K1)");
        assert_eq!(names.label("K2", "groep  janssens nv"), "groep  janssens nv (K2)");
        assert_eq!(names.label("K3", "Brasserie Zoë"), "Brasserie Zoë");
        // No name: the id, however many clients have none.
        assert_eq!(names.label("K4", ""), "K4");
        assert_eq!(names.label("K5", " "), "K5");
    }
}

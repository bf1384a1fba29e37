//! Sharding a batch over a cluster: every portfolio in exactly one shard, balanced by input
//! size, and a portfolio keeps its shard when the manifest grows at its end.

use super::error::ShardError;

/// One shard of N (0-based index).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which, from 0.
    pub index: usize,
    /// How many.
    pub count: usize,
}

impl Shard {
    /// `I/N` (1-based, as people count) or `auto`: Slurm array jobs (`SLURM_ARRAY_TASK_ID`,
    /// `SLURM_ARRAY_TASK_MIN`, `SLURM_ARRAY_TASK_COUNT`) or Kubernetes Indexed Jobs
    /// (`JOB_COMPLETION_INDEX`, with the count in `ARWATCH_SHARD_COUNT`).
    pub fn parse(s: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Shard, ShardError> {
        let num = |name: &str| env(name).and_then(|v| v.trim().parse::<usize>().ok());
        let shard = if s == "auto" {
            if let (Some(id), Some(count)) = (num("SLURM_ARRAY_TASK_ID"), num("SLURM_ARRAY_TASK_COUNT")) {
                let min = num("SLURM_ARRAY_TASK_MIN").unwrap_or(0);
                Shard { index: id.checked_sub(min).ok_or(ShardError::BelowMin)?, count }
            } else if let (Some(index), Some(count)) = (num("JOB_COMPLETION_INDEX"), num("ARWATCH_SHARD_COUNT")) {
                Shard { index, count }
            } else {
                return Err(ShardError::NoArray);
            }
        } else {
            let (i, n) = s.split_once('/').ok_or_else(|| ShardError::Shape(s.to_string()))?;
            let (i, n) = (i.trim().parse::<usize>(), n.trim().parse::<usize>());
            match (i, n) {
                (Ok(i), Ok(n)) if i >= 1 => Shard { index: i - 1, count: n },
                _ => return Err(ShardError::Numbers(s.to_string())),
            }
        };
        if shard.count == 0 || shard.index >= shard.count {
            return Err(ShardError::NoSuchShard { index: shard.index, count: shard.count });
        }
        Ok(shard)
    }
}

/// The shard of each portfolio: in manifest order, each to the shard with the least input so
/// far (the lowest on a tie). A portfolio's shard depends only on those before it.
pub fn assign(sizes: &[u64], count: usize) -> Vec<usize> {
    let mut load = vec![0u64; count];
    sizes
        .iter()
        .map(|&s| {
            let shard = (0..count).min_by_key(|&k| (load[k], k)).expect("at least one shard");
            load[shard] += s.max(1);
            shard
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_portfolio_in_one_shard_balanced_and_stable() {
        let sizes = [900, 100, 100, 100, 500, 400, 50, 50];
        let a = assign(&sizes, 3);
        assert!(a.iter().all(|&s| s < 3));
        let mut load = [0u64; 3];
        for (s, &k) in sizes.iter().zip(&a) {
            load[k] += s;
        }
        assert!(load.iter().max().unwrap() - load.iter().min().unwrap() <= 500, "{load:?}");
        // Appending to the manifest moves nobody.
        let more = [sizes.as_slice(), &[700, 10]].concat();
        assert_eq!(&assign(&more, 3)[..sizes.len()], a.as_slice());
    }

    #[test]
    fn shards_come_from_the_command_line_or_the_scheduler() {
        let none = |_: &str| None;
        assert_eq!(Shard::parse("2/8", &none), Ok(Shard { index: 1, count: 8 }));
        assert!(Shard::parse("0/8", &none).is_err() && Shard::parse("9/8", &none).is_err());
        assert_eq!(Shard::parse("auto", &none), Err(ShardError::NoArray));
        let slurm = |k: &str| match k {
            "SLURM_ARRAY_TASK_ID" => Some("5".into()),
            "SLURM_ARRAY_TASK_MIN" => Some("1".into()),
            "SLURM_ARRAY_TASK_COUNT" => Some("8".into()),
            _ => None,
        };
        assert_eq!(Shard::parse("auto", &slurm), Ok(Shard { index: 4, count: 8 }));
        let k8s = |k: &str| match k {
            "JOB_COMPLETION_INDEX" => Some("0".into()),
            "ARWATCH_SHARD_COUNT" => Some("4".into()),
            _ => None,
        };
        assert_eq!(Shard::parse("auto", &k8s), Ok(Shard { index: 0, count: 4 }));
    }
}
